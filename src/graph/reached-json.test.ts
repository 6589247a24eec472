import { describe, expect, it } from 'vitest';
import { EDGE_KINDS, seededRandom, type EdgeKind, type Sensitivity } from '../model/index.js';
import { analyseAgent } from './agents.js';
import { GraphBuilder } from './graph-builder.js';
import { NODE_KINDS, type NodeKind } from './graph-codes.js';
import { reachedJson, writeReachedJson } from './reached-json.js';
import { blastRadius } from './traverse.js';

// Every kind, permissions twice as often: most agents then reach resources.
const KINDS: readonly EdgeKind[] = [...EDGE_KINDS, 'has-permission'];

/** A random graph whose native ids, techniques and notes need JSON escaping now and then. */
function randomGraph(seed: number) {
  const r = seededRandom(seed);
  const int = (k: number) => Math.floor(r() * k);
  const n = 300 + int(400);
  const b = new GraphBuilder();
  for (let i = 0; i < n; i++) {
    const kind = NODE_KINDS[int(NODE_KINDS.length)] as NodeKind;
    const odd = `ü "q" \\ ${i} \u{1F600}\n\t`;
    b.addNode({
      key: `k${i}`,
      kind,
      ...(r() < 0.5 ? { nativeId: i % 37 === 0 ? 'same' : r() < 0.1 ? odd : `n-${i}` } : {}),
      ...(r() < 0.5
        ? { sensitivity: (['low', 'medium', 'high', 'critical'] as Sensitivity[])[int(4)]! }
        : {}),
      ...(kind === 'admin' || r() < 0.02 ? { admin: true } : {}),
      ...(r() < 0.3 ? { provider: ['aws', 'gcp', 'github'][int(3)]! } : {}),
      ...(r() < 0.3 ? { type: 'bucket', account: String(int(5)) } : {}),
    });
  }
  for (let e = 0; e < n * 2; e++) {
    const level = (['read', 'write', 'admin', 'list', undefined] as const)[int(5)];
    b.addEdge(int(n), int(n), KINDS[int(KINDS.length)]!, {
      ...(level ? { level } : {}),
      ...(r() < 0.2 ? { confidence: r() } : {}),
      ...(r() < 0.1 ? { technique: 'pass "role"' } : {}),
      ...(r() < 0.1 ? { note: 'why\nthis' } : {}),
    });
  }
  return b.build();
}

describe('writeReachedJson', () => {
  it('writes exactly what JSON.stringify(value, null, 2) writes, for blast radii and around them', () => {
    let compared = 0;
    for (const seed of [1, 2]) {
      const g = randomGraph(seed);
      for (let s = 0; s < 8; s++) {
        const a = analyseAgent(g, s, { limit: 30 + s * 10 });
        const br = blastRadius(g, [s, s + 1], { maxDepth: 5 });
        // Chains already read (cached arrays) are written from those arrays.
        br.resources.slice(0, 3).forEach((x) => x.chain);
        br.identities.slice(0, 2).forEach((x) => x.path);
        const values: unknown[] = [
          { ...a.blastRadius, invokers: a.invokers, confusedDeputies: a.confusedDeputies },
          br,
          [br.resources[0], { x: [br.identities[0], undefined, () => 1], y: undefined, d: new Date(0) }],
          { toJSON: () => undefined, r: br.resources[1] },
          { skip: { toJSON: () => undefined }, r: br.resources.slice(0, 2) },
        ];
        for (const v of values) {
          const want = JSON.stringify(v, null, 2);
          expect(reachedJson(v)).toBe(want);
          const chunks: string[] = [];
          writeReachedJson(v, (c) => chunks.push(c));
          expect(chunks.join('')).toBe(want ?? '');
          compared += want?.length ?? 0;
        }
      }
    }
    expect(compared).toBeGreaterThan(1_000_000);
  });

  it('handles values without reached nodes, empty containers and undefined like JSON.stringify', () => {
    for (const v of [undefined, null, 'x', 1.5, [], {}, { a: [] }, [undefined, null], { a: undefined }])
      expect(reachedJson(v)).toBe(JSON.stringify(v, null, 2));
  });

  it('hands a large result on in chunks of bounded size', () => {
    const b = new GraphBuilder();
    const agent = b.addNode({ key: 'agent', kind: 'agent' });
    let prev = agent;
    for (let i = 0; i < 30; i++) {
      const role = b.addNode({ key: `arn:aws:iam::1:role/r${i}`, kind: 'role' });
      b.addEdge(prev, role, 'can-assume');
      for (let k = 0; k < 40; k++)
        b.addEdge(role, b.addNode({ key: `arn:aws:s3:::b-${i}-${k}`, kind: 'resource' }), 'has-permission', {
          level: 'read',
        });
      prev = role;
    }
    const br = blastRadius(b.build(), agent);
    const chunks: string[] = [];
    writeReachedJson(br, (c) => chunks.push(c));
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(64 * 1024);
    expect(chunks.join('')).toBe(JSON.stringify(br, null, 2));
  });
});
