/**
 * Escalation techniques on resources that carry their own policy (Lambda function policies,
 * Secrets Manager secret policies, KMS key policies): every per-resource step is decided by
 * `AwsEvaluator.decide`, the same path `canDo` uses, so AWS's cross-policy rules apply:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 *
 * - An explicit Deny in the resource's policy for the caller blocks the step (and the technique).
 * - Same account: an Allow in the resource policy naming the caller (or `*`) is enough, without
 *   any identity grant; cross account: the caller's identity policies must allow too.
 *
 * Two passes share this: the identity-driven pass of the edge builder (principals whose own
 * policies name the technique's actions, on resources of their account) calls `resourceCode`
 * for each target that has a policy; `resourcePolicyEdges` then looks at the principals a
 * resource policy itself names (by ARN, unique id, role session, account root or `*`), which the
 * first pass never sees (no identity grant, or another account), each decided the same way.
 *
 * Secrets (`ReadSecretHoldingCredential`): the caller needs secretsmanager:GetSecretValue on the
 * secret and kms:Decrypt on its key. The AWS managed key `aws/secretsmanager` lets every principal
 * of the secret's account decrypt through Secrets Manager and nobody from another account
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html);
 * a customer managed key is decided with its key policy when the export has it.
 */
import type { ContextLookup } from './conditions.js';
import { ALLOW, ALLOW_COND, DENY, NONE, type AwsEvaluator, type Code } from './evaluator.js';
import { statementMatchesAction } from './policy-compiler.js';
import { policySetMayAllow, svcOf } from './grant-scope.js';
import {
  compileResourcePolicy,
  decideWithResource,
  resourceSide,
  type CompiledResourcePolicy,
} from './resource-policy.js';
import { AWS_TECHNIQUES, type Technique } from './techniques.js';
import type { AwsRoleBearingResource } from './types.js';

/** The weakest of two codes (Deny first, then no grant, then conditional). */
export function weakest(a: Code, b: Code): Code {
  if (a === DENY || b === DENY) return DENY;
  if (a === NONE || b === NONE) return NONE;
  return a === ALLOW_COND || b === ALLOW_COND ? ALLOW_COND : ALLOW;
}

/** Every action on one resource, each through `decide` (resource policy included): the weakest code. */
export function resourceCode(
  ev: AwsEvaluator,
  pIdx: number,
  actions: readonly string[],
  arn: string,
  ctx: ContextLookup | null,
  why: string[] | null = null,
): Code {
  let code: Code = ALLOW;
  for (const a of actions) {
    code = weakest(code, ev.decide(pIdx, a, arn, ctx, why));
    if (code === DENY || code === NONE) return code;
  }
  return code;
}

/** The request conditions a conditional step depends on, from `decide`'s reasons. */
export function conditionalNote(why: readonly string[]): string {
  const conds = [
    ...new Set(why.filter((w) => w.includes(' only if') || w.includes('owner account is unknown'))),
  ];
  return conds.length ? ` [conditional: ${conds.join('; ')}]` : ' [conditional]';
}

/** A secret known to hold other principals' credentials. */
export interface SecretTarget {
  readonly arn: string;
  readonly account: string | null;
  readonly region: string;
  readonly kmsKeyId: string | null;
  /** Principal indexes whose credential it holds. */
  readonly holders: readonly number[];
}

/** Secrets of the inventory with holders that are principals of the export, by account. */
export function secretTargets(ev: AwsEvaluator): Map<string, SecretTarget[]> {
  const out = new Map<string, SecretTarget[]>();
  for (const r of ev.env.inventory ?? []) {
    if (r.service !== 'secretsmanager' || !r.holds?.length) continue;
    const holders = [...new Set(r.holds.map((h) => ev.byArn.get(h)).filter((i) => i !== undefined))];
    if (!holders.length) continue;
    const s: SecretTarget = {
      arn: r.arn,
      account: r.account,
      region: r.arn.split(':')[3] ?? '',
      kmsKeyId: r.kmsKeyId ?? null,
      holders,
    };
    const k = r.account ?? '';
    (out.get(k) ?? out.set(k, []).get(k)!).push(s);
  }
  return out;
}

const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\/secretsmanager$/;
const managedKeys = new Map<string, CompiledResourcePolicy>();

/**
 * Key policy of the AWS managed key `aws/secretsmanager` of an account and region, as AWS
 * documents AWS managed key policies: every principal of the account may use it through Secrets
 * Manager (kms:CallerAccount, kms:ViaService), the account root may read its metadata. So no
 * other account can decrypt with it, and a permissions boundary or SCP still caps the caller.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecret.html (KmsKeyId)
 */
function managedKeyPolicy(account: string, region: string): CompiledResourcePolicy {
  const k = `${account}|${region}`;
  let rp = managedKeys.get(k);
  if (!rp) {
    rp = compileResourcePolicy({
      arn: `arn:aws:kms:${region}:${account}:key/aws-secretsmanager`,
      service: 'kms',
      type: 'aws-kms-key',
      name: 'aws/secretsmanager',
      account,
      source: 'the AWS managed key policy of aws/secretsmanager',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'UseThroughSecretsManager',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:CreateGrant', 'kms:DescribeKey'],
            Resource: '*',
            Condition: {
              StringEquals: {
                'kms:CallerAccount': account,
                'kms:ViaService': `secretsmanager.${region}.amazonaws.com`,
              },
            },
          },
          {
            Sid: 'KeyMetadataForTheAccount',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${account}:root` },
            Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
            Resource: '*',
          },
        ],
      },
    });
    managedKeys.set(k, rp);
  }
  return rp;
}

/**
 * kms:Decrypt of the secret's key, as Secrets Manager calls it on the caller's behalf (the request
 * carries kms:ViaService, kms:CallerAccount and the SecretARN encryption context). A string
 * explains a conditional result.
 */
export function secretKeyCode(
  ev: AwsEvaluator,
  pIdx: number,
  s: SecretTarget,
  why: string[] | null,
): { code: Code; note?: string } {
  const p = ev.principals[pIdx]!;
  const acct = s.account ?? p.account;
  const ctx: ContextLookup = (k) =>
    k === 'kms:viaservice'
      ? `secretsmanager.${s.region}.amazonaws.com`
      : k === 'kms:calleraccount'
        ? p.account
        : k === 'kms:encryptioncontext:secretarn'
          ? s.arn
          : undefined;
  const id = s.kmsKeyId;
  if (id === null || AWS_MANAGED_ALIAS.test(id)) {
    // The AWS managed key: decided with its documented key policy, like any key policy.
    const rp = managedKeyPolicy(acct, s.region);
    const parts = ev.parts(p, 'kms:Decrypt', rp.arn, ctx, why);
    const side = resourceSide(rp, p, 'kms:Decrypt', rp.arn, ev.lookupFor(p, ctx), why);
    return { code: decideWithResource(parts, p, 'kms', acct, rp, side, why) };
  }
  const keyArn = id.startsWith('arn:')
    ? id.includes(':key/')
      ? id
      : null
    : id.startsWith('alias/')
      ? null
      : `arn:aws:kms:${s.region}:${acct}:key/${id}`;
  if (keyArn === null) {
    const c = ev.evaluate(pIdx, 'kms:Decrypt', '*', ctx);
    if (c === DENY) return { code: DENY };
    return { code: ALLOW_COND, note: `key ${id} of ${s.arn} is named by alias: its key policy is not known` };
  }
  return { code: ev.decide(pIdx, 'kms:Decrypt', keyArn, ctx, why) };
}

/** Who a resource policy may grant one of `actions`: named principals, account roots, anyone. */
interface PolicyCandidates {
  named: Set<number>;
  roots: Set<string>;
  any: boolean;
}

const reachCache = new WeakMap<CompiledResourcePolicy, Map<string, PolicyCandidates>>();

/**
 * Whether any statement (Allow or Deny) of the resource policy about one of `actions` can name
 * principal `pIdx` (by ARN, unique id, role session, its account root, `*` or NotPrincipal). When
 * none can, `decide` equals the identity-side decision for a principal of the resource's account
 * (KMS aside: a key policy is always needed), so the caller may keep the code it has.
 */
export function policyTouches(
  ev: AwsEvaluator,
  rp: CompiledResourcePolicy,
  actions: readonly string[],
  pIdx: number,
): boolean {
  if (rp.service === 'kms') return true;
  const key = actions.join('\u0000');
  let per = reachCache.get(rp);
  if (!per) reachCache.set(rp, (per = new Map()));
  let r = per.get(key);
  if (!r) per.set(key, (r = candidatesOf(ev, rp, actions, true)));
  return r.any || r.named.has(pIdx) || r.roots.has(ev.principals[pIdx]!.account);
}

function candidatesOf(
  ev: AwsEvaluator,
  rp: CompiledResourcePolicy,
  actions: readonly string[],
  withDeny = false,
): PolicyCandidates {
  const out: PolicyCandidates = { named: new Set(), roots: new Set(), any: false };
  const lower = actions.map((a) => a.toLowerCase());
  for (const st of rp.policy.statements) {
    if ((st.deny && !withDeny) || !st.principal) continue;
    if (!lower.some((a) => statementMatchesAction(st, a))) continue;
    if (st.notPrincipal || st.principal.any) out.any = true;
    if (st.notPrincipal) continue;
    for (const a of st.principal.aws) {
      const root = /^\d{12}$/.test(a) ? a : /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(a)?.[1];
      if (root) {
        out.roots.add(root);
        continue;
      }
      const i = ev.byArn.get(a);
      if (i !== undefined) {
        out.named.add(i);
        continue;
      }
      // A role session: arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION names the role NAME.
      const m = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(a);
      if (m)
        for (const r of ev.roleIdxByArn.values()) {
          const rp2 = ev.principals[r]!;
          if (rp2.account === m[1] && rp2.name === m[2]) out.named.add(r);
        }
    }
  }
  return out;
}

export interface ResourcePassContext {
  readonly ev: AwsEvaluator;
  readonly adminState: Uint8Array;
  /** Role-bearing resources whose role is a principal of the export. */
  readonly roleBearing: readonly AwsRoleBearingResource[];
  readonly secrets: ReadonlyMap<string, readonly SecretTarget[]>;
  /** `from|technique|resource` already decided by the identity-driven pass. */
  readonly done: ReadonlySet<string>;
  addEdge(from: number, to: number, tech: number, code: Code, reason: string): void;
}

export const doneKey = (from: number, tech: number, arn: string): string => `${from}|${tech}|${arn}`;

/**
 * Edges a resource policy enables for principals the identity-driven pass does not look at.
 * Cost: one pass over the resources that have a policy naming a technique's action; principals
 * of the whole export are scanned only for a policy that allows `*` or another account's root.
 */
export function resourcePolicyEdges(c: ResourcePassContext): void {
  const { ev } = c;
  if (ev.resourcePolicies.size === 0) return;
  let byAccount: Map<string, number[]> | null = null;
  const accountPrincipals = (a: string): readonly number[] => {
    if (!byAccount) {
      byAccount = new Map();
      for (const p of ev.principals)
        (byAccount.get(p.account) ?? byAccount.set(p.account, []).get(p.account)!).push(p.idx);
    }
    return byAccount.get(a) ?? [];
  };
  const consider = (
    rp: CompiledResourcePolicy,
    arn: string,
    account: string | null,
    ti: number,
    acts: readonly string[],
    decideOne: (pIdx: number) => void,
  ): void => {
    const cands = candidatesOf(ev, rp, acts);
    const seen = new Set<number>();
    const visit = (i: number, needIdentity: boolean): void => {
      if (seen.has(i) || c.adminState[i] === 1 || c.done.has(doneKey(i, ti, arn))) return;
      const p = ev.principals[i]!;
      // Another account (or a delegation to the root) needs the identity side: skip cheaply.
      if (needIdentity && !acts.every((a) => policySetMayAllow(p.identity, a.toLowerCase(), svcOf(a))))
        return;
      seen.add(i);
      decideOne(i);
    };
    for (const i of cands.named) visit(i, ev.principals[i]!.account !== account);
    for (const r of cands.roots) if (r !== account) for (const i of accountPrincipals(r)) visit(i, true);
    if (cands.any) for (const p of ev.principals) visit(p.idx, p.account !== account);
  };
  // Existing resources that run as a role.
  for (const res of c.roleBearing) {
    const rp = ev.resourcePolicies.find(res.arn);
    if (!rp || !res.roleArn) continue;
    const role = ev.roleIdxByArn.get(res.roleArn);
    if (role === undefined) continue;
    AWS_TECHNIQUES.forEach((t: Technique, ti) => {
      // Instance facts (SSM, network) belong to EC2, which has no resource policy.
      if (t.mechanism !== 'existing-resource' || t.resourceType !== res.type || t.instanceNeeds) return;
      const acts = t.requires.filter((r) => r.on === 'resource').map((r) => r.action);
      consider(rp, res.arn, res.account, ti, acts, (i) => {
        let code = resourceCode(ev, i, acts, res.arn, null);
        if (code === NONE || code === DENY) return;
        if (t.requires.some((r) => r.on === 'passed-role')) {
          const svcCtx: ContextLookup = (k) => (k === 'iam:passedtoservice' ? (t.trusts ?? null) : undefined);
          code = weakest(code, ev.evaluate(i, 'iam:PassRole', res.roleArn!, svcCtx));
          if (code === NONE || code === DENY) return;
        }
        const why: string[] = [];
        if (code === ALLOW_COND) resourceCode(ev, i, acts, res.arn, null, why);
        c.addEdge(
          i,
          role,
          ti,
          code,
          `${ev.principals[i]!.arn} can ${acts.join(' + ')} on ${res.arn} (its resource policy from ${rp.source} considered), which runs as ${res.roleArn}${code === ALLOW_COND ? conditionalNote(why) : ''}`,
        );
      });
    });
  }
  // Secrets that hold credentials.
  const ti = AWS_TECHNIQUES.findIndex((t) => t.mechanism === 'secret-read');
  if (ti < 0) return;
  for (const list of c.secrets.values())
    for (const s of list) {
      const rp = ev.resourcePolicies.find(s.arn);
      if (!rp) continue;
      consider(rp, s.arn, s.account, ti, ['secretsmanager:GetSecretValue'], (i) =>
        secretEdges(c, i, ti, s, `its resource policy from ${rp.source} considered`),
      );
    }
}

/** Edges from `pIdx` to the holders of secret `s` when it can read and decrypt it. */
export function secretEdges(
  c: Pick<ResourcePassContext, 'ev' | 'addEdge'>,
  pIdx: number,
  ti: number,
  s: SecretTarget,
  note: string,
): void {
  const { ev } = c;
  const read = ev.decide(pIdx, 'secretsmanager:GetSecretValue', s.arn);
  if (read === NONE || read === DENY) return;
  const key = secretKeyCode(ev, pIdx, s, null);
  const code = weakest(read, key.code);
  if (code === NONE || code === DENY) return;
  const p = ev.principals[pIdx]!;
  let cond = '';
  if (code === ALLOW_COND) {
    const why: string[] = [];
    ev.decide(pIdx, 'secretsmanager:GetSecretValue', s.arn, null, why);
    secretKeyCode(ev, pIdx, s, why);
    cond = key.note ? ` [conditional: ${key.note}]` : conditionalNote(why);
  }
  for (const h of s.holders)
    if (h !== pIdx)
      c.addEdge(
        pIdx,
        h,
        ti,
        code,
        `${p.arn} can secretsmanager:GetSecretValue and kms:Decrypt ${s.arn} (${note}), which holds a credential of ${ev.principals[h]!.arn}${cond}`,
      );
}
