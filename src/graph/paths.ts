import type { AccessGraph } from './access-graph.js';
import {
  canFollow,
  describeChain,
  explore,
  grantedLevel,
  pivotNeed,
  type ChainStep,
  type TraverseOptions,
} from './traverse.js';

export interface GraphPath {
  /** Native ids from the start to the target. */
  path: string[];
  chain: ChainStep[];
  hops: number;
  confidence: number;
  target: string;
  /** Node index of the target. */
  targetNode: number;
}

export interface PathOptions extends TraverseOptions {
  /** At most this many paths (all shortest ones first). Default 10. */
  limit?: number;
}

/**
 * Shortest attack paths from one node to another, or to any administrator-equivalent target
 * (`'admin'`). Unlike a first-path search, every distinct shortest path is enumerated (up to
 * `limit`), so two independent routes to the same target are both reported.
 *
 * @example findPaths(graph, graph.find('arn:aws:iam::1:user/ci'), 'admin')
 */
export function findPaths(
  g: AccessGraph,
  from: number,
  to: number | 'admin',
  options: PathOptions = {},
): GraphPath[] {
  if (from < 0) return [];
  const limit = options.limit ?? 10;
  const followInvoke = options.followInvoke ?? true;
  const vis = explore(g, [from], options);
  // Visit numbers of the targets reached, nearest first (a stable sort keeps the order reached).
  const targets: number[] = [];
  for (let i = 0; i < vis.size; i++) {
    const v = vis.node[i]!;
    if (v !== from && (to === 'admin' ? g.isAdmin(v) : v === to)) targets.push(i);
  }
  targets.sort((a, b) => vis.depth[a]! - vis.depth[b]!);
  const out: GraphPath[] = [];
  const { inOffsets, inEdges, sources } = g.a;
  for (const ti of targets) {
    if (out.length >= limit) break;
    const t = vis.node[ti]!;
    // Walk back over edges that lie on some shortest path: source one hop closer and the edge
    // followable from it.
    const nodes: number[] = [t];
    const edges: number[] = [];
    // `need`: the level the edge leaving v (towards the target) requires of v, when v is a resource.
    const walk = (v: number, need: number): void => {
      if (out.length >= limit) return;
      if (v === from) {
        const n = [...nodes].reverse();
        const e = [...edges].reverse();
        const d = describeChain(g, n, e);
        out.push({ ...d, hops: e.length, target: g.nativeId(t), targetNode: t });
        return;
      }
      const dv = vis.depth[vis.indexOf(v)]!;
      for (let c = inOffsets[v]!; c < inOffsets[v + 1]!; c++) {
        const u = sources[c]!;
        const j = vis.indexOf(u);
        if (j < 0 || vis.depth[j] !== dv - 1) continue;
        const p = inEdges[c]!;
        if (!canFollow(g, u, p, vis.level[j]!, followInvoke)) continue;
        if (need > 0 && grantedLevel(g, p) < need) continue;
        nodes.push(u);
        edges.push(p);
        walk(u, pivotNeed(g, u, p));
        nodes.pop();
        edges.pop();
        if (out.length >= limit) return;
      }
    };
    walk(t, 0);
  }
  return out;
}
