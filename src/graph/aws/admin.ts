/**
 * Administrator equivalence.
 *
 * Definition used everywhere in Warden's AWS analysis: a principal is administrator-equivalent
 * when its identity policies, capped by its permissions boundary, allow every one of a set of
 * sentinel actions on every resource (`*`), without condition — the sentinels include an action of
 * a made-up service, so only a service wildcard (`*`, or a `NotAction` that leaves everything else)
 * qualifies, plus the IAM, STS, S3, EC2, Lambda, KMS, Secrets Manager, Organizations and CloudTrail
 * actions an administrator is recognised by. An explicit Deny scoped to particular resources does
 * not take equivalence away; a Deny that covers every resource for a sentinel does. SCPs are not
 * part of the test: every principal of the account is under the same SCPs, so "administrator of
 * the account" means the most the SCPs leave — SCPs still decide every technique step of a path.
 *
 * A principal with `iam:*` (but not `*:*`) is not administrator-equivalent itself; it reaches
 * administrator in one hop with a self-escalation technique (AttachUserPolicy ...), which the
 * escalation search reports with the technique's name.
 */
import { ALLOW, ALLOW_COND, ANY_RESOURCE, AwsEvaluator, NONE, type PrincipalModel } from './evaluator.js';
import type { CompiledPolicy } from './policy-compiler.js';

export const ADMIN_SENTINELS: readonly string[] = [
  'wardenprobe:probeaction',
  'iam:putrolepolicy',
  'iam:attachuserpolicy',
  'iam:createaccesskey',
  'iam:passrole',
  'sts:assumerole',
  's3:getobject',
  's3:putbucketpolicy',
  'ec2:runinstances',
  'lambda:createfunction',
  'kms:decrypt',
  'secretsmanager:getsecretvalue',
  'organizations:listaccounts',
  'cloudtrail:stoplogging',
];

/** 0 not admin, 1 admin, 2 admin only under request conditions. */
export function adminStateOf(
  ev: AwsEvaluator,
  p: PrincipalModel,
  identity: readonly CompiledPolicy[] = p.identity,
  boundary: CompiledPolicy | null | 'none' = p.boundary,
): 0 | 1 | 2 {
  const q: PrincipalModel =
    identity === p.identity && boundary === p.boundary
      ? p
      : {
          ...p,
          identity,
          boundary: boundary === 'none' ? null : boundary,
          boundaryUnknown: boundary === 'none' ? false : p.boundaryUnknown,
          allowWild: identity.some((x) => x.allowWild),
        };
  if (!q.allowWild) return 0;
  let cond = false;
  for (const a of ADMIN_SENTINELS) {
    const pt = ev.parts(q, a, ANY_RESOURCE, null, null);
    const code = AwsEvaluator.combine({ ...pt, scp: 1 });
    if (code === NONE || code === 3) return 0;
    if (code === ALLOW_COND) cond = true;
  }
  return cond ? 2 : ALLOW;
}

/** Whether a set of policies (e.g. a group's, or one policy version) is administrator-equivalent alone. */
export function policiesAreAdmin(
  ev: AwsEvaluator,
  template: PrincipalModel,
  policies: readonly CompiledPolicy[],
): 0 | 1 | 2 {
  return adminStateOf(ev, template, policies, 'none');
}
