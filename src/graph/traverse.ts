import type { AccessLevel, EdgeKind, Sensitivity } from '../model/index.js';
import type { AccessGraph, Scratch } from './access-graph.js';
import { EK, LEVELS, LV, NK, SENSITIVITIES } from './graph-codes.js';
import { Identity, Resource, type ChainLink } from './reached.js';

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

// Edge kinds a principal (agent, identity, person, group, role) follows to another principal.
const PIVOT = new Uint8Array(32);
for (const k of [
  'uses',
  'member-of',
  'can-assume',
  'escalates-to',
  'reads-secret-of',
  'exposes',
  'runs-as',
  'delegates-to',
] as const)
  PIVOT[EK[k]] = 1;
/**
 * Level a resource must be reached with before an edge out of it may be followed, when the edge
 * does not say: changing a repository or a function is write, reading a secret is read.
 */
const RESOURCE_PIVOT_LEVEL = new Uint8Array(32);
RESOURCE_PIVOT_LEVEL[EK['exposes']] = LV.write;
RESOURCE_PIVOT_LEVEL[EK['can-assume']] = LV.write;
RESOURCE_PIVOT_LEVEL[EK['runs-as']] = LV.write;
RESOURCE_PIVOT_LEVEL[EK['reads-secret-of']] = LV.read;
RESOURCE_PIVOT_LEVEL[EK['escalates-to']] = LV.none;
RESOURCE_PIVOT_LEVEL[EK['has-permission']] = LV.admin;
const HAS_PERMISSION = EK['has-permission'];
const CAN_INVOKE = EK['can-invoke'];
const MEMBER_OF = EK['member-of'];

function isTerminalKind(kindCode: number): boolean {
  return kindCode === NK.resource || kindCode === NK.admin;
}

/**
 * Whether the edge at CSR position p may be followed out of node u, given u's reached level
 * (meaningful for resources only).
 */
export function canFollow(
  g: AccessGraph,
  u: number,
  p: number,
  reached: number,
  followInvoke: boolean,
): boolean {
  const k = g.a.kind[p]!;
  const uk = g.a.nodeKind[u]!;
  if (isTerminalKind(uk)) {
    if (uk === NK.admin || (g.a.nodeFlags[u]! & 1) === 1) return k === HAS_PERMISSION || PIVOT[k] === 1;
    if (k !== HAS_PERMISSION && PIVOT[k] !== 1) return false;
    const need = g.a.level[p]! || RESOURCE_PIVOT_LEVEL[k]!;
    return reached >= need;
  }
  if (k === HAS_PERMISSION || PIVOT[k] === 1) return true;
  return k === CAN_INVOKE && followInvoke;
}

/** Level needed to follow edge p out of node u (0 when u is a principal or admin target). */
export function pivotNeed(g: AccessGraph, u: number, p: number): number {
  const uk = g.a.nodeKind[u]!;
  if (!isTerminalKind(uk) || uk === NK.admin || (g.a.nodeFlags[u]! & 1) === 1) return 0;
  return g.a.level[p]! || RESOURCE_PIVOT_LEVEL[g.a.kind[p]!]!;
}

/** Level an edge gives its target: its own for permissions, write for other edges into resources. */
export function grantedLevel(g: AccessGraph, p: number): number {
  return g.a.kind[p] === HAS_PERMISSION ? g.a.level[p]! || LV.read : g.a.level[p]! || LV.write;
}

function opensPivot(g: AccessGraph, v: number, from: number, to: number): boolean {
  for (let q = g.a.outOffsets[v]!, end = g.a.outOffsets[v + 1]!; q < end; q++) {
    const k = g.a.kind[q]!;
    if (k !== HAS_PERMISSION && PIVOT[k] !== 1) continue;
    const need = g.a.level[q]! || RESOURCE_PIVOT_LEVEL[k]!;
    if (need > from && need <= to) return true;
  }
  return false;
}

interface Run {
  s: Scratch;
  order: number[];
}

/**
 * Breadth-first search with typed-array queues from `sources`, honouring edge rules; every reached
 * node gets a stamp, its depth, its parent and parent edge (shortest chain), and its best level.
 */
export function explore(g: AccessGraph, sources: readonly number[], options: TraverseOptions = {}): Run {
  const s = g.scratch();
  const { stamp, parent, parentEdge, depth, level } = s;
  let queue = s.queue;
  const epoch = s.epoch;
  const followInvoke = options.followInvoke ?? true;
  const maxDepth = options.maxDepth ?? 64;
  const minConf = Math.round((options.minConfidence ?? 0) * 100);
  const { outOffsets, targets, kind, level: elevel, confidence } = g.a;
  const order: number[] = [];
  let head = 0;
  let tail = 0;
  const push = (v: number) => {
    if (tail >= queue.length) {
      const q = new Int32Array(queue.length * 2);
      q.set(queue);
      queue = q;
      s.queue = q;
    }
    queue[tail++] = v;
  };
  for (const src of sources) {
    if (src < 0 || stamp[src] === epoch) continue;
    stamp[src] = epoch;
    parent[src] = -1;
    parentEdge[src] = -1;
    depth[src] = 0;
    level[src] = LV.admin;
    order.push(src);
    push(src);
  }
  while (head < tail) {
    const u = queue[head++]!;
    const du = depth[u]!;
    if (du >= maxDepth) continue;
    const lu = level[u]!;
    for (let p = outOffsets[u]!, end = outOffsets[u + 1]!; p < end; p++) {
      if (confidence[p]! < minConf) continue;
      if (!canFollow(g, u, p, lu, followInvoke)) continue;
      const v = targets[p]!;
      const k = kind[p]!;
      // A permission edge carries its level; a pivot into a principal gives it full standing; any
      // other edge into a resource (an agent using an MCP server, a repository's workflow) counts
      // as write unless it says otherwise.
      const lv =
        k === HAS_PERMISSION
          ? elevel[p]! || LV.read
          : isTerminalKind(g.a.nodeKind[v]!)
            ? // Membership of a role or group kept as a resource is not access to it: lowest level.
              elevel[p]! || (k === MEMBER_OF ? LV.list : LV.write)
            : LV.admin;
      if (stamp[v] !== epoch) {
        stamp[v] = epoch;
        parent[v] = u;
        parentEdge[v] = p;
        depth[v] = du + 1;
        level[v] = lv;
        order.push(v);
        push(v);
      } else if (lv > level[v]!) {
        // A higher level may open pivots out of a resource (write on a repository whose workflows
        // receive secrets): only then does the chain shown become the one that justifies it, so
        // the chains of what lies beyond are true; otherwise the shortest chain stays.
        const old = level[v]!;
        level[v] = lv;
        if (isTerminalKind(g.a.nodeKind[v]!) && v !== u && opensPivot(g, v, old, lv)) {
          parent[v] = u;
          parentEdge[v] = p;
          depth[v] = du + 1;
          push(v);
        }
      }
    }
  }
  return { s, order };
}

/**
 * Shortest chains of one traversal, memoised per principal: resources hanging off the same
 * identity share its link (decoded once), so materialising thousands of chains stays linear.
 */
function chainMaker(g: AccessGraph, s: Scratch): (v: number, known?: string) => ChainLink {
  const memo = new Map<number, ChainLink>();
  const steps = new Map<number, ChainStep>();
  const stepOf = (e: number, from: string, to: string): ChainStep => {
    let st = steps.get(e);
    if (!st) {
      st = { from, to, kind: g.edgeKind(e), confidence: g.edgeConfidence(e) };
      const t = g.edgeTechnique(e);
      if (t) st.technique = t;
      const l = g.edgeLevel(e);
      if (l) st.level = l;
      const note = g.edgeNote(e);
      if (note) st.note = note;
      if (!isTerminalKind(g.a.nodeKind[g.a.targets[e]!]!)) steps.set(e, st);
    }
    return st;
  };
  const make = (v: number, depth: number, known?: string): ChainLink => {
    const hit = memo.get(v);
    if (hit) return hit;
    const e = s.parentEdge[v]!;
    const id = known ?? g.nativeId(v);
    let c: ChainLink;
    if (e < 0 || depth > 1000) c = { prev: undefined, id, step: undefined, confidence: 1, length: 1 };
    else {
      const p = make(s.parent[v]!, depth + 1);
      const st = stepOf(e, p.id, id);
      c = { prev: p, id, step: st, confidence: Math.min(p.confidence, st.confidence), length: p.length + 1 };
    }
    if (!isTerminalKind(g.a.nodeKind[v]!)) memo.set(v, c);
    return c;
  };
  return (v, known) => make(v, 0, known);
}

/** Native-id path and steps for a list of nodes and the edges between them. */
export function describeChain(g: AccessGraph, nodes: readonly number[], edges: readonly number[]) {
  const path = nodes.map((n) => g.nativeId(n));
  let confidence = 1;
  const chain: ChainStep[] = edges.map((e, i) => {
    const step: ChainStep = {
      from: path[i]!,
      to: path[i + 1]!,
      kind: g.edgeKind(e),
      confidence: g.edgeConfidence(e),
    };
    const t = g.edgeTechnique(e);
    if (t) step.technique = t;
    const l = g.edgeLevel(e);
    if (l) step.level = l;
    const note = g.edgeNote(e);
    if (note) step.note = note;
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
  const { s, order } = explore(g, sources, options);
  const chainTo = chainMaker(g, s);
  const limit = options.limit ?? 100_000;
  const byLevel: Record<AccessLevel, number> = { none: 0, list: 0, read: 0, write: 0, admin: 0 };
  const bySensitivity: Record<Sensitivity | 'unknown', number> = {
    unknown: 0,
    low: 0,
    medium: 0,
    high: 0,
    critical: 0,
  };
  const resources: ReachedResource[] = [];
  const identities: ReachedIdentity[] = [];
  const admin: string[] = [];
  const providers = new Set<string>();
  const sourceSet = new Set(sources);
  let maxHops = 0;
  let resourceCount = 0;
  // Resources are sorted on numbers (level, sensitivity, hops) and their decoded native id before
  // any object is made, so the limit keeps the most significant ones.
  const rv: number[] = [];
  const rNative: string[] = [];
  // Counted by code in typed arrays and named once at the end: this loop runs over every node
  // reached, often before V8 has optimised it.
  const { nodeKind, nodeProvider, nodeSensitivity, nodeFlags } = g.a;
  const provSeen = new Uint8Array(g.t.providers.length + 1);
  const levelCount = new Int32Array(LEVELS.length);
  const sensCount = new Int32Array(SENSITIVITIES.length);
  for (let o = 0; o < order.length; o++) {
    const v = order[o]!;
    if (sources.length === 1 ? v === sources[0] : sourceSet.has(v)) continue;
    const kc = nodeKind[v]!;
    const hops = s.depth[v]!;
    if (hops > maxHops) maxHops = hops;
    const pc = nodeProvider[v]!;
    provSeen[pc] = 1;
    if (isTerminalKind(kc) || (nodeFlags[v]! & 1) === 1) {
      resourceCount++;
      levelCount[s.level[v]!]!++;
      sensCount[nodeSensitivity[v]!]!++;
      rv.push(v);
    } else if (kc === NK.unknown) {
      // A node only known from a dangling edge (no record holds it): nothing to show.
      continue;
    } else if (identities.length < limit) {
      const c = chainTo(v);
      const r = new Identity(g.key(v), c.id, g.kind(v), hops, c);
      const prov = g.provider(v);
      if (prov) r.provider = prov;
      const t = g.type(v);
      if (t) r.type = t;
      identities.push(r);
    }
  }
  for (let i = 0; i < LEVELS.length; i++) byLevel[LEVELS[i]!] += levelCount[i]!;
  for (let i = 0; i < SENSITIVITIES.length; i++) bySensitivity[SENSITIVITIES[i]!] += sensCount[i]!;
  for (let i = 0; i < provSeen.length; i++) {
    const name = provSeen[i] ? g.t.providers[i] : undefined;
    if (name) providers.add(name);
  }
  const sens = nodeSensitivity;
  const idx = rv.map((_, i) => i);
  // One number per resource (level, then sensitivity, then fewer hops) so most comparisons never
  // reach the native ids, which share long ARN prefixes.
  const rank = new Float64Array(rv.length);
  for (let i = 0; i < rv.length; i++) {
    const v = rv[i]!;
    rNative.push(g.nativeId(v));
    rank[i] = s.level[v]! * 1e8 + sens[v]! * 1e6 + (1e6 - 1 - Math.min(s.depth[v]!, 1e6 - 1));
  }
  idx.sort(
    (x, y) => rank[y]! - rank[x]! || (rNative[x]! < rNative[y]! ? -1 : rNative[x]! > rNative[y]! ? 1 : 0),
  );
  for (const i of idx) {
    const v = rv[i]!;
    if (g.isAdmin(v)) admin.push(rNative[i]!);
    if (resources.length >= limit && !options.keep?.(rNative[i]!)) continue;
    const c = chainTo(v, rNative[i]);
    const r = new Resource(
      g.a.nodeNative[v]! < 0 ? rNative[i]! : g.key(v),
      rNative[i]!,
      LEVELS[s.level[v]!]!,
      s.depth[v]!,
      c,
    );
    const prov = g.provider(v);
    if (prov) r.provider = prov;
    const t = g.type(v);
    if (t) r.type = t;
    const acc = g.account(v);
    if (acc) r.account = acc;
    const sn = g.sensitivity(v);
    if (sn) r.sensitivity = sn;
    if (g.isAdmin(v)) r.admin = true;
    resources.push(r);
  }
  return {
    start: sources
      .filter((x) => x >= 0)
      .map((x) => ({ id: g.key(x), nativeId: g.nativeId(x), kind: g.kind(x) })),
    resources,
    identities,
    summary: {
      resources: resourceCount,
      identities: identities.length,
      byLevel,
      bySensitivity,
      admin,
      providers: [...providers].sort(),
      maxHops,
      truncated: resourceCount > resources.length,
    },
  };
}
