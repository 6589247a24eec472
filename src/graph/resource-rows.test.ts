import { describe, expect, it } from 'vitest';
import { seededRandom } from '../model/index.js';
import { blastRadius, GraphBuilder, plainReached, reachedJson, type ReachedResource } from './index.js';

/*
 * The resources of a blast radius are views of rows copied out of the traversal (ResourceRows in
 * reached.ts), their native ids decoded at the place the node record keeps. These tests build
 * the values another way (the builder's own inputs) and compare.
 */

/** A seeded generator, so a failure names its case. */
const rng = seededRandom;

interface Spec {
  key: string;
  nativeId: string;
  type?: string;
  account?: string;
  provider?: string;
}

/** Resources with native ids of every shape: the key, short, non-ASCII, longer than 65,535 bytes. */
function graph(seed: number, ascii: boolean) {
  const r = rng(seed);
  const b = new GraphBuilder({ expectedNodes: 4, expectedEdges: 4 });
  const agent = b.addNode({ key: 'agent', kind: 'agent', nativeId: 'bot' });
  const role = b.addNode({
    key: 'role',
    kind: 'identity',
    nativeId: 'arn:aws:iam::1:role/r',
    provider: 'aws',
  });
  b.addEdge(agent, role, 'uses');
  const specs = new Map<string, Spec>();
  for (let i = 0; i < 300; i++) {
    const shape = Math.floor(r() * 5);
    const key = `res-${seed}-${i}`;
    const nativeId =
      shape === 0
        ? key
        : shape === 1
          ? `n${i}`
          : shape === 2 && !ascii
            ? `é-数据-${i}-${'x'.repeat(Math.floor(r() * 40))}`
            : shape === 3 && i % 50 === 3
              ? `long-${i}-` + 'y'.repeat(70_000 + i)
              : `arn:aws:s3:::bucket-${i}`;
    const spec: Spec = { key, nativeId };
    if (r() < 0.7) spec.type = `type-${Math.floor(r() * 5)}`;
    if (r() < 0.7) spec.account = `acct-${Math.floor(r() * 300)}`;
    if (r() < 0.8) spec.provider = r() < 0.5 ? 'aws' : 'gcp';
    specs.set(nativeId, spec);
    const v = b.addNode({ ...spec, kind: 'resource', ...(r() < 0.3 ? { sensitivity: 'high' } : {}) });
    b.addEdge(role, v, 'has-permission', { level: r() < 0.5 ? 'read' : 'write' });
  }
  return { g: b.build(), agent, specs };
}

describe('blast radius resources (row views)', () => {
  for (const ascii of [true, false])
    it(`give each resource the builder's key, native id, type, account and provider (${ascii ? 'ASCII' : 'UTF-8'} tables)`, () => {
      const { g, agent, specs } = graph(ascii ? 1 : 2, ascii);
      const br = blastRadius(g, agent);
      expect(br.resources).toHaveLength(300);
      for (const res of br.resources) {
        const spec = specs.get(res.nativeId)!;
        expect(spec).toBeDefined();
        expect([res.id, res.type, res.account, res.provider]).toEqual([
          spec.key,
          spec.type,
          spec.account,
          spec.provider,
        ]);
        const n = g.find(spec.key);
        expect(g.nativeId(n)).toBe(spec.nativeId);
        expect(g.type(n)).toBe(spec.type);
        expect(res.path).toEqual(['bot', 'arn:aws:iam::1:role/r', spec.nativeId]);
      }
    });

  it('keep their values and JSON after later queries reuse the visit table', () => {
    const { g, agent } = graph(3, false);
    const first = blastRadius(g, agent, { limit: 120 });
    const plain = first.resources.map(plainReached);
    const json = reachedJson(first);
    // Other traversals (from the role, then from the agent again) overwrite the visit table.
    blastRadius(g, g.find('role'));
    blastRadius(g, agent, { limit: 5 });
    expect(first.resources.map(plainReached)).toEqual(plain);
    expect(reachedJson(first)).toBe(json);
    expect(JSON.stringify(first, null, 2)).toBe(json);
  });

  it('read every field through the prototype, as toJSON and plainReached write them', () => {
    const { g, agent } = graph(4, true);
    const br = blastRadius(g, agent);
    for (const res of br.resources) {
      const fields: ReachedResource = {
        id: res.id,
        nativeId: res.nativeId,
        level: res.level,
        hops: res.hops,
        path: res.path,
        chain: res.chain,
        confidence: res.confidence,
      };
      for (const k of ['provider', 'type', 'account', 'sensitivity', 'admin'] as const)
        if (res[k] !== undefined) Object.assign(fields, { [k]: res[k] });
      expect(plainReached(res)).toEqual(fields);
      // The arrays are made once and kept.
      expect(res.path).toBe(res.path);
      expect(res.chain).toBe(res.chain);
    }
  });
});
