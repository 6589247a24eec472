import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom, type EdgeKind } from '../model/index.js';
import { Visits, type AccessGraph } from './access-graph.js';
import { GraphBuilder } from './graph-builder.js';
import { findPaths } from './paths.js';
import { blastRadius, canFollow } from './traverse.js';
import { LEVELS, NODE_KINDS, SENSITIVITIES, type NodeKind } from './graph-codes.js';

describe('Visits (the traversal visit table)', () => {
  it('finds every node added, none that was not, across growth and clearing (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 5_000_000 }), { maxLength: 3000 }),
        fc.array(fc.integer({ min: 0, max: 5_000_000 }), { maxLength: 200 }),
        (nodes, probes) => {
          const vis = new Visits(16);
          for (let round = 0; round < 2; round++) {
            vis.clear();
            const at = new Map<number, number>();
            for (const v of nodes) at.set(v, vis.add(v));
            if (vis.size !== nodes.length) return false;
            for (const [v, i] of at) if (vis.indexOf(v) !== i || vis.node[i] !== v) return false;
            for (const v of probes) if (vis.indexOf(v) !== (at.get(v) ?? -1)) return false;
            // findOrAdd: the visit number of a known node, else a new visit (as -1 - number).
            for (const v of probes) {
              const known = at.get(v);
              const r = vis.findOrAdd(v);
              if (known !== undefined ? r !== known : r !== -1 - (vis.size - 1) || vis.node[-1 - r] !== v)
                return false;
              if (known === undefined) at.set(v, -1 - r);
            }
            if (vis.size !== at.size) return false;
          }
          return true;
        },
      ),
    );
  });
});

// A plain re-statement of the traversal rules with one Map entry per node, to check the typed
// visit table, its growth and the materialised result against.
const PIVOTS = new Set<EdgeKind>([
  'uses',
  'member-of',
  'can-assume',
  'escalates-to',
  'reads-secret-of',
  'exposes',
  'runs-as',
  'delegates-to',
]);
const NEED: Partial<Record<EdgeKind, number>> = {
  exposes: 3,
  'can-assume': 3,
  'runs-as': 3,
  'reads-secret-of': 2,
  'has-permission': 4,
};
interface Ref {
  node: number;
  parent: Ref | undefined;
  edge: number;
  depth: number;
  level: number;
}
const terminal = (g: AccessGraph, v: number) => g.kind(v) === 'resource' || g.kind(v) === 'admin';
function opens(g: AccessGraph, v: number, from: number, to: number): boolean {
  for (let q = g.a.outOffsets[v]!; q < g.a.outOffsets[v + 1]!; q++) {
    const k = g.edgeKind(q);
    if (k !== 'has-permission' && !PIVOTS.has(k)) continue;
    const need = g.a.level[q]! || (NEED[k] ?? 0);
    if (need > from && need <= to) return true;
  }
  return false;
}
function reference(g: AccessGraph, start: number) {
  const seen = new Map<number, Ref>();
  const first: Ref = { node: start, parent: undefined, edge: -1, depth: 0, level: 4 };
  seen.set(start, first);
  const queue = [first];
  for (let h = 0; h < queue.length; h++) {
    const u = queue[h]!;
    if (u.depth >= 64) continue;
    const lu = u.level;
    for (let p = g.a.outOffsets[u.node]!; p < g.a.outOffsets[u.node + 1]!; p++) {
      if (!canFollow(g, u.node, p, lu, true)) continue;
      const v = g.a.targets[p]!;
      const k = g.edgeKind(p);
      const own = g.a.level[p]!;
      const lv = k === 'has-permission' ? own || 2 : terminal(g, v) ? own || (k === 'member-of' ? 1 : 3) : 4;
      const known = seen.get(v);
      if (!known) {
        const n: Ref = { node: v, parent: u, edge: p, depth: u.depth + 1, level: lv };
        seen.set(v, n);
        queue.push(n);
      } else if (lv > known.level) {
        const old = known.level;
        known.level = lv;
        if (terminal(g, v) && v !== u.node && opens(g, v, old, lv)) {
          Object.assign(known, { parent: u, edge: p, depth: u.depth + 1 });
          queue.push(known);
        }
      }
    }
  }
  // Re-parenting a resource whose higher level opens a pivot can close a loop of parents; the
  // chain shown then is cut (see ChainMaker), so such chains are left out of the comparison.
  const path = (r: Ref): string[] | undefined => {
    const out: string[] = [];
    const on = new Set<Ref>();
    for (let c: Ref | undefined = r; c; c = c.parent) {
      if (on.has(c)) return undefined;
      on.add(c);
      out.unshift(g.nativeId(c.node));
    }
    return out;
  };
  const sens = (v: number) => SENSITIVITIES.indexOf(g.sensitivity(v) ?? 'unknown');
  const all = [...seen.values()].filter((r) => r.node !== start);
  const resources = all
    .filter((r) => terminal(g, r.node) || g.isAdmin(r.node))
    .map((r, order) => ({ r, order, native: g.nativeId(r.node) }))
    .sort(
      (x, y) =>
        y.r.level - x.r.level ||
        sens(y.r.node) - sens(x.r.node) ||
        x.r.depth - y.r.depth ||
        x.order - y.order,
    )
    .map(({ r, native }) => ({ native, level: LEVELS[r.level], hops: r.depth, path: path(r) }));
  const identities = all
    .filter((r) => !terminal(g, r.node) && !g.isAdmin(r.node) && g.kind(r.node) !== 'unknown')
    .map((r) => ({ native: g.nativeId(r.node), hops: r.depth, path: path(r) }));
  return { resources, identities };
}

function randomGraph(seed: number, n: number, m: number) {
  const r = seededRandom(seed);
  const int = (k: number) => Math.floor(r() * k);
  const kinds = NODE_KINDS.filter((k) => k !== 'unknown' || r() < 0.5) as NodeKind[];
  const edgeKinds: EdgeKind[] = [...PIVOTS, 'has-permission', 'has-permission', 'can-invoke'];
  const b = new GraphBuilder({ expectedNodes: 4, expectedEdges: 4 });
  for (let i = 0; i < n; i++) {
    const kind = kinds[int(kinds.length)]!;
    b.addNode({
      key: `k${i}`,
      kind,
      // Repeated native ids: the order among equals is the order reached.
      ...(r() < 0.5 ? { nativeId: `n-${i % 50 === 0 ? 'same' : i}` } : {}),
      ...(r() < 0.5 ? { sensitivity: (['low', 'medium', 'high', 'critical'] as const)[int(4)]! } : {}),
      ...(kind === 'admin' || r() < 0.02 ? { admin: true } : {}),
    });
  }
  // A hub that reaches more nodes than the visit table's first capacity, so it grows mid-query.
  for (let i = 1; i < Math.min(n, 1500); i++) b.addEdge(0, i, 'has-permission', { level: 'read' });
  for (let e = 0; e < m; e++) {
    const level = (['read', 'write', 'admin', undefined] as const)[int(4)];
    b.addEdge(int(n), int(n), edgeKinds[int(edgeKinds.length)]!, level ? { level } : {});
  }
  return b.build();
}

describe('blastRadius against a plain re-statement of its rules', () => {
  it('reaches the same nodes, with the same levels, hops, shortest chains and order', () => {
    let compared = 0;
    let cyclic = 0;
    for (const seed of [1, 2, 3, 4]) {
      const g = randomGraph(seed, 3000, 9000);
      for (const start of [0, 1, 2, 3, 4, 5, 6, 7]) {
        const br = blastRadius(g, start);
        const ref = reference(g, start);
        // A chain the re-statement found cyclic is compared on everything but the chain.
        const cut = (ref: { path: string[] | undefined } | undefined, p: string[]) =>
          ref?.path ? p : undefined;
        expect(
          br.resources.map((x, i) => ({
            native: x.nativeId,
            level: x.level,
            hops: x.hops,
            path: cut(ref.resources[i], x.path),
          })),
        ).toEqual(ref.resources);
        expect(
          br.identities.map((x, i) => ({
            native: x.nativeId,
            hops: x.hops,
            path: cut(ref.identities[i], x.path),
          })),
        ).toEqual(ref.identities);
        cyclic += ref.resources.filter((x) => !x.path).length;
        compared += ref.resources.length;
        expect(br.summary.resources).toBe(ref.resources.length);
        expect(br.summary.maxHops).toBe(
          Math.max(0, ...ref.resources.map((x) => x.hops), ...ref.identities.map((x) => x.hops)),
        );
      }
    }
    // The comparison covered many resources, nearly all with their chains.
    expect(compared).toBeGreaterThan(5000);
    expect(cyclic).toBeLessThan(compared / 10);
  });
  it('gives the same answer whatever ran before it on the same graph', () => {
    const g = randomGraph(9, 3000, 9000);
    const alone = JSON.stringify(blastRadius(g, 5));
    blastRadius(g, 0); // grows the table
    findPaths(g, 3, 'admin');
    blastRadius(g, [1, 2, 2, -1]);
    expect(JSON.stringify(blastRadius(g, 5))).toBe(alone);
  });
  it('orders resources the same way behind chains too long for its buckets', () => {
    // More than 16,384 hops: the ranking falls back to one comparison sort.
    const b = new GraphBuilder();
    const start = b.addNode({ key: 'agent', kind: 'agent' });
    let prev = start;
    const r = seededRandom(7);
    for (let i = 0; i < 17_000; i++) {
      const role = b.addNode({ key: `role-${i}`, kind: 'role' });
      b.addEdge(prev, role, 'can-assume');
      // Several resources per role, so resources tie on level, sensitivity and hops.
      for (let k = 0; i % 5 === 0 && k < 3; k++) {
        const sens = (['low', 'high', undefined] as const)[Math.floor(r() * 3)];
        const res = b.addNode({
          key: `res-${i}-${k}`,
          kind: 'resource',
          nativeId: `bucket-${Math.floor(r() * 40)}`,
          ...(sens ? { sensitivity: sens } : {}),
        });
        b.addEdge(role, res, 'has-permission', { level: r() < 0.5 ? 'read' : 'write' });
      }
      prev = role;
    }
    const g = b.build();
    const br = blastRadius(g, start, { maxDepth: 20_000, limit: 100_000 });
    expect(br.summary.maxHops).toBeGreaterThan(16_384);
    const sens = (s: string | undefined) => SENSITIVITIES.indexOf((s ?? 'unknown') as never);
    // Sorting the listed order again (stable) changes nothing only if it is in rank order.
    const want = br.resources
      .slice()
      .sort(
        (p, q) =>
          LEVELS.indexOf(q.level) - LEVELS.indexOf(p.level) ||
          sens(q.sensitivity) - sens(p.sensitivity) ||
          p.hops - q.hops,
      );
    expect(br.resources.map((x) => x.id)).toEqual(want.map((x) => x.id));
    expect(br.resources.length).toBe(br.summary.resources);
  });
});
