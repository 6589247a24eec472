import { describe, expect, it } from 'vitest';
import { agent, identity, link, postureInput } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { identityCrossEnvironment } from './identity-cross-environment.js';

const ID = 'identity-cross-environment';

describe('identity-cross-environment', () => {
  it('flags an identity used by production and development agents (high)', () => {
    const p = agent({ name: 'p', environment: 'production' });
    const d = agent({ name: 'd', environment: 'development' });
    const k = identity({ nativeId: 'k' });
    const f = runRule(
      identityCrossEnvironment,
      postureInput({ agents: [p, d], identities: [k], links: [link(p, k), link(d, k)] }),
    );
    expectFinding(findingOn(f, 'k'), {
      ruleId: ID,
      subject: 'k',
      severity: 'high',
      owaspNhi: ['NHI8'],
      message: ['k is used in development and production.'],
      evidence: { environments: ['development', 'production'], identityEnvironment: null },
      agents: ['d', 'p'],
    });
  });

  it('is medium when production is not involved (staging and development)', () => {
    const s = agent({ name: 's', environment: 'staging' });
    const d = agent({ name: 'd', environment: 'development' });
    const k = identity({ nativeId: 'k' });
    const f = runRule(
      identityCrossEnvironment,
      postureInput({ agents: [s, d], identities: [k], links: [link(s, k), link(d, k)] }),
    );
    expect(findingOn(f, 'k').severity).toBe('medium');
  });

  it('flags a production identity handed to a single development agent', () => {
    const d = agent({ name: 'd', environment: 'development' });
    const k = identity({ nativeId: 'prod-key', environment: 'production' });
    const f = runRule(
      identityCrossEnvironment,
      postureInput({ agents: [d], identities: [k], links: [link(d, k)] }),
    );
    expectFinding(findingOn(f, 'prod-key'), {
      ruleId: ID,
      subject: 'prod-key',
      severity: 'high',
      owaspNhi: ['NHI8'],
      evidence: { environments: ['development', 'production'], identityEnvironment: 'production' },
    });
  });

  it('ignores one environment shared by several agents, and unknown environments', () => {
    const p1 = agent({ name: 'p1', environment: 'production' });
    const p2 = agent({ name: 'p2', environment: 'production' });
    const u = agent({ name: 'u', environment: 'unknown' });
    const k = identity({ nativeId: 'k', environment: 'production' });
    const j = identity({ nativeId: 'j', environment: 'unknown' });
    const f = runRule(
      identityCrossEnvironment,
      postureInput({
        agents: [p1, p2, u],
        identities: [k, j],
        links: [link(p1, k), link(p2, k), link(u, k), link(p1, j), link(u, j)],
      }),
    );
    expect(f).toEqual([]);
  });

  it('ignores an unlinked identity and a revoked one used across environments', () => {
    const p = agent({ name: 'p', environment: 'production' });
    const d = agent({ name: 'd', environment: 'development' });
    const unlinked = identity({ nativeId: 'unlinked', environment: 'development' });
    const revoked = identity({ nativeId: 'revoked', status: 'revoked' });
    const f = runRule(
      identityCrossEnvironment,
      postureInput({
        agents: [p, d],
        identities: [unlinked, revoked],
        links: [link(p, revoked), link(d, revoked)],
      }),
    );
    expect(f).toEqual([]);
  });
});
