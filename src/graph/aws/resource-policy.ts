/**
 * Resource-based policies (bucket, key, function, secret, queue and topic policies) and how AWS
 * combines them with the caller's identity policies, permissions boundary and SCPs:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 *
 * - An explicit Deny in any of them wins (a Deny statement whose principal matches the caller; a
 *   Deny with NotPrincipal matches every caller that has a permissions boundary, listed or not).
 * - Same account: an Allow in the identity policies OR in the resource policy grants. A resource
 *   policy naming the account root (`arn:aws:iam::A:root` or `A`) only delegates to the identity
 *   policies, so it adds nothing. A grant naming an IAM user ARN directly is not capped by that
 *   user's permissions boundary; any other resource-policy grant (a role, `*`) is.
 * - KMS: the key policy is required. Identity policies of the key's account count only when the
 *   key policy allows the action to the account root (the default key policy does); without a
 *   key policy in the export the default policy is assumed.
 * - Cross account (the caller's account is not the resource's): both sides must allow: the
 *   identity policies, and the resource policy naming the caller, its account root or `*`.
 * - SCPs cap every path of a principal in a member account.
 * - Conditions are evaluated with what is known of the caller (principal ARN, account, tags);
 *   keys that depend on the request (aws:SourceVpce, aws:SourceIp, aws:PrincipalOrgID ...) make
 *   the grant conditional; a condition that cannot hold drops the statement.
 *
 * Public exposure: an Allow to `*` / `{"AWS": "*"}` without conditions is `public`; with
 * conditions (VPC endpoint, organization, source account ...) it is `conditional`.
 */
import { evalConditions, type ContextLookup } from './conditions.js';
import type { DecisionParts, PrincipalModel } from './evaluator.js';
import {
  compilePolicy,
  statementMatchesAction,
  type CompiledPolicy,
  type CompiledStatement,
} from './policy-compiler.js';
import type { AwsResourcePolicy } from './types.js';

// Decision codes and bits (same values as the evaluator's).
const NONE = 0;
const ALLOW = 1;
const ALLOW_COND = 2;
const DENY = 3;
type Code = 0 | 1 | 2 | 3;
const B_ALLOW = 1;
const B_ALLOW_C = 2;
const B_DENY = 4;
const B_DENY_C = 8;

export type Exposure = 'public' | 'conditional' | 'cross-account' | 'account' | 'none';

export interface CompiledResourcePolicy {
  readonly arn: string;
  readonly service: string;
  readonly type: string;
  readonly account: string | null;
  readonly source: string;
  readonly policy: CompiledPolicy;
  readonly hasDeny: boolean;
  /** ARNs / unique ids named by an Allow statement. */
  readonly named: ReadonlySet<string>;
  /** Accounts whose root an Allow statement names (or bare account ids). */
  readonly rootAccounts: ReadonlySet<string>;
  readonly exposure: Exposure;
  /** Why the exposure is what it is (statement labels and their conditions). */
  readonly exposureWhy: readonly string[];
}

const rootOf = (p: string): string | null => {
  if (/^\d{12}$/.test(p)) return p;
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(p);
  return m ? m[1]! : null;
};

export function compileResourcePolicy(rp: AwsResourcePolicy): CompiledResourcePolicy {
  const policy = compilePolicy(rp.document, `resource policy of ${rp.arn}`);
  const named = new Set<string>();
  const rootAccounts = new Set<string>();
  const why: string[] = [];
  let exposure: Exposure = 'none';
  const rank: Record<Exposure, number> = {
    none: 0,
    account: 1,
    'cross-account': 2,
    conditional: 3,
    public: 4,
  };
  const raise = (e: Exposure): void => {
    if (rank[e] > rank[exposure]) exposure = e;
  };
  for (const st of policy.statements) {
    if (st.deny || !st.principal || st.notPrincipal) continue;
    const pr = st.principal;
    if (pr.any) {
      const conds = st.conditions?.map((c) => `${c.operator} ${c.key}`).join('; ');
      raise(conds ? 'conditional' : 'public');
      why.push(`${st.label} allows any principal${conds ? ` only if: ${conds}` : ''}`);
    }
    for (const a of pr.aws) {
      const r = rootOf(a);
      if (r) rootAccounts.add(r);
      else named.add(a);
      const acct = r ?? a.split(':')[4] ?? '';
      if (rp.account && acct && acct !== rp.account) {
        raise('cross-account');
        why.push(`${st.label} allows ${a} (another account)`);
      } else raise('account');
    }
  }
  return {
    arn: rp.arn,
    service: rp.service,
    type: rp.type,
    account: rp.account,
    source: rp.source,
    policy,
    hasDeny: policy.statements.some((s) => s.deny),
    named,
    rootAccounts,
    exposure,
    exposureWhy: why,
  };
}

/** How a statement's principal element covers the caller: 0 no, 1 `*`, 2 by ARN / id / session, 3 account root. */
type Match = 0 | 1 | 2 | 3;
const M_NO = 0;
const M_ANY = 1;
const M_DIRECT = 2;
const M_ACCOUNT = 3;

function principalMatch(st: CompiledStatement, p: PrincipalModel): Match {
  const pr = st.principal;
  if (!pr) return M_NO;
  let m: Match = pr.any ? M_ANY : M_NO;
  for (const a of pr.aws) {
    if (
      a === p.arn ||
      (p.id !== '' && a === p.id) ||
      (p.kind === 'role' && a.startsWith(`arn:aws:sts::${p.account}:assumed-role/${p.name}/`))
    ) {
      m = M_DIRECT;
      break;
    }
    if (m === M_NO && rootOf(a) === p.account) m = M_ACCOUNT;
  }
  // NotPrincipal: every principal except those listed (their account root listed excludes them too).
  if (st.notPrincipal) return m === M_NO ? M_ANY : M_NO;
  return m;
}

function resourceMatches(st: CompiledStatement, resource: string): 0 | 1 | 2 {
  if (st.resources === null) return 1; // a resource policy without Resource covers its resource
  let hit: 0 | 1 | 2 = 0;
  for (const r of st.resources) {
    if (!r.matcher)
      hit = hit || 2; // a policy variable: matches for some requests only
    else if (r.matcher.test(resource)) {
      hit = 1;
      break;
    }
  }
  if (st.notResource) return hit === 1 ? 0 : hit === 2 ? 2 : 1;
  return hit;
}

/** The resource policy's side of one request: grant bits, account-root delegation, deny bits. */
export interface ResourceSide {
  /** Allow to the caller by ARN, or to `*` (B_ALLOW / B_ALLOW_C). */
  grant: number;
  /** The grant names the caller's (IAM user) ARN directly: not capped by its boundary. */
  userDirect: boolean;
  /** Allow to the caller's account root: the identity policies decide (code). */
  delegated: number;
  /** B_DENY / B_DENY_C. */
  deny: number;
}

export function resourceSide(
  rp: CompiledResourcePolicy,
  p: PrincipalModel,
  action: string,
  resource: string,
  lookup: ContextLookup,
  why: string[] | null,
): ResourceSide {
  const out: ResourceSide = { grant: 0, userDirect: false, delegated: 0, deny: 0 };
  const a = action.toLowerCase();
  for (const st of rp.policy.statements) {
    if (!statementMatchesAction(st, a)) continue;
    let pm = principalMatch(st, p);
    // A Deny with NotPrincipal always denies a principal that has a permissions boundary, whatever
    // it lists (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
    if (pm === M_NO && st.deny && st.notPrincipal && (p.boundary || p.boundaryUnknown)) pm = M_ANY;
    if (pm === M_NO) continue;
    const rm = resourceMatches(st, resource);
    if (rm === 0) continue;
    const scratch: string[] = [];
    const c = evalConditions(st.conditions, lookup, scratch);
    if (c === 0) continue;
    const cond = c === 2 || rm === 2;
    if (why)
      why.push(
        `${action} on ${resource} ${st.deny ? 'denied' : 'allowed'} to ${p.arn} by ${st.label}${cond ? ` only if: ${scratch.join('; ') || 'a policy variable resolves favourably'}` : ''}`,
      );
    if (st.deny) {
      out.deny |= cond ? B_DENY_C : B_DENY;
      continue;
    }
    if (st.notPrincipal) {
      out.grant |= B_ALLOW_C; // Allow with NotPrincipal is easy to misread: never a justified grant
      continue;
    }
    if (pm === M_ACCOUNT) out.delegated |= cond ? B_ALLOW_C : B_ALLOW;
    else {
      out.grant |= cond ? B_ALLOW_C : B_ALLOW;
      if (pm === M_DIRECT && p.kind === 'user' && !cond) out.userDirect = true;
    }
  }
  return out;
}

const code = (b: number): Code => (b & B_ALLOW ? ALLOW : b & B_ALLOW_C ? ALLOW_COND : NONE);
const and = (x: Code, y: Code): Code =>
  x === NONE || y === NONE ? NONE : x === ALLOW && y === ALLOW ? ALLOW : ALLOW_COND;
const or = (x: Code, y: Code): Code =>
  x === ALLOW || y === ALLOW ? ALLOW : x === ALLOW_COND || y === ALLOW_COND ? ALLOW_COND : NONE;

/**
 * The decision for principal `p` on a resource, from its identity-side parts and the resource's
 * policy (`rp` null when the export has none), following the rules at the top of this file.
 * `resourceAccount` null means the owner is unknown: a grant then depends on it (conditional).
 */
export function decideWithResource(
  parts: DecisionParts,
  p: PrincipalModel,
  service: string,
  resourceAccount: string | null,
  rp: CompiledResourcePolicy | null,
  side: ResourceSide | null,
  why: string[] | null,
): Code {
  const s = side ?? { grant: 0, userDirect: false, delegated: 0, deny: 0 };
  if ((parts.identity | parts.boundary | parts.scp | s.deny) & B_DENY) return DENY;
  const scp = code(parts.scp);
  if (scp === NONE) return NONE;
  const boundary = code(parts.boundary);
  const identity = and(code(parts.identity), boundary);
  const grant = code(s.grant);
  const delegated = code(s.delegated);
  const account = resourceAccount ?? rp?.account ?? null;
  let via: Code;
  if (account !== null && account !== p.account) {
    // Cross account: both sides. Without a policy the resource's account cannot have granted it.
    via = and(identity, or(grant, delegated));
    if (!rp && why)
      why.push(`${p.arn} is in another account than the resource and no resource policy is known`);
  } else {
    const viaResource = s.userDirect ? grant : and(grant, boundary);
    const viaIdentity = service === 'kms' && rp ? and(identity, delegated) : identity;
    if (service === 'kms' && rp && delegated === NONE && identity !== NONE && why)
      why.push(`key policy of ${rp.arn} does not allow the account root: identity policies do not apply`);
    via = or(viaIdentity, viaResource);
    if (account === null && via !== NONE) {
      via = ALLOW_COND;
      why?.push(
        'the resource owner account is unknown: the grant holds only for a resource of the same account',
      );
    }
  }
  if (via === NONE) return NONE;
  if (
    via === ALLOW_COND ||
    scp === ALLOW_COND ||
    (parts.identity | parts.boundary | parts.scp | s.deny) & B_DENY_C
  )
    return ALLOW_COND;
  return ALLOW;
}

/**
 * Resource policies of an environment by resource ARN. `find` also maps an S3 object ARN to its
 * bucket and a qualified Lambda ARN (`function:name:alias`) to its function.
 */
export class ResourcePolicyIndex {
  readonly byArn = new Map<string, CompiledResourcePolicy>();
  readonly issues: string[] = [];

  constructor(policies: readonly AwsResourcePolicy[]) {
    for (const rp of policies) {
      if (this.byArn.has(rp.arn)) {
        this.issues.push(`${rp.source}: a second resource policy for ${rp.arn} is ignored`);
        continue;
      }
      const c = compileResourcePolicy(rp);
      this.issues.push(...c.policy.issues.map((i) => `${rp.source}: ${i}`));
      this.byArn.set(rp.arn, c);
    }
  }

  get size(): number {
    return this.byArn.size;
  }

  find(resource: string): CompiledResourcePolicy | null {
    if (this.byArn.size === 0) return null;
    const hit = this.byArn.get(resource);
    if (hit) return hit;
    if (resource.startsWith('arn:aws:s3:::')) {
      const slash = resource.indexOf('/');
      if (slash > 0) return this.byArn.get(resource.slice(0, slash)) ?? null;
    }
    const m = /^(arn:[^:]+:lambda:[^:]*:\d*:function:[^:]+):/.exec(resource);
    if (m) return this.byArn.get(m[1]!) ?? null;
    return null;
  }
}

export { NONE as RP_NONE, ALLOW as RP_ALLOW, ALLOW_COND as RP_ALLOW_COND, DENY as RP_DENY };
