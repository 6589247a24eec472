/**
 * Query-time expansion of AWS service scope nodes (`aws:ACCOUNT:SERVICE:*`, see
 * `permission-edges.ts`): a principal whose identity policies grant a service on every resource
 * of its account holds one `has-permission` edge to the scope node instead of one edge per
 * resource, and a blast radius that reaches the scope node lists every concrete AWS resource of
 * that account and service in the graph at the scope's level — except the resources the scope
 * node marks (`owns` edge) as guarded by their own restrictive policy, which the principal
 * reaches only through its explicit edges. A resource already reached at a higher level keeps it.
 *
 * Cost: one pass over the graph's nodes per graph (an index kept in a WeakMap), then linear in
 * the resources of the scopes reached.
 */
import type { AccessLevel, Sensitivity } from '../../model/index.js';
import type { AccessGraph } from '../access-graph.js';
import { EK, LEVELS, NK } from '../graph-codes.js';
import {
  blastRadius,
  serviceScopesOf,
  type BlastRadius,
  type BlastRadiusOptions,
  type ReachedResource,
} from '../traverse.js';
import { parseScopeNodeId } from './access-levels.js';
import { plainReached } from '../resource-rows.js';

interface ScopeIndex {
  /** `account|service` -> resource nodes. */
  readonly members: Map<string, number[]>;
}

const indexes = new WeakMap<AccessGraph, ScopeIndex>();

function indexOf(g: AccessGraph): ScopeIndex {
  let ix = indexes.get(g);
  if (ix) return ix;
  const members = new Map<string, number[]>();
  const kinds = g.a.nodeKind;
  for (let v = 0; v < g.nodeCount; v++) {
    if (kinds[v] !== NK.resource || g.provider(v) !== 'aws') continue;
    const id = g.nativeId(v);
    if (!id.startsWith('arn:')) continue;
    const parts = id.split(':');
    const service = parts[2] ?? '';
    const account = g.account(v) ?? (/^\d{12}$/.test(parts[4] ?? '') ? parts[4]! : '');
    if (!service || !account || id.includes('*')) continue;
    const k = `${account}|${service}`;
    (members.get(k) ?? members.set(k, []).get(k)!).push(v);
  }
  ix = { members };
  indexes.set(g, ix);
  return ix;
}

/** Resource nodes a scope node marks as not covered (its `owns` edges). */
function guardedOf(g: AccessGraph, scope: number): Set<number> {
  const out = new Set<number>();
  const owns = EK['owns'];
  for (let q = g.a.outOffsets[scope]!, end = g.a.outOffsets[scope + 1]!; q < end; q++)
    if (g.a.kind[q] === owns) out.add(g.a.targets[q]!);
  return out;
}

/** Whether a node's native id is an AWS service scope node (`aws:ACCOUNT:SERVICE:*`). */
export function isServiceScope(nativeId: string): boolean {
  return nativeId.startsWith('aws:') && parseScopeNodeId(nativeId) !== null;
}

/**
 * The blast radius with every AWS service scope reached expanded to its resources. Scope nodes are
 * kept past `limit`, so the expansion (and the summary's counts) do not depend on where they rank.
 *
 * @example
 * const br = scopedBlastRadius(graph, graph.find(recordId.identity('aws', arn)), { limit: 100 });
 */
export function scopedBlastRadius(
  g: AccessGraph,
  start: number | readonly number[],
  options: BlastRadiusOptions = {},
): BlastRadius {
  return expandServiceScopes(g, blastRadius(g, start, { ...options, keep: isServiceScope }), options.limit);
}

/**
 * Returns `br` with the concrete resources behind every AWS service scope node it reached
 * (a new object; `br` is left as is). `limit` caps the materialised resources (default 100,000);
 * the summary counts all.
 *
 * @example
 * const br = expandServiceScopes(graph, blastRadius(graph, node, { keep: isServiceScope }));
 */
export function expandServiceScopes(g: AccessGraph, br: BlastRadius, limit = 100_000): BlastRadius {
  // A blast radius knows its scopes from their node records: reading every resource (its native id
  // above all) to find the few scopes costs more than the traversal in a first query.
  const scopes = (serviceScopesOf(br) ?? br.resources.filter((r) => isServiceScope(r.nativeId))).filter(
    (r) => r.provider === 'aws',
  );
  if (scopes.length === 0) return br;
  const ix = indexOf(g);
  const resources = [...br.resources];
  const pos = new Map<string, number>(resources.map((r, i) => [r.id, i]));
  const summary = {
    ...br.summary,
    byLevel: { ...br.summary.byLevel },
    bySensitivity: { ...br.summary.bySensitivity },
  };
  // Highest level first, so a resource under several scopes takes the best one.
  scopes.sort((a, b) => LEVELS.indexOf(b.level) - LEVELS.indexOf(a.level));
  for (const sc of scopes) {
    const { account, service } = parseScopeNodeId(sc.nativeId)!;
    const node = g.find(sc.id);
    const guarded = node >= 0 ? guardedOf(g, node) : new Set<number>();
    for (const v of ix.members.get(`${account}|${service}`) ?? []) {
      if (guarded.has(v)) continue;
      const id = g.key(v);
      const nativeId = g.nativeId(v);
      const at = pos.get(id);
      const sens: Sensitivity | undefined = g.sensitivity(v);
      if (at !== undefined) {
        const cur = resources[at]!;
        if (LEVELS.indexOf(cur.level) >= LEVELS.indexOf(sc.level)) continue;
        summary.byLevel[cur.level]--;
        summary.byLevel[sc.level]++;
        resources[at] = { ...plainReached(cur), level: sc.level };
        continue;
      }
      summary.resources++;
      summary.byLevel[sc.level as AccessLevel]++;
      summary.bySensitivity[sens ?? 'unknown']++;
      if (resources.length >= limit) {
        summary.truncated = true;
        continue;
      }
      const r: ReachedResource = {
        id,
        nativeId,
        provider: 'aws',
        account,
        level: sc.level,
        hops: sc.hops + 1,
        path: [...sc.path, nativeId],
        chain: [
          ...sc.chain,
          {
            from: sc.nativeId,
            to: nativeId,
            kind: 'has-permission',
            level: sc.level,
            confidence: sc.confidence,
            note: `every ${service} resource of ${account}`,
          },
        ],
        confidence: sc.confidence,
      };
      const t = g.type(v);
      if (t) r.type = t;
      if (sens) r.sensitivity = sens;
      pos.set(id, resources.length);
      resources.push(r);
    }
  }
  if (summary.maxHops < Math.max(...scopes.map((s) => s.hops + 1)))
    summary.maxHops = Math.max(...scopes.map((s) => s.hops + 1));
  return { ...br, resources, summary };
}
