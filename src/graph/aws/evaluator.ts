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
 *
 * The scan of a policy set and the combination of the parts are in `evaluator-decision.ts`; the
 * compiled model (principals, managed policies, groups, SCPs) is built by `principal-model.ts`.
 * The hot methods (`parts`, `evaluate`, `decide`, `evaluateAll`) stay here and call the scan
 * directly, with no layer in between.
 */
import { ADMIN_POLICY_ARN } from './builtin-policies.js';
import { lookupOf, type ContextLookup, type RequestContext } from './conditions.js';
import type { CompiledPolicy } from './policy-compiler.js';
import { decideWithResource, resourceSide, ResourcePolicyIndex } from './resource-policy.js';
import type { AwsEnvironment } from './types.js';
import {
  ALLOW_COND,
  ANY_RESOURCE,
  B_ALLOW,
  B_ALLOW_C,
  combineDecision,
  DENY,
  NONE,
  principalKey,
  scanPolicies,
  type Code,
  type DecisionParts,
} from './evaluator-decision.js';
import {
  addPrincipalModel,
  builtinManagedPolicy,
  compileGroups,
  compileManagedPolicies,
  compileScps,
  InlinePolicyCache,
  type GroupModel,
  type ManagedPolicyModel,
  type PrincipalModel,
} from './principal-model.js';

export {
  NONE,
  ALLOW,
  ALLOW_COND,
  DENY,
  ANY_RESOURCE,
  resolvePattern,
  scanPolicies,
  type Code,
  type DecisionParts,
} from './evaluator-decision.js';
export type { PrincipalModel, ManagedPolicyModel } from './principal-model.js';

export interface CanDoResult {
  decision: 'allow' | 'deny' | 'implicit-deny';
  conditional: boolean;
  reasons: string[];
}

/** Services whose resources carry resource-based policies (cross-account access goes through them). */
const RESOURCE_POLICY_SERVICES = new Set(['s3', 'kms', 'lambda', 'secretsmanager', 'sqs', 'sns']);

/**
 * Compiled view of an environment. Build once (`createAwsEvaluator(env)`), query many times.
 */
export class AwsEvaluator {
  readonly principals: PrincipalModel[] = [];
  readonly byArn = new Map<string, number>();
  readonly roleIdxByArn = new Map<string, number>();
  readonly managed = new Map<string, ManagedPolicyModel>();
  readonly groups = new Map<string, GroupModel>();
  readonly scps: CompiledPolicy[] = [];
  readonly managementAccounts: ReadonlySet<string>;
  readonly issues: string[] = [];
  /** Resource-based policies of the environment (bucket, key, function, secret, queue, topic). */
  readonly resourcePolicies: ResourcePolicyIndex;
  /** Owner account of inventory resources whose ARN does not carry it (S3 buckets). */
  readonly resourceAccounts = new Map<string, string | null>();
  private readonly inline = new InlinePolicyCache();

  constructor(readonly env: AwsEnvironment) {
    compileManagedPolicies(env.policies, this.managed, this.issues);
    compileGroups(env, this.groups);
    this.scps.push(...compileScps(env));
    this.managementAccounts = new Set(env.managementAccounts);
    for (const u of env.users) addPrincipalModel(this, this.inline, u);
    for (const r of env.roles) addPrincipalModel(this, this.inline, r);
    this.resourcePolicies = new ResourcePolicyIndex(env.resourcePolicies ?? []);
    this.issues.push(...this.resourcePolicies.issues);
    for (const r of env.inventory ?? []) this.resourceAccounts.set(r.arn, r.account);
  }

  /** Compiled default version of a managed policy, from the export or the built-in set. */
  managedPolicy(arn: string): CompiledPolicy | null {
    const m = this.managed.get(arn);
    if (m) return m.compiled;
    const b = builtinManagedPolicy(arn);
    if (!b) return null;
    this.managed.set(arn, b);
    return b.compiled;
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
  static readonly combine = combineDecision;

  /** Fast decision code for a principal index; `action` any case. */
  evaluate(
    pIdx: number,
    action: string,
    resource: string,
    extra: ContextLookup | null = null,
    why: string[] | null = null,
  ): Code {
    const p = this.principals[pIdx]!;
    return combineDecision(this.parts(p, action, resource, extra, why));
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
    if (resource === ANY_RESOURCE) return combineDecision(parts);
    const rp = this.resourcePolicies.find(resource);
    const a = action.toLowerCase();
    const svc = a.slice(0, Math.max(0, a.indexOf(':')));
    if (!rp) {
      if (!RESOURCE_POLICY_SERVICES.has(svc)) return combineDecision(parts);
      const acct = this.resourceAccount(resource);
      if (acct === null || acct === p.account) return combineDecision(parts);
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
