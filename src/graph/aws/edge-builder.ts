/**
 * Turns the technique catalogue into "can become" and "can empower" edges between principals.
 *
 * Cost control (100,000 principals): techniques are looked at by required action, and a principal
 * whose policies name none of a technique's services is skipped with one set lookup. When a grant
 * covers every target of a kind (checked with a probe ARN, and only when no Deny of that service
 * could carve targets out) the edge is stored once as a class edge ("X can act on every user of
 * account A") instead of one edge per target; the search expands classes lazily.
 *
 * Steps on an existing resource (a function's code, a secret's value and key) are decided with
 * the resource's own policy when the export has one, and principals that only a resource policy
 * names get their edges from a second, resource-driven pass: see `resource-techniques.ts`.
 *
 * The shared state (indexes, caches, output) is `EdgeBuildContext` (`edge-context.ts`); each
 * technique mechanism is one step function, grouped by family in `edge-policy-writes.ts`,
 * `edge-principal-access.ts` and `edge-service-resources.ts`.
 */
import type { AwsEvaluator, PrincipalModel } from './evaluator.js';
import { actionMask, EMPTY_MASK, MASKED, TECH_ACTIONS } from './grant-scope.js';
import { resourcePolicyEdges } from './resource-techniques.js';
import { AWS_TECHNIQUES, type Mechanism } from './techniques.js';
import { EdgeBuildContext, type TechniqueStep } from './edge-context.js';
import {
  addUserToGroupEdges,
  createPrincipalEdges,
  policyVersionEdges,
  policyWriteEdges,
} from './edge-policy-writes.js';
import { assumeRoleEdges, credentialEdges } from './edge-principal-access.js';
import { existingResourceEdges, passRoleNewEdges, secretReadEdges } from './edge-service-resources.js';
import type { EdgeSet } from './edge-types.js';

export type { ClassEdge, EdgeSet, EmpowerEdge, TargetSet } from './edge-types.js';

const techIndex = new Map(AWS_TECHNIQUES.map((t, i) => [t.name, i]));
const T = (name: string): number => techIndex.get(name)!;

const STEPS: Readonly<Record<Mechanism, TechniqueStep>> = {
  'policy-write': policyWriteEdges,
  'boundary-removal': policyWriteEdges,
  'policy-version-create': policyVersionEdges,
  'policy-version-set-default': policyVersionEdges,
  'add-user-to-group': addUserToGroupEdges,
  'create-principal': createPrincipalEdges,
  'assume-role': assumeRoleEdges,
  'update-trust': credentialEdges,
  'create-access-key': credentialEdges,
  'create-login-profile': credentialEdges,
  'update-login-profile': credentialEdges,
  'passrole-new': passRoleNewEdges,
  'existing-resource': existingResourceEdges,
  'secret-read': secretReadEdges,
};

/** Fills `mask` with the union of p's policies' action masks; false when no policy names any. */
function fillActionMask(mask: Uint8Array, p: PrincipalModel): boolean {
  let anyMask = false;
  for (const pol of p.identity) {
    const pm = actionMask(pol);
    if (pm === EMPTY_MASK) continue;
    if (!anyMask) mask.fill(0);
    anyMask = true;
    for (let i = 0; i < pm.length; i++) mask[i]! |= pm[i]!;
  }
  if (!anyMask) mask.fill(0);
  return anyMask;
}

export function buildEdges(ev: AwsEvaluator): EdgeSet {
  const c = new EdgeBuildContext(ev);
  const { out, mask } = c;
  for (const p of c.P) {
    const x = c.account(p.account);
    // An administrator already holds everything: its technique edges add nothing to the search,
    // and the graph gets its `has-permission admin` edge instead (it is also where most edges
    // would come from: an administrator can act on every principal and policy).
    if (out.adminState[p.idx] === 1) continue;
    // Union of the policies' action masks: a technique is looked at only if every action it
    // needs is named by some Allow statement of the principal (assume-role also works through a
    // trust policy that names the principal, so it is always looked at).
    const anyMask = fillActionMask(mask, p);
    for (let ti = 0; ti < AWS_TECHNIQUES.length; ti++) {
      const t = AWS_TECHNIQUES[ti]!;
      if (
        t.mechanism !== 'assume-role' &&
        MASKED[ti] &&
        (!anyMask || !TECH_ACTIONS[ti]!.every((ai) => mask[ai] === 1))
      )
        continue;
      STEPS[t.mechanism](c, p, x, ti, t);
    }
  }
  // Principals a resource policy names (no identity grant, or another account).
  resourcePolicyEdges({
    ev,
    adminState: out.adminState,
    roleBearing: [...c.idx.resources.values()].flatMap((e) => e.res),
    secrets: c.secrets,
    done: c.done,
    addEdge: c.pushEdge,
  });
  return out;
}

export { T as techniqueIndex };

export { empowerOutcome } from './empower-outcome.js';
