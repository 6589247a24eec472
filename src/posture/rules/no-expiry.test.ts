import { describe, expect, it } from 'vitest';
import { daysAgo, daysAhead, grant, identity, postureInput } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { noExpiry } from './no-expiry.js';

const ID = 'no-expiry';

function pat(nativeId: string, createdDaysAgo: number, expiresInDays: number) {
  return identity({
    nativeId,
    kind: 'personal-access-token',
    provider: 'github',
    createdAt: daysAgo(createdDaysAgo),
    expiresAt: daysAhead(expiresInDays),
  });
}

describe('no-expiry', () => {
  it('flags a key without expiry: medium, high when its user holds administrator grants', () => {
    const k = identity({ nativeId: 'key_abc', kind: 'api-key', provider: 'openai', createdAt: daysAgo(5) });
    const user = identity({ nativeId: 'arn:aws:iam::111122223333:user/ci', kind: 'cloud-user' });
    const key = identity({ nativeId: 'test-access-key-02', attributes: { parent: user.nativeId } });
    const f = runRule(
      noExpiry,
      postureInput({ identities: [k, user, key], grants: [grant(user, { actions: ['*'], level: 'admin' })] }),
    );
    // The user itself is not a secret: only the two keys.
    expect(f).toHaveLength(2);
    expectFinding(findingOn(f, 'key_abc'), {
      ruleId: ID,
      subject: 'key_abc',
      severity: 'medium',
      owaspNhi: ['NHI7'],
      message: ['key_abc (api-key) has no expiry.'],
      evidence: { kind: 'api-key', createdAt: daysAgo(5), expiresAt: null, admin: false },
    });
    expectFinding(findingOn(f, 'test-access-key-02'), {
      ruleId: ID,
      subject: 'test-access-key-02',
      severity: 'high',
      owaspNhi: ['NHI7'],
      evidence: { kind: 'access-key', expiresAt: null, admin: true },
    });
  });

  it('flags a lifetime one day beyond the 365-day policy, and not one exactly at it', () => {
    const beyond = pat('beyond', 10, 356); // 366 days from creation
    const atPolicy = pat('at-policy', 10, 355); // 365 days from creation
    const f = runRule(noExpiry, postureInput({ identities: [beyond, atPolicy] }));
    expect(f.map((x) => x.subject)).toEqual(['beyond']);
    expectFinding(f[0]!, {
      ruleId: ID,
      subject: 'beyond',
      severity: 'low',
      owaspNhi: ['NHI7'],
      message: [`expires ${daysAhead(356).slice(0, 10)}: a lifetime of 366 days, beyond the 365-day policy.`],
      evidence: { lifetimeDays: 366, maxExpiryDays: 365, expiresAt: daysAhead(356) },
    });
  });

  it('counts the lifetime from now when the creation date is unknown, and follows a custom policy', () => {
    const noCreate = identity({ nativeId: 'no-create', kind: 'api-key', expiresAt: daysAhead(100) });
    const thresholds = { ...postureInput().thresholds, maxExpiryDays: 90 };
    const f = runRule(noExpiry, postureInput({ identities: [noCreate], thresholds }));
    expectFinding(findingOn(f, 'no-create'), {
      ruleId: ID,
      subject: 'no-create',
      severity: 'low',
      owaspNhi: ['NHI7'],
      evidence: { createdAt: null, lifetimeDays: 100, maxExpiryDays: 90 },
    });
    expect(runRule(noExpiry, postureInput({ identities: [noCreate] }))).toEqual([]);
  });

  it('is medium for a too-long lifetime on an administrator key', () => {
    const user = identity({ nativeId: 'arn:aws:iam::1:user/admin-bot', kind: 'cloud-user' });
    const cert = identity({
      nativeId: 'cert-1',
      kind: 'certificate',
      createdAt: daysAgo(1),
      expiresAt: daysAhead(800),
      attributes: { parent: user.nativeId },
    });
    const f = runRule(
      noExpiry,
      postureInput({ identities: [user, cert], grants: [grant(user, { actions: ['*'], level: 'admin' })] }),
    );
    expect(findingOn(f, 'cert-1').severity).toBe('medium');
  });

  it('is silent for roles, service accounts, session tokens, provider-managed keys and dead keys', () => {
    const ids = [
      identity({ nativeId: 'arn:aws:iam::1:role/r', kind: 'cloud-role' }),
      identity({ nativeId: 'sa@p.iam.gserviceaccount.com', provider: 'gcp', kind: 'service-account' }),
      identity({ nativeId: 'ASIA-session', kind: 'session-token' }),
      identity({
        nativeId: 'projects/p/serviceAccounts/x/keys/1',
        provider: 'gcp',
        attributes: { systemManaged: true },
      }),
      identity({ nativeId: 'revoked', kind: 'api-key', status: 'revoked' }),
      identity({ nativeId: 'declared', kind: 'api-key', status: 'declared' }),
    ];
    expect(runRule(noExpiry, postureInput({ identities: ids }))).toEqual([]);
  });
});
