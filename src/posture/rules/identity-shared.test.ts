import { describe, expect, it } from 'vitest';
import { agent, edge, identity, link, postureInput } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { identityShared } from './identity-shared.js';

const ID = 'identity-shared';

function key(nativeId: string, status: 'active' | 'revoked' = 'active') {
  return identity({ nativeId, provider: 'openai', kind: 'api-key', status });
}

describe('identity-shared', () => {
  it('flags one identity used by two agents (medium) and by three (high)', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((name) => agent({ name })) as [
      ReturnType<typeof agent>,
      ReturnType<typeof agent>,
      ReturnType<typeof agent>,
    ];
    const two = key('sk-two');
    const three = key('sk-three');
    const f = runRule(
      identityShared,
      postureInput({
        agents: [a, b, c],
        identities: [two, three],
        links: [
          link(b, two),
          link(a, two, 'config'),
          link(a, three),
          link(b, three),
          link(c, three, 'tag', 0.8),
        ],
      }),
    );
    expectFinding(findingOn(f, 'sk-two'), {
      ruleId: ID,
      subject: 'sk-two',
      severity: 'medium',
      owaspNhi: ['NHI9'],
      message: ['sk-two is used by 2 consumers (agents: a, b).'],
      evidence: { agents: ['a', 'b'], workloads: 0 },
      agents: ['a', 'b'],
    });
    expectFinding(findingOn(f, 'sk-three'), {
      ruleId: ID,
      subject: 'sk-three',
      severity: 'high',
      owaspNhi: ['NHI9'],
      evidence: { agents: ['a', 'b', 'c'] },
    });
  });

  it('counts a link of confidence 0.5 and ignores one of 0.49', () => {
    const a = agent({ name: 'a' });
    const b = agent({ name: 'b' });
    const at = key('at-half');
    const below = key('below-half');
    const f = runRule(
      identityShared,
      postureInput({
        agents: [a, b],
        identities: [at, below],
        links: [link(a, at), link(b, at, 'naming', 0.5), link(a, below), link(b, below, 'naming', 0.49)],
      }),
    );
    expect(f.map((x) => x.subject)).toEqual(['at-half']);
  });

  it('counts workloads that run as a Kubernetes service account as consumers', () => {
    const a = agent({ name: 'a' });
    const sa = identity({
      nativeId: 'system:serviceaccount:ml:default',
      provider: 'kubernetes',
      kind: 'service-account',
    });
    const f = runRule(
      identityShared,
      postureInput({
        agents: [a],
        identities: [sa],
        links: [link(a, sa)],
        edges: [edge('runs-as', 'res_w1', sa.id), edge('runs-as', 'res_w2', sa.id)],
      }),
    );
    expectFinding(findingOn(f, sa.nativeId), {
      ruleId: ID,
      subject: sa.nativeId,
      severity: 'medium',
      owaspNhi: ['NHI9'],
      message: [`${sa.nativeId} is used by 3 consumers (agents: a).`],
      evidence: { agents: ['a'], workloads: 2 },
    });
  });

  it('ignores a single agent linked twice, a single workload, and a revoked shared key', () => {
    const a = agent({ name: 'a' });
    const b = agent({ name: 'b' });
    const once = key('once');
    const sa = identity({
      nativeId: 'system:serviceaccount:ml:one',
      provider: 'kubernetes',
      kind: 'service-account',
    });
    const dead = key('dead', 'revoked');
    const f = runRule(
      identityShared,
      postureInput({
        agents: [a, b],
        identities: [once, sa, dead],
        links: [link(a, once), link(a, once, 'config'), link(a, dead), link(b, dead)],
        edges: [edge('runs-as', 'res_w1', sa.id), edge('uses', 'res_w2', sa.id)],
      }),
    );
    expect(f).toEqual([]);
  });
});
