import fc from 'fast-check';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { collector } from './graph-builder.js';
import { serviceScopesOf } from './traverse.js';
import {
  analyseAgent,
  blastRadius,
  findPaths,
  GraphBuilder,
  plainReached,
  StringTable,
  type NodeSpec,
} from './index.js';

describe('StringTable', () => {
  it('interns, finds and decodes ASCII and non-ASCII strings, across rehashes', () => {
    const t = new StringTable(4);
    const words = Array.from({ length: 5000 }, (_, i) =>
      i % 7 === 0 ? `é-ü-${i}-数据` : `arn:aws:iam::1:role/r-${i}`,
    );
    const ids = words.map((w) => t.intern(w));
    expect(new Set(ids).size).toBe(words.length);
    words.forEach((w, i) => {
      expect(t.intern(w)).toBe(ids[i]);
      expect(t.find(w)).toBe(ids[i]);
      expect(t.get(ids[i]!)).toBe(w);
    });
    expect(t.find('absent')).toBe(-1);
    expect(t.size).toBe(words.length);
  });
  it('round-trips any string (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.string({ unit: 'binary-ascii' }).chain((a) => fc.constantFrom(a, a + 'ß', '€' + a)),
        ),
        (strs) => {
          const t = new StringTable(2);
          const ids = strs.map((x) => t.intern(x));
          return strs.every((x, i) => t.get(ids[i]!) === x && t.find(x) === ids[i]);
        },
      ),
    );
  });
});

function small() {
  const b = new GraphBuilder({ expectedNodes: 2, expectedEdges: 2 });
  const n = (spec: NodeSpec) => b.addNode(spec);
  const agent = n({ key: 'agt', kind: 'agent', nativeId: 'support-bot' });
  const key = n({ key: 'idn-key', kind: 'identity', nativeId: 'AKIAEXAMPLEKEYID0001', provider: 'aws' });
  const role = n({
    key: 'idn-role',
    kind: 'identity',
    nativeId: 'arn:aws:iam::1:role/deploy',
    provider: 'aws',
  });
  const admin = n({
    key: 'idn-admin',
    kind: 'identity',
    nativeId: 'arn:aws:iam::1:role/admin',
    provider: 'aws',
  });
  const bucket = n({
    key: 'res-bucket',
    kind: 'resource',
    nativeId: 'arn:aws:s3:::payroll',
    provider: 'aws',
    sensitivity: 'critical',
  });
  const logs = n({
    key: 'res-logs',
    kind: 'resource',
    nativeId: 'arn:aws:s3:::logs',
    provider: 'aws',
    sensitivity: 'low',
  });
  const repo = n({
    key: 'res-repo',
    kind: 'resource',
    nativeId: 'github:acme/api',
    provider: 'github',
    type: 'repository',
  });
  const secret = n({
    key: 'idn-secret',
    kind: 'identity',
    nativeId: 'github:acme/api/secret/DEPLOY_KEY',
    provider: 'github',
  });
  const acct = n({
    key: 'admin:aws:1',
    kind: 'admin',
    nativeId: 'aws:1:administrator',
    provider: 'aws',
    admin: true,
  });
  b.addEdge(agent, key, 'uses');
  b.addEdge(key, role, 'can-assume');
  b.addEdge(key, logs, 'has-permission', { level: 'read' });
  b.addEdge(role, logs, 'has-permission', { level: 'write' });
  b.addEdge(role, bucket, 'has-permission', { level: 'read' });
  b.addEdge(role, repo, 'has-permission', { level: 'read' });
  b.addEdge(repo, secret, 'exposes', { level: 'write' });
  b.addEdge(secret, admin, 'can-assume', { technique: 'github-oidc' });
  b.addEdge(admin, acct, 'has-permission', { level: 'admin' });
  return { b, agent, key, role, admin, bucket, logs, repo, secret, acct };
}

describe('collector (the full collection that ends a large build)', () => {
  it('gets a working gc() without --expose-gc, and leaves later contexts without one', () => {
    const exposed = typeof (globalThis as { gc?: unknown }).gc === 'function';
    const gc = collector();
    expect(typeof gc).toBe('function');
    let garbage: unknown[] | undefined = Array.from({ length: 200_000 }, (_, i) => ({ i }));
    const before = process.memoryUsage().heapUsed;
    garbage = undefined;
    gc!();
    expect(garbage).toBeUndefined();
    expect(process.memoryUsage().heapUsed).toBeLessThan(before);
    expect(collector()).toBe(gc);
    if (!exposed) expect(runInNewContext('typeof gc')).toBe('undefined');
  });
});

describe('GraphBuilder and AccessGraph', () => {
  it('stores nodes and edges in CSR both ways, merging repeated nodes', () => {
    const { b, key, role, logs } = small();
    expect(b.addNode({ key: 'idn-role', kind: 'unknown', sensitivity: 'high' })).toBe(role);
    const g = b.build();
    expect(g.nodeCount).toBe(9);
    expect(g.edgeCount).toBe(9);
    expect(g.kind(role)).toBe('identity');
    expect(g.sensitivity(role)).toBe('high');
    expect(g.nativeId(logs)).toBe('arn:aws:s3:::logs');
    const out = [];
    for (let p = g.a.outOffsets[key]!; p < g.a.outOffsets[key + 1]!; p++)
      out.push([g.nativeId(g.a.targets[p]!), g.edgeKind(p), g.edgeLevel(p)]);
    expect(out).toEqual([
      ['arn:aws:iam::1:role/deploy', 'can-assume', undefined],
      ['arn:aws:s3:::logs', 'has-permission', 'read'],
    ]);
    const into = [];
    for (let c = g.a.inOffsets[logs]!; c < g.a.inOffsets[logs + 1]!; c++)
      into.push([g.nativeId(g.a.sources[c]!), g.edgeLevel(g.a.inEdges[c]!)]);
    expect(into.sort()).toEqual([
      ['AKIAEXAMPLEKEYID0001', 'read'],
      ['arn:aws:iam::1:role/deploy', 'write'],
    ]);
    expect(g.edgeSource(g.a.outOffsets[role]!)).toBe(role);
    expect(g.memoryBytes()).toBeGreaterThan(0);
    expect(g.findByNativeId('arn:aws:s3:::payroll')).toEqual([g.find('res-bucket')]);
  });
  it('keeps every node field readable whether or not the node has out-edges', () => {
    // The node record also flags nodes with out-edges (the traversal skips the others).
    const b = new GraphBuilder();
    const specs: NodeSpec[] = [];
    for (let i = 0; i < 600; i++)
      specs.push({
        key: `n${i}`,
        kind: i % 2 ? 'resource' : 'role',
        provider: `p${i % 300}`,
        type: `t${i % 7}`,
        account: `a${i % 5}`,
        ...(i % 3 ? { sensitivity: 'high' as const } : {}),
        ...(i % 11 === 0 ? { admin: true } : {}),
      });
    specs.forEach((s) => b.addNode(s));
    for (let i = 0; i < 600; i += 4) b.addEdge(i, i + 1, 'has-permission', { level: 'write' });
    const g = b.build();
    for (let i = 0; i < 600; i++) {
      expect(g.provider(i)).toBe(`p${i % 300}`);
      expect(g.type(i)).toBe(`t${i % 7}`);
      expect(g.account(i)).toBe(`a${i % 5}`);
      expect(g.kind(i)).toBe(i % 2 ? 'resource' : 'role');
      expect(g.sensitivity(i)).toBe(i % 3 ? 'high' : undefined);
      expect(g.isAdmin(i)).toBe(i % 11 === 0);
    }
    const br = blastRadius(g, 4);
    expect(br.resources.map((r) => [r.nativeId, r.provider, r.level])).toEqual([['n5', 'p5', 'write']]);
    expect(br.summary.providers).toEqual(['p5']);
  });
  it('flags AWS service scope nodes by their native id, which a later native id replaces', () => {
    const b = new GraphBuilder();
    const role = b.addNode({ key: 'r', kind: 'role', provider: 'aws' });
    const scope = b.addNode({ key: 'aws:111122223333:s3:*', kind: 'resource', provider: 'aws' });
    const named = b.addNode({
      key: 'k1',
      kind: 'resource',
      provider: 'aws',
      nativeId: 'aws:111122223333:sqs:*',
    });
    const late = b.addNode({ key: 'k2', kind: 'resource', provider: 'aws' });
    b.addNode({ key: 'k2', kind: 'resource', nativeId: 'aws:111122223333:sns:*' });
    const renamed = b.addNode({ key: 'aws:111122223333:kms:*', kind: 'resource', provider: 'aws' });
    b.addNode({
      key: 'aws:111122223333:kms:*',
      kind: 'resource',
      nativeId: 'arn:aws:kms:us-east-1:111122223333:key/k',
    });
    // Near misses: a short account, an ARN, a scope-like key whose native id is an ARN.
    const near = [
      b.addNode({ key: 'aws:11112222333:s3:*', kind: 'resource', provider: 'aws' }),
      b.addNode({ key: 'arn:aws:s3:::aws:111122223333:s3:*', kind: 'resource', provider: 'aws' }),
    ];
    for (const v of [scope, named, late, renamed, ...near])
      b.addEdge(role, v, 'has-permission', { level: 'read' });
    const g = b.build();
    const br = blastRadius(g, role);
    expect(br.resources).toHaveLength(6);
    const flagged = serviceScopesOf(br)!
      .map((r) => r.nativeId)
      .sort();
    expect(flagged).toEqual(['aws:111122223333:s3:*', 'aws:111122223333:sns:*', 'aws:111122223333:sqs:*']);
    // Past the limit, scopes the caller keeps are listed (and known) too.
    const kept = blastRadius(g, role, { limit: 1, keep: (id) => id.startsWith('aws:1111') });
    expect(serviceScopesOf(kept)!.length).toBe(3);
    expect(serviceScopesOf({ ...br })).toBeUndefined();
  });
  it('rejects an edge to a node that does not exist', () => {
    const b = new GraphBuilder();
    b.addNode({ key: 'a', kind: 'agent' });
    expect(() => b.addEdge('a', 'missing', 'uses')).toThrow(/unknown node/);
  });
});

describe('blastRadius', () => {
  it('reports each resource once with its highest level and the shortest chain', () => {
    const { b, agent } = small();
    const g = b.build();
    const br = blastRadius(g, agent);
    const logs = br.resources.find((r) => r.nativeId === 'arn:aws:s3:::logs')!;
    expect(logs.level).toBe('write');
    expect(logs.path).toEqual(['support-bot', 'AKIAEXAMPLEKEYID0001', 'arn:aws:s3:::logs']);
    // Chains are built on first read; serialised and copied results carry them like plain fields.
    const json = JSON.parse(JSON.stringify(logs)) as { path: string[]; chain: { kind: string }[] };
    expect(json.path).toEqual(logs.path);
    expect(json.chain.map((c) => c.kind)).toEqual(logs.chain.map((c) => c.kind));
    expect(plainReached(logs)).toMatchObject({
      path: logs.path,
      level: 'write',
      nativeId: 'arn:aws:s3:::logs',
    });
    expect(logs.hops).toBe(2);
    const bucket = br.resources.find((r) => r.nativeId === 'arn:aws:s3:::payroll')!;
    expect(bucket).toMatchObject({ level: 'read', sensitivity: 'critical', hops: 3 });
    expect(bucket.chain.map((c) => c.kind)).toEqual(['uses', 'can-assume', 'has-permission']);
  });
  it('pivots out of a resource only with the level the pivot needs (read on a repository exposes nothing)', () => {
    const { b, agent } = small();
    const br = blastRadius(b.build(), agent);
    expect(br.identities.map((i) => i.nativeId)).not.toContain('github:acme/api/secret/DEPLOY_KEY');
    expect(br.summary.admin).toEqual([]);
  });
  it('with write on the repository, its workflow secret leads to the admin role and the account', () => {
    const { b, agent, role, repo } = small();
    b.addEdge(role, repo, 'has-permission', { level: 'write' });
    const g = b.build();
    const br = blastRadius(g, agent);
    expect(br.summary.admin).toEqual(['aws:1:administrator']);
    const acct = br.resources.find((r) => r.admin)!;
    expect(acct.path).toEqual([
      'support-bot',
      'AKIAEXAMPLEKEYID0001',
      'arn:aws:iam::1:role/deploy',
      'github:acme/api',
      'github:acme/api/secret/DEPLOY_KEY',
      'arn:aws:iam::1:role/admin',
      'aws:1:administrator',
    ]);
    expect(acct.chain.find((c) => c.kind === 'can-assume' && c.technique)?.technique).toBe('github-oidc');
    const paths = findPaths(g, agent, 'admin');
    expect(paths).toHaveLength(1);
    expect(paths[0]!.hops).toBe(6);
  });
  it('reuses its scratch arrays across queries without leaking state', () => {
    const { b, agent, key } = small();
    const g = b.build();
    const first = blastRadius(g, agent).summary.resources;
    const fromKey = blastRadius(g, key);
    expect(fromKey.resources.every((r) => r.path[0] === 'AKIAEXAMPLEKEYID0001')).toBe(true);
    expect(blastRadius(g, agent).summary.resources).toBe(first);
  });
});

describe('findPaths', () => {
  it('enumerates every distinct shortest path, not only the first', () => {
    const b = new GraphBuilder();
    for (const k of ['u', 'r1', 'r2', 'adm', 'acct'])
      b.addNode({ key: k, kind: k === 'acct' ? 'admin' : 'identity', admin: k === 'acct' });
    b.addEdge('u', 'r1', 'escalates-to', { technique: 'iam-create-access-key' });
    b.addEdge('u', 'r2', 'can-assume');
    b.addEdge('r1', 'adm', 'can-assume');
    b.addEdge('r2', 'adm', 'can-assume');
    b.addEdge('adm', 'acct', 'has-permission', { level: 'admin' });
    const g = b.build();
    const paths = findPaths(g, g.find('u'), 'admin');
    expect(paths.map((p) => p.path.join('>')).sort()).toEqual(['u>r1>adm>acct', 'u>r2>adm>acct']);
    expect(findPaths(g, g.find('u'), g.find('adm'), { limit: 1 })).toHaveLength(1);
    expect(findPaths(g, g.find('adm'), g.find('u'))).toEqual([]);
  });
});

describe('agents: invokers and confused deputies', () => {
  function withInvokers() {
    const s = small();
    const { b, agent, logs } = s;
    const intern = b.addNode({ key: 'own-intern', kind: 'person', nativeId: 'intern@example.com' });
    const lead = b.addNode({ key: 'own-lead', kind: 'person', nativeId: 'lead@example.com' });
    const leadKey = b.addNode({ key: 'idn-lead', kind: 'identity', nativeId: 'lead-key' });
    const other = b.addNode({ key: 'agt-2', kind: 'agent', nativeId: 'orchestrator' });
    b.addEdge(intern, agent, 'can-invoke');
    b.addEdge(other, agent, 'can-invoke');
    b.addEdge(lead, other, 'can-invoke');
    b.addEdge(lead, leadKey, 'uses');
    // The lead holds everything the agent reaches, at the same or a higher level.
    for (const r of ['res-logs', 'res-bucket', 'res-repo'])
      b.addEdge(leadKey, r, 'has-permission', { level: 'admin' });
    void logs;
    return { ...s, g: b.build() };
  }
  it('lists direct and transitive invokers', () => {
    const { g, agent } = withInvokers();
    const a = analyseAgent(g, agent);
    expect(a.invokers.map((i) => [i.nativeId, i.via])).toEqual([
      ['intern@example.com', []],
      ['orchestrator', []],
      ['lead@example.com', ['orchestrator']],
    ]);
  });
  it('flags an invoker who gains access it does not hold, and not one who already holds it', () => {
    const { g, agent } = withInvokers();
    const a = analyseAgent(g, agent);
    const names = a.confusedDeputies.map((d) => d.invoker.nativeId);
    expect(names).toContain('intern@example.com');
    expect(names).not.toContain('lead@example.com');
    const intern = a.confusedDeputies.find((d) => d.invoker.nativeId === 'intern@example.com')!;
    expect(intern.count).toBe(3);
    expect(intern.gained.find((x) => x.nativeId === 'arn:aws:s3:::logs')).toMatchObject({
      level: 'write',
      ownLevel: 'none',
    });
    expect(intern.gained[0]!.path[0]).toBe('intern@example.com');
  });
});
