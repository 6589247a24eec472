/**
 * The outcome of an empowering technique for its target: after the change, is the target
 * administrator-equivalent, given its boundary, its explicit Denies and what the caller can also
 * do to the boundary?
 */
import { ADMIN_POLICY_ARN } from './builtin-policies.js';
import { adminStateOf } from './admin.js';
import type { AwsEvaluator } from './evaluator.js';
import { ALLOW, ALLOW_COND, type PrincipalModel } from './evaluator.js';
import type { EmpowerEdge } from './edge-builder.js';
import type { CompiledPolicy } from './policy-compiler.js';

/** Code for "after `e`, is target `t` administrator-equivalent?" (its boundary, denies, policies). */
export function empowerOutcome(
  ev: AwsEvaluator,
  e: EmpowerEdge,
  t: PrincipalModel,
  fromIdx: number,
  cache: Map<string, 0 | 1 | 2>,
): 0 | 1 | 2 {
  const key = `${e.mode}|${t.idx}|${e.policyArn ?? ''}|${fromIdx}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const admin = ev.managedPolicy(ADMIN_POLICY_ARN)!;
  let result: 0 | 1 | 2;
  // A principal the caller creates and makes administrator: nothing of the caller's caps it.
  if (e.mode === 'new-principal') result = 1;
  else if (e.mode === 'lift-boundary')
    result = t.boundary || t.boundaryUnknown ? adminStateOf(ev, t, t.identity, 'none') : 0;
  else {
    let identity: readonly CompiledPolicy[] = [...t.identity, admin];
    if (e.mode === 'set-version' && e.policyArn) {
      const cur = ev.managedPolicy(e.policyArn);
      identity = [...t.identity.filter((x) => x !== cur), ...(e.versionAdmin ?? [])];
    }
    result = adminStateOf(ev, t, identity);
    if (result === 0 && (t.boundary || t.boundaryUnknown)) {
      // The same caller may also lift the boundary.
      const act =
        t.kind === 'user'
          ? ['iam:DeleteUserPermissionsBoundary', 'iam:PutUserPermissionsBoundary']
          : ['iam:DeleteRolePermissionsBoundary', 'iam:PutRolePermissionsBoundary'];
      const c = Math.max(
        ...act.map((a) => {
          const v = ev.evaluate(fromIdx, a, t.arn);
          return v === ALLOW ? 2 : v === ALLOW_COND ? 1 : 0;
        }),
      );
      if (c > 0) {
        const lifted = adminStateOf(ev, t, identity, 'none');
        result = lifted === 0 ? 0 : c === 2 ? lifted : 2;
      }
    }
  }
  cache.set(key, result);
  return result;
}
