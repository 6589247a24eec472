import type { AccessLevel, EdgeKind, Sensitivity } from '../model/index.js';
import { SERVICE_SCOPE, type AccessGraph, type Visits } from './access-graph.js';
import { LEVELS, NK, SENSITIVITIES } from './graph-codes.js';
import { explore, isTerminalKind } from './explore.js';
import { ChainLink, edgeStep, Identity } from './reached.js';
import { Resource, ResourceRows } from './resource-rows.js';

/** One hop of a chain, as people read it. */
export interface ChainStep {
  from: string;
  to: string;
  kind: EdgeKind;
  technique?: string;
  level?: AccessLevel;
  confidence: number;
  note?: string;
}

export interface ReachedResource {
  /** Node key (store record id or builder key). */
  id: string;
  nativeId: string;
  provider?: string;
  type?: string;
  account?: string;
  /** The highest level reached over every chain. */
  level: AccessLevel;
  sensitivity?: Sensitivity;
  hops: number;
  /** Native ids from the start to the resource, along the shortest chain. */
  path: string[];
  chain: ChainStep[];
  /** Lowest edge confidence along the chain. */
  confidence: number;
  admin?: boolean;
}

export interface ReachedIdentity {
  id: string;
  nativeId: string;
  kind: string;
  provider?: string;
  type?: string;
  hops: number;
  path: string[];
  chain: ChainStep[];
  confidence: number;
}

export interface BlastRadius {
  start: { id: string; nativeId: string; kind: string }[];
  resources: ReachedResource[];
  identities: ReachedIdentity[];
  summary: {
    resources: number;
    identities: number;
    byLevel: Record<AccessLevel, number>;
    bySensitivity: Record<Sensitivity | 'unknown', number>;
    /** Administrator-equivalent targets reached (account, cluster, project, tenant). */
    admin: string[];
    providers: string[];
    maxHops: number;
    truncated: boolean;
  };
}

export interface TraverseOptions {
  /** Follow can-invoke edges (a node that can make an agent act gains the agent's reach). Default true. */
  followInvoke?: boolean;
  /** Stop after this many hops. */
  maxDepth?: number;
  /** Ignore edges below this confidence (0..1). */
  minConfidence?: number;
}

export interface BlastRadiusOptions extends TraverseOptions {
  /** Materialise at most this many resources (the summary still counts all). Default 100,000. */
  limit?: number;
  /** Resources materialised even past the limit (nodes a caller expands, such as AWS service scopes). */
  keep?: (nativeId: string) => boolean;
}

export { canFollow, explore, grantedLevel, pivotNeed } from './explore.js';

/**
 * Shortest chains of one traversal, memoised per principal: resources hanging off the same
 * identity share its link (decoded once), so materialising thousands of chains stays linear.
 * A link keeps its edge and builds the step people read only when a chain is read.
 */
class ChainMaker {
  /** Link of each principal's visit, once made (filled, so its elements never change kind). */
  private readonly memo: (ChainLink | undefined)[];
  constructor(
    private readonly g: AccessGraph,
    private readonly vis: Visits,
  ) {
    this.memo = new Array<ChainLink | undefined>(vis.size).fill(undefined);
  }

  /** Link of visit i; `known` is its native id when the caller has decoded it already. */
  link(i: number, known?: string): ChainLink {
    return this.make(i, 0, known);
  }

  /** Link of the visit a non-start visit i was reached from (its chain without its last hop). */
  parentLink(i: number): ChainLink {
    return this.make(this.vis.parent[i]!, 1);
  }

  private make(i: number, depth: number, known?: string): ChainLink {
    const hit = this.memo[i];
    if (hit) return hit;
    const { g, vis } = this;
    const v = vis.node[i]!;
    const e = vis.edge[i]!;
    const id = known ?? g.nativeId(v);
    const c =
      e < 0 || depth > 1000
        ? new ChainLink(undefined, id, g, -1, 1)
        : new ChainLink(this.make(vis.parent[i]!, depth + 1), id, g, e, g.edgeConfidence(e));
    if (!isTerminalKind(g.kindCode(v))) this.memo[i] = c;
    return c;
  }
}

/** Native-id path and steps for a list of nodes and the edges between them. */
export function describeChain(g: AccessGraph, nodes: readonly number[], edges: readonly number[]) {
  const path = nodes.map((n) => g.nativeId(n));
  let confidence = 1;
  const chain: ChainStep[] = edges.map((e, i) => {
    const step = edgeStep(g, e, path[i]!, path[i + 1]!);
    confidence = Math.min(confidence, step.confidence);
    return step;
  });
  return { path, chain, confidence };
}

/**
 * Everything reachable from one or more start nodes: each resource with the highest level reached
 * and the shortest chain to it, each identity reached with its chain.
 *
 * @example
 * const br = blastRadius(graph, graph.find(recordId.agent('support-bot')));
 * br.resources[0] // { nativeId: 'arn:aws:s3:::payroll', level: 'write', path: ['support-bot', ...] }
 */
export function blastRadius(
  g: AccessGraph,
  start: number | readonly number[],
  options: BlastRadiusOptions = {},
): BlastRadius {
  const sources = typeof start === 'number' ? [start] : [...start];
  const vis = explore(g, sources, options);
  const chains = new ChainMaker(g, vis);
  const limit = options.limit ?? 100_000;
  const t = tally(g, vis);
  const byLevel: Record<AccessLevel, number> = { none: 0, list: 0, read: 0, write: 0, admin: 0 };
  const bySensitivity: Record<Sensitivity | 'unknown', number> = {
    unknown: 0,
    low: 0,
    medium: 0,
    high: 0,
    critical: 0,
  };
  for (let i = 0; i < LEVELS.length; i++) byLevel[LEVELS[i]!] += t.levelCount[i]!;
  for (let i = 0; i < SENSITIVITIES.length; i++) bySensitivity[SENSITIVITIES[i]!] += t.sensCount[i]!;
  const providers: string[] = [];
  for (let i = 0; i < t.provSeen.length; i++) {
    const name = t.provSeen[i] ? g.t.providers[i] : undefined;
    if (name) providers.push(name);
  }
  const identities: ReachedIdentity[] = [];
  for (let k = 0; k < t.identities.length && identities.length < limit; k++)
    identities.push(identityOf(g, vis, chains, t.identities[k]!));
  const order = rankResources(vis, t);
  const admin: string[] = [];
  const scopes: ReachedResource[] = [];
  const resources = listResources(vis, chains, t, order, limit, options.keep, admin, scopes);
  const br: BlastRadius = {
    start: sources
      .filter((x) => x >= 0)
      .map((x) => ({ id: g.key(x), nativeId: g.nativeId(x), kind: g.kind(x) })),
    resources,
    identities,
    summary: {
      resources: t.resourceCount,
      identities: identities.length,
      byLevel,
      bySensitivity,
      admin,
      providers: [...new Set(providers)].sort(),
      maxHops: t.maxHops,
      truncated: t.resourceCount > resources.length,
    },
  };
  scopesOf.set(br, scopes);
  return br;
}

/** The AWS service scope nodes among each blast radius's listed resources (see serviceScopesOf). */
const scopesOf = new WeakMap<BlastRadius, readonly ReachedResource[]>();

/**
 * The listed resources of `br` that are AWS service scope nodes, when `br` is a {@link blastRadius}
 * result: found from their node records as they were listed, so the scope expansion does not read
 * every resource of a large blast radius to find the few scopes. Undefined for any other value.
 */
export function serviceScopesOf(br: BlastRadius): readonly ReachedResource[] | undefined {
  return scopesOf.get(br);
}

/**
 * The resources in rank order, up to `limit` (and those `keep` names), and the admin targets and
 * AWS service scopes among them. A loop of its own: V8 optimises it alone instead of recompiling all of blastRadius
 * around it (on-stack replacement), which the first query of a process paid for.
 */
function listResources(
  vis: Visits,
  chains: ChainMaker,
  t: Tally,
  idx: ArrayLike<number>,
  limit: number,
  keep: ((nativeId: string) => boolean) | undefined,
  admin: string[],
  scopes: ReachedResource[],
): ReachedResource[] {
  // Sized once (not grown push by push: a first query's garbage is what its collections copy).
  const listed = Math.min(t.resourceCount, limit);
  const resources = new Array<ReachedResource>(listed);
  let k = 0;
  const rows = t.rows;
  const rec = rows.record;
  for (let r = 0; r < t.resourceCount; r++) {
    const x = idx[r]!;
    // The admin flag (bit 7 of the node record).
    if ((rec[x * 4]! & 0x80) !== 0) admin.push(rows.nativeId(x));
    if (k >= limit && !keep?.(rows.nativeId(x))) continue;
    // A resource or admin target is the last link of its chain itself. A principal listed as a
    // resource (one flagged administrator-equivalent) gets its own link, as any principal does:
    // chains that pass through it share it (and a chain cut for looping is cut at the same place).
    const i = t.resources[x]!;
    rows.prev[x] = isTerminalKind(rec[x * 4]! & 15)
      ? chains.parentLink(i)
      : chains.link(i, rows.nativeId(x)).prev!;
    const res = new Resource(rows, x) as ReachedResource;
    resources[k++] = res;
    if ((rec[x * 4]! & SERVICE_SCOPE) !== 0) scopes.push(res);
  }
  return resources;
}

/** One pass over the visits of a traversal, by code in typed arrays (names are looked up once). */
interface Tally {
  /** Visit numbers of the resources reached, in the order reached. */
  resources: Int32Array;
  resourceCount: number;
  /** What the results read of those resources, row r for the r-th resource reached. */
  rows: ResourceRows;
  /** Visit numbers of the identities (principals) reached, in the order reached. */
  identities: number[];
  maxHops: number;
  provSeen: Uint8Array;
  levelCount: Int32Array;
  sensCount: Int32Array;
}

function tally(g: AccessGraph, vis: Visits): Tally {
  const rec = vis.record;
  const rows = new ResourceRows(g, vis.size);
  const t: Tally = {
    resources: new Int32Array(vis.size),
    resourceCount: 0,
    rows,
    identities: [],
    maxHops: 0,
    provSeen: new Uint8Array(g.t.providers.length + 1),
    levelCount: new Int32Array(LEVELS.length),
    sensCount: new Int32Array(SENSITIVITIES.length),
  };
  for (let i = 0; i < vis.size; i++) {
    // Start nodes (parent -1) are not part of their own blast radius.
    if (vis.parent[i]! < 0) continue;
    const w = rec[i * 4]!;
    const kc = w & 15;
    const hops = vis.depth[i]!;
    if (hops > t.maxHops) t.maxHops = hops;
    t.provSeen[(w >>> 8) & 0xffff] = 1;
    if (isTerminalKind(kc) || (w & 0x80) !== 0) {
      const r = t.resourceCount++;
      t.resources[r] = i;
      // The row: what the results read, copied out of the visit table (the next query reuses it).
      rows.node[r] = vis.node[i]!;
      rows.level[r] = vis.level[i]!;
      rows.hops[r] = hops;
      rows.edge[r] = vis.edge[i]!;
      rows.record[r * 4] = w;
      rows.record[r * 4 + 1] = rec[i * 4 + 1]!;
      rows.record[r * 4 + 2] = rec[i * 4 + 2]!;
      rows.record[r * 4 + 3] = rec[i * 4 + 3]!;
      t.levelCount[vis.level[i]!]!++;
      t.sensCount[(w >>> 4) & 7]!++;
    } else if (kc !== NK.unknown) t.identities.push(i);
    // (A node only known from a dangling edge, kind unknown, has nothing to show.)
  }
  return t;
}

/**
 * The order resources are listed in: highest level, then most sensitive, then fewest hops, then
 * the order reached (breadth first, so the resources one identity gives stay together), so the
 * limit keeps the most significant ones. The three keys make a bucket number, and a stable
 * counting sort over the buckets needs no comparator and no native id: a comparison sort made
 * tens of thousands of calls of its comparator before V8 had optimised it, and ordering ties by
 * native id meant decoding every one of them, in the first query of a process.
 */
function rankResources(vis: Visits, t: Tally): Int32Array {
  const n = t.resourceCount;
  const idx = new Int32Array(n);
  const depths = t.maxHops + 1;
  // Bucket (63 - (level << 3 | sensitivity)) * depths + hops: level 0..4 and sensitivity 0..4
  // keep (level << 3 | sensitivity) under 64. Chains of more than 16,383 hops sort the slow way.
  if (depths > 16_384) return rankByComparison(vis, t);
  const bucket = new Int32Array(n);
  const start = new Int32Array(64 * depths + 1);
  // One loop per function: V8 compiles each loop alone when it gets hot (on-stack replacement),
  // rather than all of them, again after each one it had no feedback for.
  bucketsOf(t.rows, n, depths, bucket, start);
  placeByBucket(n, bucket, start, idx);
  return idx;
}

/** Bucket of each resource, and the count of each bucket (in start[b + 1]). */
function bucketsOf(
  rows: ResourceRows,
  n: number,
  depths: number,
  bucket: Int32Array,
  start: Int32Array,
): void {
  const rec = rows.record;
  for (let r = 0; r < n; r++) {
    const ls = (rows.level[r]! << 3) | ((rec[r * 4]! >>> 4) & 7);
    const b = (63 - ls) * depths + rows.hops[r]!;
    bucket[r] = b;
    start[b + 1]!++;
  }
}

/** Counting sort by bucket, stable: within a bucket, the order reached. */
function placeByBucket(n: number, bucket: Int32Array, start: Int32Array, idx: Int32Array): void {
  for (let b = 1; b < start.length; b++) start[b]! += start[b - 1]!;
  for (let r = 0; r < n; r++) idx[start[bucket[r]!]!++] = r;
}

/** The same order by one comparison sort (chains too long for the buckets). */
function rankByComparison(vis: Visits, t: Tally): Int32Array {
  const n = t.resourceCount;
  const rec = vis.record;
  const rank = new Float64Array(n);
  const order: number[] = [];
  for (let r = 0; r < n; r++) {
    const i = t.resources[r]!;
    rank[r] =
      vis.level[i]! * 1e8 + ((rec[i * 4]! >>> 4) & 7) * 1e6 + (1e6 - 1 - Math.min(vis.depth[i]!, 1e6 - 1));
    order.push(r);
  }
  order.sort((x, y) => rank[y]! - rank[x]! || x - y);
  return Int32Array.from(order);
}

function identityOf(g: AccessGraph, vis: Visits, chains: ChainMaker, i: number): Identity {
  const v = vis.node[i]!;
  const c = chains.link(i);
  return new Identity(g.key(v), c.id, g.kind(v), vis.depth[i]!, c, g.provider(v), g.type(v));
}
