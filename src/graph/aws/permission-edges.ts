/**
 * `has-permission` edges with levels (list / read / write / admin, see `access-levels.ts`) from
 * every user and role to the resources it can reach, honouring Deny, boundaries, SCPs, resource
 * policies and conditions (a grant that depends on request context gives `conditional: true`).
 *
 * Compact representation (the 100,000-principal case must not explode): when a principal's
 * identity policies grant a service on every resource of its account (checked with a probe ARN,
 * and only when no Deny of that service in its identity policies, boundary or SCPs could carve
 * resources out), it gets ONE edge to the per-account service scope node `aws:ACCOUNT:SERVICE:*`
 * with the level, instead of one edge per resource. Blast radius expands a scope node to the
 * concrete resources of that account and service at query time (`expandServiceScopes`).
 * A resource whose own policy can take access away (a Deny statement, a KMS key policy that does
 * not delegate every level to the account root) is "guarded": it is
 * evaluated per principal, gets explicit edges, and an `owns` marker edge from the scope node
 * tells the expansion to leave it out. Explicit edges are also emitted where a resource policy
 * grants more than the scope (named principals, other accounts' roots).
 *
 * An Allow to `*` in a resource policy is not turned into one edge per principal of the export:
 * it is reported once as the resource's exposure (`public` or `conditional`), see `exposures`.
 *
 * Resources are those of the environment's inventory (listings, resource-policy files); resources
 * only the store knows (CloudTrail-observed ARNs) are reached through the scope nodes. A resource
 * whose owner account is unknown (a bucket of a multi-account export without `ExpectedBucketOwner`)
 * is covered by no scope: only grants that name it give an edge, marked conditional.
 * Administrator-equivalent principals get no level edges: their `has-permission admin` edge to `*`
 * (and the account's admin node in the graph) already says everything.
 */
import { LEVEL_PROBES, LEVEL_SERVICES, scopeNodeId, type GrantLevel } from './access-levels.js';
import type { AwsEvaluator } from './evaluator.js';
import { ALLOW, type PrincipalModel } from './evaluator.js';
import {
  ALL_SERVICES,
  levelOn,
  mayName,
  objectSamples,
  ScopeCache,
  scopeOf,
  scopeReason,
  type Level,
  type PolicyEntry,
} from './permission-scope.js';
import { statementMatchesAction } from './policy-compiler.js';
import type { CompiledResourcePolicy } from './resource-policy.js';
import type { AwsInventoryResource } from './types.js';

export interface PermissionEdge {
  kind: 'has-permission' | 'owns';
  from: string;
  to: string;
  level?: GrantLevel;
  sensitivity?: 'low' | 'medium' | 'high' | 'critical';
  conditional: boolean;
  reason: string;
}

export interface ResourceExposure {
  arn: string;
  type: string;
  account: string | null;
  exposure: CompiledResourcePolicy['exposure'];
  why: readonly string[];
  source: string;
  /** Public / conditional exposure: the highest level the policy gives any principal (`*`). */
  level?: GrantLevel;
  /** The resource's sensitivity when known (listing, or the service's default). */
  sensitivity?: 'low' | 'medium' | 'high' | 'critical';
}

const LEVEL_ORDER: readonly GrantLevel[] = ['list', 'read', 'write', 'admin'];

/** Highest level an Allow to any principal (`*`, or NotPrincipal) grants, probed per service. */
function anyoneLevel(rp: CompiledResourcePolicy): GrantLevel | undefined {
  let best = -1;
  for (const st of rp.policy.statements) {
    if (st.deny || !st.principal || !(st.principal.any || st.notPrincipal)) continue;
    for (const pr of LEVEL_PROBES[rp.service] ?? [])
      if (statementMatchesAction(st, pr.action.toLowerCase()))
        best = Math.max(best, LEVEL_ORDER.indexOf(pr.level));
  }
  return best < 0 ? undefined : LEVEL_ORDER[best];
}

interface Res {
  readonly r: AwsInventoryResource;
  readonly rp: CompiledResourcePolicy | null;
  readonly guarded: boolean;
  readonly sensitivity: PermissionEdge['sensitivity'];
}

const NO_RES: Res[] = [];

const DEFAULT_SENSITIVITY: Record<string, PermissionEdge['sensitivity']> = {
  secretsmanager: 'high',
  kms: 'high',
  ssm: 'medium',
  s3: 'medium',
  dynamodb: 'medium',
};

/** A KMS key policy that allows every level to the account root unconditionally only delegates. */
function kmsDelegatesAll(rp: CompiledResourcePolicy): boolean {
  if (!rp.account) return false;
  return LEVEL_PROBES.kms!.every((pr) =>
    rp.policy.statements.some(
      (st) =>
        !st.deny &&
        !st.notPrincipal &&
        !st.conditions &&
        st.principal !== null &&
        st.principal.aws.some((a) => a === rp.account || a.endsWith(`:iam::${rp.account}:root`)) &&
        statementMatchesAction(st, pr.action.toLowerCase()),
    ),
  );
}

export interface PermissionEdgeResult {
  edges: PermissionEdge[];
  exposures: ResourceExposure[];
  /** Scope edges and explicit per-resource edges. */
  stats: { scope: number; explicit: number; guarded: number };
}

/**
 * Builds the edges for every principal that is not already administrator-equivalent
 * (`adminState[i] === 1`: its `has-permission admin` edge to `*` covers every resource).
 */
/** No statement names the resource itself (only wildcards such as `*` or `arn:aws:s3:::*` reach it). */
function universalOnly(p: PrincipalModel, svc: string, arn: string): boolean {
  for (const pol of p.identity)
    for (const st of [...pol.wild, ...(pol.byService.get(svc) ?? [])])
      if (!st.deny && st.resources && !st.notResource)
        for (const r of st.resources) if (r.raw === arn || r.raw.startsWith(`${arn}/`)) return false;
  return true;
}

export function buildPermissionEdges(ev: AwsEvaluator, adminState: Uint8Array): PermissionEdgeResult {
  const edges: PermissionEdge[] = [];
  const stats = { scope: 0, explicit: 0, guarded: 0 };
  const rps = ev.resourcePolicies;
  // Inventory by service, with the resource policy and guard of each.
  const bySvc = new Map<string, Res[]>();
  const seen = new Set<string>();
  const inventory: AwsInventoryResource[] = [...(ev.env.inventory ?? [])];
  for (const rp of rps.byArn.values())
    if (!(ev.env.inventory ?? []).some((r) => r.arn === rp.arn))
      inventory.push({ arn: rp.arn, service: rp.service, type: rp.type, name: rp.arn, account: rp.account });
  for (const r of inventory) {
    if (!LEVEL_PROBES[r.service] || seen.has(r.arn)) continue;
    seen.add(r.arn);
    const rp = rps.find(r.arn);
    const guarded = rp !== null && (rp.hasDeny || (rp.service === 'kms' && !kmsDelegatesAll(rp)));
    if (guarded) stats.guarded++;
    const sensitivity = r.sensitivity ?? DEFAULT_SENSITIVITY[r.service];
    const list = bySvc.get(r.service) ?? bySvc.set(r.service, []).get(r.service)!;
    list.push({ r, rp, guarded, ...(sensitivity ? { sensitivity } : {}) } as Res);
  }
  // Resources whose policy names a principal or an account root (other than `*`).
  const byNamed = new Map<string, Res[]>();
  for (const list of bySvc.values())
    for (const x of list) {
      if (!x.rp) continue;
      const keys = [...x.rp.named, ...[...x.rp.rootAccounts].map((a) => `root:${a}`)];
      for (const k of keys) (byNamed.get(k) ?? byNamed.set(k, []).get(k)!).push(x);
    }
  const cache = new ScopeCache(ev);
  const entries: PolicyEntry[] = [];
  // Per account: which scope nodes got edges, and the shared reason text of each level result.
  const scopeInfo = new Map<string, { used: Uint8Array; ids: string[]; reasons: Map<object, string> }>();
  let acct: { used: Uint8Array; ids: string[]; reasons: Map<object, string> } | null = null;
  let acctId = '';
  for (const p of ev.principals) {
    if (adminState[p.idx] === 1) continue;
    const named: Res[] =
      byNamed.size === 0
        ? NO_RES
        : [
            ...(byNamed.get(p.arn) ?? []),
            ...(p.id ? (byNamed.get(p.id) ?? []) : []),
            ...(byNamed.get(`root:${p.account}`) ?? []),
          ];
    let svcBits = p.allowWild ? ALL_SERVICES : 0;
    entries.length = 0;
    for (const pol of p.identity) {
      const e = cache.entry(p.account, pol, null);
      entries.push(e);
      svcBits |= e.allow;
    }
    if (svcBits === 0 && named.length === 0) continue;
    const bd = p.boundary ? cache.entry(p.account, p.boundary, null) : null;
    const scpEntry = ev.scpApplies(p) ? cache.scp(p.account) : null;
    let namedBits = 0;
    for (const x of named) namedBits |= 1 << LEVEL_SERVICES.indexOf(x.r.service);
    // Only the services the principal's policies (or a resource policy naming it) can grant.
    for (let todo = svcBits | namedBits; todo !== 0; todo &= todo - 1) {
      const si = 31 - Math.clz32(todo & -todo);
      const svc = LEVEL_SERVICES[si]!;
      const resources = bySvc.get(svc);
      const identityNames = (svcBits & (1 << si)) !== 0;
      // 1. Scope: every resource of the service in the principal's account.
      let scope: Level = null;
      if (identityNames) {
        const sc = scopeOf(ev, p, si, entries, bd, scpEntry);
        if (sc !== 'carve') scope = sc;
      }
      if (scope) {
        if (acct === null || acctId !== p.account) {
          acctId = p.account;
          acct = scopeInfo.get(acctId) ?? null;
          if (!acct)
            scopeInfo.set(
              acctId,
              (acct = {
                used: new Uint8Array(LEVEL_SERVICES.length),
                ids: LEVEL_SERVICES.map((x) => scopeNodeId(acctId, x)),
                reasons: new Map(),
              }),
            );
        }
        acct.used[si] = 1;
        stats.scope++;
        let reason = acct.reasons.get(scope);
        if (!reason)
          acct.reasons.set(scope, (reason = scopeReason(scope.action, scope.level, svc, p.account)));
        const e: PermissionEdge = {
          kind: 'has-permission',
          from: p.arn,
          to: acct.ids[si]!,
          level: scope.level,
          conditional: scope.code !== ALLOW,
          reason,
        };
        const sensitivity = DEFAULT_SENSITIVITY[svc];
        if (sensitivity) e.sensitivity = sensitivity;
        edges.push(e);
      }
      if (!resources) continue;
      // 2. Explicit: guarded resources, resources of other accounts, resources named for it.
      const all = { v: false };
      const pick = (x: Res): boolean => {
        const other = x.r.account !== null && x.r.account !== p.account;
        if (named.includes(x)) return true;
        if (!identityNames) return false;
        if (other && !x.rp) return false; // cross account needs a resource policy
        // A resource whose owner is unknown (a bucket of a multi-account export) is reached only
        // through grants that name it, never through a wildcard (it may be anyone's).
        if (x.r.account === null) return !universalOnly(p, svc, x.r.arn);
        if (scope && !other && !x.guarded) return false; // covered by the scope edge
        return all.v || mayName(p, svc, x.r.arn, all);
      };
      for (const x of resources) {
        if (!pick(x)) continue;
        const lv = levelOn(
          ev,
          p,
          svc,
          x.r.arn,
          true,
          null,
          svc === 's3' ? objectSamples(p, svc, x.r.arn) : [],
        );
        if (!lv) continue;
        stats.explicit++;
        edges.push({
          kind: 'has-permission',
          from: p.arn,
          to: x.r.arn,
          level: lv.level,
          ...(x.sensitivity ? { sensitivity: x.sensitivity } : {}),
          // Owner unknown: the grant holds only if the resource is in the principal's account.
          conditional: lv.code !== ALLOW || x.r.account === null,
          reason: `${lv.action} (${lv.level}) allowed${x.rp ? ` (resource policy from ${x.rp.source} considered)` : ''}${x.r.account === null ? '; owner account unknown' : ''}`,
        });
      }
    }
  }
  // Markers: guarded resources are not covered by their account's scope node.
  for (const list of bySvc.values())
    for (const x of list) {
      if (!x.guarded || !x.r.account) continue;
      const si = LEVEL_SERVICES.indexOf(x.r.service);
      if (!scopeInfo.get(x.r.account)?.used[si]) continue;
      const scope = scopeNodeId(x.r.account, x.r.service);
      edges.push({
        kind: 'owns',
        from: scope,
        to: x.r.arn,
        conditional: false,
        reason: `${x.r.arn} has its own restrictive resource policy: evaluated per principal, not covered by ${scope}`,
      });
    }
  const sensOf = new Map<string, PermissionEdge['sensitivity']>();
  for (const list of bySvc.values())
    for (const x of list) if (x.sensitivity) sensOf.set(x.r.arn, x.sensitivity);
  const exposures: ResourceExposure[] = [...rps.byArn.values()].map((rp) => {
    const x: ResourceExposure = {
      arn: rp.arn,
      type: rp.type,
      account: rp.account,
      exposure: rp.exposure,
      why: rp.exposureWhy,
      source: rp.source,
    };
    const level = rp.exposure === 'public' || rp.exposure === 'conditional' ? anyoneLevel(rp) : undefined;
    if (level) x.level = level;
    const sensitivity = sensOf.get(rp.arn) ?? DEFAULT_SENSITIVITY[rp.service];
    if (sensitivity) x.sensitivity = sensitivity;
    return x;
  });
  return { edges, exposures, stats };
}
