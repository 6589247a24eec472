/**
 * The AWS authorization decision for one principal, action and resource, following
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html :
 * an explicit Deny in any applicable policy (identity, permissions boundary, SCP, resource/trust)
 * wins; otherwise the identity policies (user or role inline + attached managed default versions +
 * the user's groups' policies) must allow, the permissions boundary (when set) must allow too, and
 * the SCPs must allow unless the principal is in the organization's management account.
 * `decide` / `canDo` / `evaluateAll` also apply the resource's own policy when the export has one
 * (bucket, key, function, secret, queue, topic: see `resource-policy.ts` for the cross-policy and
 * cross-account rules); `evaluate` is the identity side alone (what escalation techniques need).
 *
 * Results are codes so the bulk path allocates nothing per decision: 0 implicit deny, 1 allow,
 * 2 allow that depends on request context ("conditional"), 3 explicit deny.
 */
import { ADMIN_POLICY_ARN, BUILTIN_AWS_POLICIES } from './builtin-policies.js';
import { evalConditions, lookupOf, type ContextLookup, type RequestContext } from './conditions.js';
import {
  compilePolicy,
  statementMatchesAction,
  type CompiledPolicy,
  type CompiledStatement,
  type ResourcePattern,
} from './policy-compiler.js';
import { decideWithResource, resourceSide, ResourcePolicyIndex } from './resource-policy.js';
import type { AwsEnvironment, AwsManagedPolicy, AwsRole, AwsUser } from './types.js';
import { compileWildcard, isUniversalResource } from './wildcard.js';

export const NONE = 0;
export const ALLOW = 1;
export const ALLOW_COND = 2;
export const DENY = 3;
export type Code = 0 | 1 | 2 | 3;

/** Resource meaning "every resource", used by the administrator-equivalence test. */
export const ANY_RESOURCE = '*';

// Bits returned by a scan of one policy set.
const B_ALLOW = 1;
const B_ALLOW_C = 2;
const B_DENY = 4;
const B_DENY_C = 8;

export interface PrincipalModel {
  readonly idx: number;
  readonly kind: 'user' | 'role';
  readonly arn: string;
  readonly name: string;
  readonly id: string;
  readonly account: string;
  readonly source: AwsUser | AwsRole;
  readonly identity: readonly CompiledPolicy[];
  readonly boundary: CompiledPolicy | null;
  /** Boundary ARN set but its policy is not in the export: every grant becomes conditional. */
  readonly boundaryUnknown: boolean;
  /** Managed policies attached directly or through groups (ARNs). */
  readonly attached: readonly string[];
  readonly groupArns: readonly string[];
  readonly tags: ReadonlyMap<string, string>;
  readonly uncertain: string[];
  readonly allowWild: boolean;
}

export interface ManagedPolicyModel {
  readonly source: AwsManagedPolicy;
  readonly compiled: CompiledPolicy; // default version
  readonly versions: ReadonlyMap<string, CompiledPolicy>;
}

export interface CanDoResult {
  decision: 'allow' | 'deny' | 'implicit-deny';
  conditional: boolean;
  reasons: string[];
}

/** Parts of a decision, for callers that combine them with a resource policy (trust). */
export interface DecisionParts {
  identity: number;
  boundary: number;
  scp: number;
}

/** Analysis time, fixed once per process so that every decision of a run agrees. */
const NOW_ISO = new Date().toISOString();
const NOW_EPOCH = String(Math.floor(Date.parse(NOW_ISO) / 1000));

function principalKey(p: PrincipalModel, key: string): string | null | undefined {
  switch (key) {
    case 'aws:principalarn':
      return p.arn;
    case 'aws:principalaccount':
      return p.account;
    case 'aws:username':
      return p.kind === 'user' ? p.name : null;
    case 'aws:userid':
      return p.kind === 'user' ? p.id : undefined;
    case 'aws:principaltype':
      return p.kind === 'user' ? 'User' : 'AssumedRole';
    case 'aws:securetransport':
      return 'true'; // the AWS CLI and SDKs always call over TLS
    // Date keys: the attacker's request is made now. aws:TokenIssueTime is when the temporary
    // credentials were issued, which the caller controls by getting fresh ones (a new role session;
    // sts:GetSessionToken for a user), so it is now as well: `DateGreaterThan` a past date always
    // holds, `DateLessThan` a past date never does (iam-vulnerable fn3 / fp5).
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-tokenissuetime
    case 'aws:currenttime':
    case 'aws:tokenissuetime':
      return NOW_ISO;
    case 'aws:epochtime':
      return NOW_EPOCH;
    case 'aws:principalisawsservice':
      return 'false';
    case 'aws:viaawsservice':
      return 'false';
    case 'aws:principalservicename':
      return null;
    default:
      if (key.startsWith('aws:principaltag/')) return p.tags.get(key.slice(17)) ?? null;
      return undefined;
  }
}

const NO_TAGS: Map<string, string> = new Map();

/** Services whose resources carry resource-based policies (cross-account access goes through them). */
const RESOURCE_POLICY_SERVICES = new Set(['s3', 'kms', 'lambda', 'secretsmanager', 'sqs', 'sns']);

const VAR_RX = /\$\{([^}]*)\}/g;

/** Resolves policy variables of a resource pattern for the request; `cond` when one is unknown. */
export function resolvePattern(
  rp: ResourcePattern,
  lookup: ContextLookup,
): { ok: boolean; cond: boolean; test: (v: string) => boolean } {
  if (rp.matcher) return { ok: true, cond: false, test: rp.matcher.test };
  let cond = false;
  let ok = true;
  const text = rp.raw.replace(VAR_RX, (_m, inner: string) => {
    const [keyRaw, def] = inner.split(',').map((x) => x.trim());
    const key = (keyRaw ?? '').toLowerCase();
    if (key === '*' || key === '?' || key === '$') return key;
    const v = lookup(key);
    if (typeof v === 'string') return v;
    if (def !== undefined) return def.replace(/^'|'$/g, '');
    if (v === null)
      ok = false; // known absent: the statement does not match
    else cond = true; // unknown: matches only for some requests
    return '*';
  });
  return { ok, cond, test: compileWildcard(text, false).test };
}

/** 0 no, 1 yes, 2 yes but only if an unknown variable resolves favourably. */
function resourceMatch(st: CompiledStatement, resource: string, lookup: ContextLookup): 0 | 1 | 2 {
  const res = st.resources;
  if (res === null) return 0;
  if (resource === ANY_RESOURCE) {
    if (st.notResource) return st.deny ? 1 : 0;
    for (const r of res) if (isUniversalResource(r.raw)) return 1;
    return 0;
  }
  let hit: 0 | 1 | 2 = 0;
  for (const r of res) {
    const { ok, cond, test } = resolvePattern(r, lookup);
    if (ok && test(resource)) {
      hit = cond ? 2 : 1;
      if (!cond) break;
    }
  }
  if (st.notResource) return hit === 1 ? 0 : hit === 2 ? 2 : 1;
  return hit;
}

export function scanPolicies(
  policies: readonly CompiledPolicy[],
  svc: string,
  action: string,
  resource: string,
  lookup: ContextLookup,
  why: string[] | null,
): number {
  let bits = 0;
  let scratch: string[] | null = null;
  for (const pol of policies) {
    const a = pol.byService.get(svc);
    for (let pass = 0; pass < 2; pass++) {
      const list = pass === 0 ? a : pol.wild;
      if (!list) continue;
      for (const st of list) {
        if (!statementMatchesAction(st, action)) continue;
        const rm = resourceMatch(st, resource, lookup);
        if (rm === 0) continue;
        let c: 0 | 1 | 2 = 1;
        if (st.conditions) {
          if (scratch) scratch.length = 0;
          else scratch = [];
          c = evalConditions(st.conditions, lookup, scratch);
        }
        if (c === 0) continue;
        const cond = c === 2 || rm === 2;
        if (st.deny) bits |= cond ? B_DENY_C : B_DENY;
        else bits |= cond ? B_ALLOW_C : B_ALLOW;
        if (why) {
          const verb = st.deny ? 'denied' : 'allowed';
          why.push(
            `${action} on ${resource} ${verb} by ${st.label}${cond ? ` only if: ${scratch?.join('; ') || 'a policy variable resolves favourably'}` : ''}`,
          );
        }
      }
    }
  }
  return bits;
}

const allowBits = (b: number): number => (b & B_ALLOW ? ALLOW : b & B_ALLOW_C ? ALLOW_COND : NONE);

/**
 * Compiled view of an environment. Build once (`createAwsEvaluator(env)`), query many times.
 */
export class AwsEvaluator {
  readonly principals: PrincipalModel[] = [];
  readonly byArn = new Map<string, number>();
  readonly roleIdxByArn = new Map<string, number>();
  readonly managed = new Map<string, ManagedPolicyModel>();
  readonly groups = new Map<
    string,
    {
      arn: string;
      name: string;
      account: string;
      policies: CompiledPolicy[];
      attached: string[];
      members: number[];
    }
  >();
  readonly scps: CompiledPolicy[] = [];
  readonly managementAccounts: ReadonlySet<string>;
  readonly issues: string[] = [];
  /** Resource-based policies of the environment (bucket, key, function, secret, queue, topic). */
  readonly resourcePolicies: ResourcePolicyIndex;
  /** Owner account of inventory resources whose ARN does not carry it (S3 buckets). */
  readonly resourceAccounts = new Map<string, string | null>();

  constructor(readonly env: AwsEnvironment) {
    for (const p of env.policies) {
      const versions = new Map<string, CompiledPolicy>();
      for (const v of p.versions)
        versions.set(v.versionId, compilePolicy(v.document, `${p.arn} ${v.versionId}`));
      const def = versions.get(p.defaultVersionId);
      if (!def) this.issues.push(`${p.arn}: default version ${p.defaultVersionId} missing from the export`);
      const compiled = def ?? compilePolicy({ Statement: [] }, p.arn);
      this.managed.set(p.arn, { source: p, compiled, versions });
      for (const c of versions.values()) this.issues.push(...c.issues);
    }
    for (const g of env.groups) {
      const gp = g.inlinePolicies.map((ip) =>
        compilePolicy(ip.document, `${g.arn} inline policy ${ip.name}`),
      );
      this.groups.set(`${g.account}/${g.name}`, {
        arn: g.arn,
        name: g.name,
        account: g.account,
        policies: gp,
        attached: [...g.attachedPolicyArns],
        members: [],
      });
    }
    const nonEmptyScp = env.scps.map((s) => compilePolicy(s.document, `SCP ${s.name || s.id}`));
    // An organization always has an Allow at every level (FullAWSAccess by default); when only
    // Deny SCPs were given, assume FullAWSAccess is attached rather than deny everything.
    if (nonEmptyScp.length > 0 && !nonEmptyScp.some((p) => p.statements.some((s) => !s.deny))) {
      nonEmptyScp.push(
        compilePolicy(
          { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
          'SCP FullAWSAccess (assumed)',
        ),
      );
    }
    this.scps.push(...nonEmptyScp);
    this.managementAccounts = new Set(env.managementAccounts);
    for (const u of env.users) this.addPrincipal(u);
    for (const r of env.roles) this.addPrincipal(r);
    this.resourcePolicies = new ResourcePolicyIndex(env.resourcePolicies ?? []);
    this.issues.push(...this.resourcePolicies.issues);
    for (const r of env.inventory ?? []) this.resourceAccounts.set(r.arn, r.account);
  }

  private readonly inlineCache = new Map<string, CompiledPolicy>();

  /**
   * Inline policies repeat across principals (templates, IaC modules): identical documents are
   * compiled once. The label names the policy, not the principal, so the compiled form is shared.
   */
  private inline(name: string, document: unknown): CompiledPolicy {
    const key = `${name}\u0000${typeof document === 'string' ? document : JSON.stringify(document)}`;
    let c = this.inlineCache.get(key);
    if (!c) this.inlineCache.set(key, (c = compilePolicy(document, `inline policy ${name}`)));
    return c;
  }

  /** Compiled default version of a managed policy, from the export or the built-in set. */
  managedPolicy(arn: string): CompiledPolicy | null {
    const m = this.managed.get(arn);
    if (m) return m.compiled;
    const b = BUILTIN_AWS_POLICIES[arn];
    if (b === undefined) return null;
    const c = compilePolicy(b, arn);
    this.managed.set(arn, {
      source: {
        arn,
        name: arn.slice(arn.lastIndexOf('/') + 1),
        defaultVersionId: 'v1',
        versions: [],
        awsManaged: true,
      },
      compiled: c,
      versions: new Map(),
    });
    return c;
  }

  private addPrincipal(src: AwsUser | AwsRole): void {
    if (this.byArn.has(src.arn)) {
      this.issues.push(`${src.arn}: listed twice, the first entry is kept`);
      return;
    }
    const uncertain: string[] = [];
    const identity: CompiledPolicy[] = [];
    const attached: string[] = [];
    const groupArns: string[] = [];
    const idx = this.principals.length;
    for (const ip of src.inlinePolicies) identity.push(this.inline(ip.name, ip.document));
    const attach = (arn: string): void => {
      const c = this.managedPolicy(arn);
      attached.push(arn);
      if (c) identity.push(c);
      else uncertain.push(`attached policy ${arn} is not in the export: its grants are unknown`);
    };
    for (const a of src.attachedPolicyArns) attach(a);
    if (src.kind === 'user') {
      for (const gname of src.groupNames) {
        const g = this.groups.get(`${src.account}/${gname}`);
        if (!g) {
          uncertain.push(`group ${gname} is not in the export: its grants are unknown`);
          continue;
        }
        g.members.push(idx);
        groupArns.push(g.arn);
        identity.push(...g.policies);
        for (const a of g.attached) attach(a);
      }
    }
    for (const p of identity) for (const i of p.issues) uncertain.push(i);
    let boundary: CompiledPolicy | null = null;
    let boundaryUnknown = false;
    if (src.boundaryArn) {
      boundary = this.managedPolicy(src.boundaryArn);
      if (!boundary) {
        boundaryUnknown = true;
        uncertain.push(
          `permissions boundary ${src.boundaryArn} is not in the export: every grant is uncertain`,
        );
      }
    }
    let allowWild = false;
    for (const p of identity) if (p.allowWild) allowWild = true;
    let tags = NO_TAGS;
    for (const k in src.tags) {
      if (tags === NO_TAGS) tags = new Map<string, string>();
      tags.set(k.toLowerCase(), src.tags[k]!);
    }
    this.principals.push({
      idx,
      kind: src.kind,
      arn: src.arn,
      name: src.name,
      id: src.id,
      account: src.account,
      source: src,
      identity,
      boundary,
      boundaryUnknown,
      attached,
      groupArns,
      tags,
      uncertain,
      allowWild,
    });
    this.byArn.set(src.arn, idx);
    if (src.id) this.byArn.set(src.id, idx);
    if (src.kind === 'role') this.roleIdxByArn.set(src.arn, idx);
  }

  /** Cheap pre-check: can any identity statement of the principal allow an action of `svc`? */
  mayAllow(p: PrincipalModel, svc: string): boolean {
    if (p.allowWild) return true;
    for (const pol of p.identity) if (pol.allowServices.has(svc)) return true;
    return false;
  }

  /** Lookup combining caller-given context, then the principal's own keys. */
  lookupFor(p: PrincipalModel, extra: ContextLookup | null): ContextLookup {
    if (!extra) return (k) => principalKey(p, k);
    return (k) => {
      const v = extra(k);
      return v !== undefined ? v : principalKey(p, k);
    };
  }

  scpApplies(p: PrincipalModel): boolean {
    return this.scps.length > 0 && !this.managementAccounts.has(p.account);
  }

  /** The three identity-side parts of a decision (bits), before any resource policy. */
  parts(
    p: PrincipalModel,
    action: string,
    resource: string,
    extra: ContextLookup | null,
    why: string[] | null,
  ): DecisionParts {
    const a = action.toLowerCase();
    const c = a.indexOf(':');
    const svc = c < 0 ? a : a.slice(0, c);
    const lookup = this.lookupFor(p, extra);
    const identity = scanPolicies(p.identity, svc, a, resource, lookup, why);
    let boundary = B_ALLOW;
    if (p.boundary) boundary = scanPolicies([p.boundary], svc, a, resource, lookup, why);
    else if (p.boundaryUnknown) boundary = B_ALLOW_C;
    const scp = this.scpApplies(p) ? scanPolicies(this.scps, svc, a, resource, lookup, why) : B_ALLOW;
    return { identity, boundary, scp };
  }

  /** Combines parts (and an optional resource-policy grant) into a decision code. */
  static combine(pt: DecisionParts, resourceGrant = 0, resourceGrantSkipsBoundary = false): Code {
    const all = pt.identity | pt.boundary | pt.scp | resourceGrant;
    if (all & B_DENY) return DENY;
    const scp = allowBits(pt.scp);
    if (scp === NONE) return NONE;
    const id = allowBits(pt.identity);
    const b = allowBits(pt.boundary);
    const rg = allowBits(resourceGrant);
    let via: number = NONE;
    if (id !== NONE && b !== NONE) via = id === ALLOW && b === ALLOW ? ALLOW : ALLOW_COND;
    if (rg !== NONE) {
      const viaRes = resourceGrantSkipsBoundary
        ? rg
        : b === NONE
          ? NONE
          : rg === ALLOW && b === ALLOW
            ? ALLOW
            : ALLOW_COND;
      if (viaRes === ALLOW || (viaRes === ALLOW_COND && via === NONE)) via = viaRes;
    }
    if (via === NONE) return NONE;
    if (via === ALLOW_COND || scp === ALLOW_COND || all & B_DENY_C) return ALLOW_COND;
    return ALLOW;
  }

  /** Fast decision code for a principal index; `action` any case. */
  evaluate(
    pIdx: number,
    action: string,
    resource: string,
    extra: ContextLookup | null = null,
    why: string[] | null = null,
  ): Code {
    const p = this.principals[pIdx]!;
    return AwsEvaluator.combine(this.parts(p, action, resource, extra, why));
  }

  /** Owner account of a resource: inventory, else the ARN's account field; null when unknown. */
  resourceAccount(resource: string): string | null {
    const known = this.resourceAccounts.get(resource);
    if (known !== undefined) return known;
    const slash = resource.startsWith('arn:aws:s3:::') ? resource.indexOf('/') : -1;
    if (slash > 0) {
      const b = this.resourceAccounts.get(resource.slice(0, slash));
      if (b !== undefined) return b;
    }
    const a = resource.split(':')[4] ?? '';
    return /^\d{12}$/.test(a) ? a : null;
  }

  /**
   * The full decision: identity side (policies, boundary, SCPs) combined with the resource's own
   * policy when the export has one, as `resource-policy.ts` describes (explicit Deny wins; same
   * account either side grants; KMS needs the key policy; cross account needs both sides).
   * Without a resource policy, a resource of a service that uses them (S3, KMS, Lambda, Secrets
   * Manager, SQS, SNS) in another account than the caller's is not reachable.
   */
  decide(
    pIdx: number,
    action: string,
    resource: string,
    extra: ContextLookup | null = null,
    why: string[] | null = null,
  ): Code {
    const p = this.principals[pIdx]!;
    const parts = this.parts(p, action, resource, extra, why);
    if (resource === ANY_RESOURCE) return AwsEvaluator.combine(parts);
    const rp = this.resourcePolicies.find(resource);
    const a = action.toLowerCase();
    const svc = a.slice(0, Math.max(0, a.indexOf(':')));
    if (!rp) {
      if (!RESOURCE_POLICY_SERVICES.has(svc)) return AwsEvaluator.combine(parts);
      const acct = this.resourceAccount(resource);
      if (acct === null || acct === p.account) return AwsEvaluator.combine(parts);
    }
    const side = rp ? resourceSide(rp, p, action, resource, this.lookupFor(p, extra), why) : null;
    const acct = rp?.account ?? this.resourceAccount(resource);
    return decideWithResource(parts, p, svc, acct, rp, side, why);
  }

  /**
   * The decision, with reasons, for one principal (ARN or unique id), action and resource ARN
   * (`*` asks for every resource). `ctx` supplies request-context keys (lower- or any-case).
   */
  canDo(principal: string, action: string, resourceArn: string, ctx?: RequestContext): CanDoResult {
    const idx = this.byArn.get(principal);
    if (idx === undefined)
      return {
        decision: 'implicit-deny',
        conditional: false,
        reasons: [`${principal} is not a user or role of the export`],
      };
    const why: string[] = [];
    const lower: Record<string, string | readonly string[] | null> = {};
    if (ctx) for (const [k, v] of Object.entries(ctx)) lower[k.toLowerCase()] = v;
    const code = this.decide(idx, action, resourceArn, ctx ? lookupOf(lower) : null, why);
    const p = this.principals[idx]!;
    if (code === NONE && why.length === 0)
      why.push(`no policy of ${p.arn} allows ${action} on ${resourceArn}`);
    return {
      decision: code === DENY ? 'deny' : code === NONE ? 'implicit-deny' : 'allow',
      conditional: code === ALLOW_COND,
      reasons: [...why, ...p.uncertain],
    };
  }

  /** Bulk form: one code per principal (index order of `principals`) for the same request. */
  evaluateAll(action: string, resource: string, ctx?: RequestContext): Uint8Array {
    const out = new Uint8Array(this.principals.length);
    const a = action.toLowerCase();
    const svc = a.slice(0, Math.max(0, a.indexOf(':')));
    const extra = ctx ? lookupOf(ctx) : null;
    // A resource policy can grant without any identity allow: then every principal is decided.
    const rp = resource !== ANY_RESOURCE && this.resourcePolicies.find(resource) !== null;
    for (let i = 0; i < out.length; i++) {
      const p = this.principals[i]!;
      if (!rp && !this.mayAllow(p, svc)) continue; // no identity allow at all: implicit deny
      out[i] = this.decide(i, a, resource, extra);
    }
    return out;
  }

  principalOf(arn: string): PrincipalModel | undefined {
    const i = this.byArn.get(arn);
    return i === undefined ? undefined : this.principals[i];
  }
}

/** Compiles an environment for evaluation. */
export function createAwsEvaluator(env: AwsEnvironment): AwsEvaluator {
  return new AwsEvaluator(env);
}

export { ADMIN_POLICY_ARN };
