/**
 * The `create-principal` technique: the caller creates a new user or role, makes it administrator
 * and uses it. IAM lets the caller pick the name and path, so any ARN its grants cover will do:
 * the check tries the names its own Allow statements for the creating action spell out (a `*` or
 * `?` filled in), then a plain name.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
 */
import type { ContextLookup } from './conditions.js';
import { ALLOW, ALLOW_COND, AwsEvaluator, NONE, type Code, type PrincipalModel } from './evaluator.js';
import { statementMatchesAction } from './policy-compiler.js';

const best = (codes: readonly Code[]): Code =>
  codes.includes(ALLOW) ? ALLOW : codes.includes(ALLOW_COND) ? ALLOW_COND : NONE;
const weakest = (codes: readonly Code[]): Code =>
  codes.every((c) => c === ALLOW)
    ? ALLOW
    : codes.some((c) => c !== ALLOW && c !== ALLOW_COND)
      ? NONE
      : ALLOW_COND;

/** Candidate ARNs of the new principal, from the caller's Allow statements for `action`. */
function candidates(p: PrincipalModel, action: string, kind: 'user' | 'role'): string[] {
  const out = new Set<string>([`arn:aws:iam::${p.account}:${kind}/warden-new-${p.idx}`]);
  const a = action.toLowerCase();
  for (const pol of p.identity)
    for (const st of pol.statements) {
      if (st.deny || st.notResource || !st.resources || !statementMatchesAction(st, a)) continue;
      for (const r of st.resources) {
        if (r.raw.includes('${') || !r.raw.includes(`:${kind}/`)) continue;
        const arn = r.raw.replace(/\*/g, `w${p.idx}`).replace(/\?/g, 'x');
        const acct = arn.split(':')[4];
        if (acct === p.account) out.add(arn);
        else if (acct === `w${p.idx}`) out.add(arn.replace(`::w${p.idx}:`, `::${p.account}:`));
      }
      if (out.size > 8) return [...out];
    }
  return [...out];
}

/**
 * Code for "p can create a `kind`, make it administrator and use it", and the ARN it would have.
 * `adminGroups`: ARNs of administrator-equivalent groups of p's account (a new user can join one).
 */
export function createPrincipalCode(
  ev: AwsEvaluator,
  p: PrincipalModel,
  kind: 'user' | 'role',
  createAction: string,
  adminGroups: readonly string[],
  adminCtx: ContextLookup,
): { code: Code; arn: string; why: string[] } {
  let out: { code: Code; arn: string; why: string[] } = { code: NONE, arn: '', why: [] };
  for (const fresh of candidates(p, createAction, kind)) {
    const create = ev.evaluate(p.idx, createAction, fresh);
    if (create !== ALLOW && create !== ALLOW_COND) continue;
    const grant = best(
      kind === 'user'
        ? [
            ev.evaluate(p.idx, 'iam:PutUserPolicy', fresh),
            ev.evaluate(p.idx, 'iam:AttachUserPolicy', fresh, adminCtx),
            ...adminGroups.map((g) => ev.evaluate(p.idx, 'iam:AddUserToGroup', g)),
          ]
        : [
            ev.evaluate(p.idx, 'iam:PutRolePolicy', fresh),
            ev.evaluate(p.idx, 'iam:AttachRolePolicy', fresh, adminCtx),
          ],
    );
    if (grant === NONE) continue;
    // A user is used through a new access key or console password. A role is created with a trust
    // policy naming the caller: assuming it needs no identity grant in the same account, but a
    // Deny, boundary or SCP on sts:AssumeRole still applies.
    const way =
      kind === 'user'
        ? best([
            ev.evaluate(p.idx, 'iam:CreateAccessKey', fresh),
            ev.evaluate(p.idx, 'iam:CreateLoginProfile', fresh),
          ])
        : AwsEvaluator.combine(ev.parts(p, 'sts:AssumeRole', fresh, null, null), 1, p.kind === 'user');
    const code = weakest([create, grant, way]);
    if (code === ALLOW) return { code, arn: fresh, why: [] };
    if (code === ALLOW_COND && out.code === NONE) {
      // The request conditions the steps depend on, for the reason.
      const why: string[] = [];
      ev.evaluate(p.idx, createAction, fresh, null, why);
      const put = kind === 'user' ? 'iam:PutUserPolicy' : 'iam:PutRolePolicy';
      ev.evaluate(p.idx, put, fresh, null, why);
      out = { code, arn: fresh, why };
    }
  }
  return out;
}
