import { HAS_OUT_EDGES, type Visits, type AccessGraph } from './access-graph.js';
import { EK, LV, NK } from './graph-codes.js';
import type { TraverseOptions } from './traverse.js';

/*
 * The traversal itself: which edges may be followed and at what level, and the breadth-first
 * search over the graph's compact arrays into its visit table. What it reached is turned into
 * people's terms (blast radius, chains) in traverse.ts and paths.ts.
 */

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
const RESOURCE = NK.resource;
const ADMIN = NK.admin;

export function isTerminalKind(kindCode: number): boolean {
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
  const ur = g.nodeRecord[u * 4]!;
  const uk = ur & 15;
  if (isTerminalKind(uk)) {
    if (uk === NK.admin || (ur & 0x80) !== 0) return k === HAS_PERMISSION || PIVOT[k] === 1;
    if (k !== HAS_PERMISSION && PIVOT[k] !== 1) return false;
    const need = g.a.level[p]! || RESOURCE_PIVOT_LEVEL[k]!;
    return reached >= need;
  }
  if (k === HAS_PERMISSION || PIVOT[k] === 1) return true;
  return k === CAN_INVOKE && followInvoke;
}

/** Level needed to follow edge p out of node u (0 when u is a principal or admin target). */
export function pivotNeed(g: AccessGraph, u: number, p: number): number {
  const ur = g.nodeRecord[u * 4]!;
  const uk = ur & 15;
  if (!isTerminalKind(uk) || uk === NK.admin || (ur & 0x80) !== 0) return 0;
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

/** Copies node v's record into visit n's (the cache line the traversal has just read). */
function copyRecord(vis: Visits, n: number, rec: Int32Array, v: number): void {
  const to = vis.record;
  to[n * 4] = rec[v * 4]!;
  to[n * 4 + 1] = rec[v * 4 + 1]!;
  to[n * 4 + 2] = rec[v * 4 + 2]!;
  to[n * 4 + 3] = rec[v * 4 + 3]!;
}

/** Appends visit i to the traversal's queue, growing it when full; returns the new tail. */
function enqueue(vis: Visits, tail: number, i: number): number {
  const q = tail < vis.queue.length ? vis.queue : vis.growQueue(tail + 1);
  q[tail] = i;
  return tail + 1;
}

/** Edge kinds a principal follows: permissions and pivots; with invokers, can-invoke too. */
const FOLLOW = new Uint8Array(32);
for (let k = 0; k < 32; k++) FOLLOW[k] = k === HAS_PERMISSION || PIVOT[k] === 1 ? 1 : 0;
const FOLLOW_INVOKE = FOLLOW.slice();
FOLLOW_INVOKE[CAN_INVOKE] = 1;

/**
 * Follows the edges out of a resource or admin target (visit i of node u, depth du): which edges
 * it may follow depends on the level it was reached with (canFollow). Returns the new queue tail.
 */
function expandTerminal(
  g: AccessGraph,
  vis: Visits,
  i: number,
  u: number,
  du: number,
  tail: number,
  minConf: number,
  followInvoke: boolean,
): number {
  const { outOffsets, confidence } = g.a;
  const lu = vis.level[i]!;
  for (let p = outOffsets[u]!, end = outOffsets[u + 1]!; p < end; p++) {
    if (confidence[p]! >= minConf && canFollow(g, u, p, lu, followInvoke))
      tail = reach(g, vis, i, u, du, p, tail);
  }
  return tail;
}

/**
 * Reaches the target of edge p out of node u (visit i, depth du): a new node, or a known one
 * reached at a higher level (a resource is then queued again when that level opens a pivot out
 * of it). Returns the new queue tail.
 */
function reach(
  g: AccessGraph,
  vis: Visits,
  i: number,
  u: number,
  du: number,
  p: number,
  tail: number,
): number {
  const v = g.a.targets[p]!;
  const k = g.a.kind[p]!;
  const own = g.a.level[p]!;
  const terminal = isTerminalKind(g.nodeRecord[v * 4]! & 15);
  // A permission edge carries its level; a pivot into a principal gives it full standing; any
  // other edge into a resource (an agent using an MCP server, a repository's workflow) counts
  // as write unless it says otherwise.
  const lv =
    k === HAS_PERMISSION
      ? own || LV.read
      : terminal
        ? // Membership of a role or group kept as a resource is not access to it: lowest level.
          own || (k === MEMBER_OF ? LV.list : LV.write)
        : LV.admin;
  const j = vis.indexOf(v);
  if (j < 0) {
    const n = vis.add(v);
    vis.parent[n] = i;
    vis.edge[n] = p;
    vis.depth[n] = du + 1;
    vis.level[n] = lv;
    copyRecord(vis, n, g.nodeRecord, v);
    return (g.nodeRecord[v * 4]! & HAS_OUT_EDGES) !== 0 ? enqueue(vis, tail, n) : tail;
  }
  if (lv <= vis.level[j]!) return tail;
  return raise(g, vis, i, u, du, p, j, lv, tail);
}

/**
 * Node v = target of edge p, known as visit j, reached again from visit i (node u, depth du) at
 * the higher level lv. Returns the new queue tail.
 */
function raise(
  g: AccessGraph,
  vis: Visits,
  i: number,
  u: number,
  du: number,
  p: number,
  j: number,
  lv: number,
  tail: number,
): number {
  // A higher level may open pivots out of a resource (write on a repository whose workflows
  // receive secrets): only then does the chain shown become the one that justifies it, so the
  // chains of what lies beyond are true; otherwise the shortest chain stays.
  const v = vis.node[j]!;
  const old = vis.level[j]!;
  vis.level[j] = lv;
  if (!isTerminalKind(g.nodeRecord[v * 4]! & 15) || v === u || !opensPivot(g, v, old, lv)) return tail;
  vis.parent[j] = i;
  vis.edge[j] = p;
  vis.depth[j] = du + 1;
  return enqueue(vis, tail, j);
}

/**
 * Breadth-first search from `sources`, honouring edge rules; every reached node gets a visit
 * (in the order reached) with its depth, its parent and parent edge (shortest chain), and its best
 * level. Start nodes are the visits whose parent is -1. The table is the graph's, reused by the
 * next traversal: read what you need before starting another.
 */
export function explore(g: AccessGraph, sources: readonly number[], options: TraverseOptions = {}): Visits {
  const vis = g.visits();
  const followInvoke = options.followInvoke ?? true;
  const maxDepth = options.maxDepth ?? 64;
  const minConf = Math.round((options.minConfidence ?? 0) * 100);
  let tail = 0;
  for (const src of sources) {
    if (src < 0 || vis.indexOf(src) >= 0) continue;
    const i = vis.add(src);
    vis.parent[i] = -1;
    vis.edge[i] = -1;
    vis.depth[i] = 0;
    vis.level[i] = LV.admin;
    copyRecord(vis, i, g.nodeRecord, src);
    tail = enqueue(vis, tail, i);
  }
  // The loop every query runs, in one function with the arrays in locals and one call per edge
  // followed (the visit table's probe): the first query of a process runs it before V8 has
  // optimised anything, so each call and property load saved there counts. A principal follows
  // edges by kind alone (one table lookup per edge); a resource or admin target needs the level
  // it was reached with (expandTerminal). `reach` holds the same rules for that rarer path.
  const { outOffsets, targets, kind, level, confidence } = g.a;
  const rec = g.nodeRecord;
  const follow = followInvoke ? FOLLOW_INVOKE : FOLLOW;
  for (let head = 0; head < tail; head++) {
    const i = vis.queue[head]!;
    const du = vis.depth[i]!;
    if (du >= maxDepth) continue;
    const u = vis.node[i]!;
    if (isTerminalKind(rec[u * 4]! & 15)) {
      tail = expandTerminal(g, vis, i, u, du, tail, minConf, followInvoke);
      continue;
    }
    for (let p = outOffsets[u]!, end = outOffsets[u + 1]!; p < end; p++) {
      const k = kind[p]!;
      if (confidence[p]! < minConf || follow[k] !== 1) continue;
      const v = targets[p]!;
      const vw = rec[v * 4]!;
      const vk = vw & 15;
      const own = level[p]!;
      // As in `reach`: a permission carries its level, a pivot into a principal gives it full
      // standing, any other edge into a resource is write (membership: list) unless it says.
      const lv =
        k === HAS_PERMISSION
          ? own || LV.read
          : vk === RESOURCE || vk === ADMIN
            ? own || (k === MEMBER_OF ? LV.list : LV.write)
            : LV.admin;
      const j = vis.findOrAdd(v);
      if (j < 0) {
        const n = -1 - j;
        vis.parent[n] = i;
        vis.edge[n] = p;
        vis.depth[n] = du + 1;
        vis.level[n] = lv;
        copyRecord(vis, n, rec, v);
        if ((vw & HAS_OUT_EDGES) !== 0) tail = enqueue(vis, tail, n);
      } else if (lv > vis.level[j]!) tail = raise(g, vis, i, u, du, p, j, lv, tail);
    }
  }
  return vis;
}
