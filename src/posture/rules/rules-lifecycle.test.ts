import { describe, expect, it } from 'vitest';
import {
  agent,
  daysAgo,
  daysAhead,
  grant,
  identity,
  link,
  owner,
  postureInput,
} from '../test-utils/posture-fixtures.js';
import { agentRetiredActive } from './agent-retired-active.js';
import { identityUnused } from './identity-unused.js';
import { noExpiry } from './no-expiry.js';
import { noOwner } from './no-owner.js';
import { notRotated } from './not-rotated.js';
import { ownerDeparted } from './owner-departed.js';
import { shadowIdentity } from './shadow-identity.js';

describe('no-owner', () => {
  it('flags an agent without owner and an agent identity nobody owns', () => {
    const a = agent({ name: 'bot' });
    delete a.ownerRef;
    const i = identity({ nativeId: 'test-access-key-01' });
    const f = noOwner.evaluate(postureInput({ agents: [a], identities: [i], links: [link(a, i)] }));
    expect(f.map((x) => x.subjectType).sort()).toEqual(['agent', 'identity']);
  });
  it('is silent when the agent or the identity names an owner', () => {
    const a = agent({ name: 'bot', ownerRef: 'ana@acme.test' });
    const i = identity({ nativeId: 'test-access-key-01' });
    expect(noOwner.evaluate(postureInput({ agents: [a], identities: [i], links: [link(a, i)] }))).toEqual([]);
  });
});

describe('owner-departed', () => {
  it('flags agents and live identities owned by someone who left', () => {
    const a = agent({ name: 'bot', ownerRef: 'Bob@acme.test' });
    const i = identity({ nativeId: 'k1', ownerRef: 'bob@acme.test' });
    const f = ownerDeparted.evaluate(
      postureInput({
        agents: [a],
        identities: [i],
        owners: [owner('bob@acme.test', 'departed', { departedAt: daysAgo(40) })],
      }),
    );
    expect(f).toHaveLength(2);
    expect(f[0]!.message).toContain('bob@acme.test');
  });
  it('ignores current owners and disabled identities', () => {
    const i = identity({ nativeId: 'k1', ownerRef: 'bob@acme.test', status: 'disabled' });
    const a = agent({ name: 'bot', ownerRef: 'ana@acme.test' });
    const f = ownerDeparted.evaluate(
      postureInput({
        agents: [a],
        identities: [i],
        owners: [owner('bob@acme.test', 'departed'), owner('ana@acme.test')],
      }),
    );
    expect(f).toEqual([]);
  });
});

describe('agent-retired-identities-active', () => {
  it('flags a retired agent still holding active identities, critical when used after its end', () => {
    const a = agent({ name: 'old', status: 'retired', expectedEnd: daysAgo(30) });
    const i = identity({ nativeId: 'k1', lastUsedAt: daysAgo(2) });
    const f = agentRetiredActive.evaluate(
      postureInput({ agents: [a], identities: [i], links: [link(a, i)] }),
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('critical');
  });
  it('flags an agent past its expected end, and not one whose identities are revoked', () => {
    const past = agent({ name: 'past', expectedEnd: daysAgo(1) });
    const done = agent({ name: 'done', status: 'retired' });
    const live = identity({ nativeId: 'k1' });
    const revoked = identity({ nativeId: 'k2', status: 'revoked' });
    const f = agentRetiredActive.evaluate(
      postureInput({
        agents: [past, done],
        identities: [live, revoked],
        links: [link(past, live), link(done, revoked)],
      }),
    );
    expect(f.map((x) => x.subject)).toEqual(['past']);
  });
  it('is silent for an active agent before its end', () => {
    const a = agent({ name: 'ok', expectedEnd: daysAhead(30) });
    const i = identity({ nativeId: 'k1' });
    expect(
      agentRetiredActive.evaluate(postureInput({ agents: [a], identities: [i], links: [link(a, i)] })),
    ).toEqual([]);
  });
});

describe('identity-unused', () => {
  it('grades by the configured thresholds (30 low, 90 medium)', () => {
    const a = identity({ nativeId: 'k30', lastUsedAt: daysAgo(45) });
    const b = identity({ nativeId: 'k90', lastUsedAt: daysAgo(120) });
    const f = identityUnused.evaluate(postureInput({ identities: [a, b] }));
    expect(Object.fromEntries(f.map((x) => [x.subject, x.severity]))).toEqual({ k30: 'low', k90: 'medium' });
  });
  it('uses usage events and honours custom thresholds; unknown last use is not "never used"', () => {
    const used = identity({ nativeId: 'used', lastUsedAt: daysAgo(200) });
    const unknown = identity({ nativeId: 'unknown', createdAt: daysAgo(400) });
    const input = postureInput({
      identities: [used, unknown],
      usage: new Map([
        [
          used.id,
          {
            actions: ['s3:GetObject'],
            resourcesByAction: { 's3:GetObject': ['*'] },
            count: 1,
            failures: 0,
            firstTime: daysAgo(3),
            lastTime: daysAgo(3),
          },
        ],
      ]),
    });
    expect(identityUnused.evaluate(input)).toEqual([]);
    const never = identity({ nativeId: 'never', createdAt: daysAgo(100), attributes: { neverUsed: true } });
    const f = identityUnused.evaluate(
      postureInput({ identities: [never], thresholds: { ...postureInput().thresholds, unusedDays: [60] } }),
    );
    expect(f[0]!.evidence.neverUsed).toBe(true);
  });
});

describe('no-expiry', () => {
  it('flags a key without expiry, high when it has admin grants', () => {
    const k = identity({ nativeId: 'k1', kind: 'api-key', provider: 'openai' });
    const user = identity({ nativeId: 'arn:aws:iam::111122223333:user/ci', kind: 'cloud-user' });
    const key = identity({ nativeId: 'test-access-key-02', attributes: { parent: user.nativeId } });
    const f = noExpiry.evaluate(
      postureInput({ identities: [k, user, key], grants: [grant(user, { actions: ['*'], level: 'admin' })] }),
    );
    expect(Object.fromEntries(f.map((x) => [x.subject, x.severity]))).toEqual({
      k1: 'medium',
      'test-access-key-02': 'high',
    });
  });
  it('flags an expiry beyond policy and not one within it, nor roles or provider-managed keys', () => {
    const long = identity({
      nativeId: 'long',
      kind: 'personal-access-token',
      provider: 'github',
      createdAt: daysAgo(10),
      expiresAt: daysAhead(800),
    });
    const ok = identity({
      nativeId: 'ok',
      kind: 'personal-access-token',
      provider: 'github',
      createdAt: daysAgo(10),
      expiresAt: daysAhead(60),
    });
    const role = identity({ nativeId: 'arn:aws:iam::1:role/r', kind: 'cloud-role' });
    const sys = identity({
      nativeId: 'projects/p/serviceAccounts/x/keys/1',
      provider: 'gcp',
      attributes: { systemManaged: true },
    });
    expect(
      noExpiry.evaluate(postureInput({ identities: [long, ok, role, sys] })).map((x) => x.subject),
    ).toEqual(['long']);
  });
});

describe('not-rotated', () => {
  it('uses the admin policy (30 days) for keys of admin users', () => {
    const user = identity({ nativeId: 'arn:aws:iam::111122223333:user/ops', kind: 'cloud-user' });
    const key = identity({
      nativeId: 'test-access-key-03',
      createdAt: daysAgo(45),
      attributes: { parent: user.nativeId },
    });
    const f = notRotated.evaluate(
      postureInput({ identities: [user, key], grants: [grant(user, { actions: ['*'], level: 'admin' })] }),
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.evidence.policyDays).toBe(30);
    expect(f[0]!.fix).toContain('--user-name ops');
  });
  it('is silent for a recent rotation and for short-lived secrets', () => {
    const fresh = identity({ nativeId: 'fresh', lastRotatedAt: daysAgo(10), createdAt: daysAgo(400) });
    const short = identity({
      nativeId: 'short',
      kind: 'api-key',
      createdAt: daysAgo(100),
      expiresAt: daysAgo(30),
    });
    const plain = identity({ nativeId: 'old-nonadmin', createdAt: daysAgo(45) });
    expect(notRotated.evaluate(postureInput({ identities: [fresh, short, plain] }))).toEqual([]);
  });
});

describe('shadow-identity', () => {
  it('flags an identity with no agent and no owner', () => {
    const i = identity({ nativeId: 'arn:aws:iam::1:user/mystery', kind: 'cloud-user' });
    const f = shadowIdentity.evaluate(
      postureInput({ identities: [i], grants: [grant(i, { actions: ['*'], level: 'admin' })] }),
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('high');
  });
  it('is silent for owned, linked, declared, third-party identities and keys of an owned user', () => {
    const a = agent({ name: 'bot' });
    const owned = identity({ nativeId: 'owned', ownerRef: 'ana@acme.test' });
    const linked = identity({ nativeId: 'linked' });
    const declared = identity({ nativeId: 'declared', status: 'declared' });
    const vendor = identity({ nativeId: 'vendor', thirdParty: true, kind: 'oauth-app' });
    const user = identity({
      nativeId: 'arn:aws:iam::1:user/u',
      kind: 'cloud-user',
      ownerRef: 'ana@acme.test',
    });
    const key = identity({ nativeId: 'test-access-key-04', attributes: { parent: user.nativeId } });
    const f = shadowIdentity.evaluate(
      postureInput({
        agents: [a],
        identities: [owned, linked, declared, vendor, user, key],
        links: [link(a, linked)],
      }),
    );
    expect(f).toEqual([]);
  });
});
