import { describe, expect, it } from 'vitest';
import { daysAgo, grant, identity, postureInput, usage } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { identityUnused } from './identity-unused.js';

const ID = 'identity-unused';
const HOUR = 1 / 24;

describe('identity-unused', () => {
  it('grades by the configured thresholds: 30 days low, 90 medium, 90 with admin access high', () => {
    const k30 = identity({ nativeId: 'k30', lastUsedAt: daysAgo(45) });
    const k90 = identity({ nativeId: 'k90', lastUsedAt: daysAgo(120), kind: 'api-key', provider: 'openai' });
    const user = identity({
      nativeId: 'arn:aws:iam::1:user/ops',
      kind: 'cloud-user',
      lastUsedAt: daysAgo(100),
    });
    const f = runRule(
      identityUnused,
      postureInput({
        identities: [k30, k90, user],
        grants: [grant(user, { actions: ['*'], level: 'admin' })],
      }),
    );
    expectFinding(findingOn(f, 'k30'), {
      ruleId: ID,
      subject: 'k30',
      severity: 'low',
      owaspNhi: ['NHI1'],
      message: ['k30 has not been used for 45 days (threshold 30).'],
      evidence: { lastUsedAt: daysAgo(45), neverUsed: false, idleDays: 45, thresholdDays: 30 },
    });
    // An AWS access key gets the command that disables it; an OpenAI key does not.
    expect(findingOn(f, 'k30').fix).toBe('aws iam update-access-key --access-key-id k30 --status Inactive');
    expectFinding(findingOn(f, 'k90'), {
      ruleId: ID,
      subject: 'k90',
      severity: 'medium',
      owaspNhi: ['NHI1'],
      evidence: { idleDays: 120, thresholdDays: 90 },
    });
    expect(findingOn(f, 'k90').fix).toBeUndefined();
    expectFinding(findingOn(f, user.nativeId), {
      ruleId: ID,
      subject: user.nativeId,
      severity: 'high',
      owaspNhi: ['NHI1'],
      evidence: { idleDays: 100, thresholdDays: 90 },
    });
  });

  it('starts exactly at the threshold: 30 days is reported, 30 days less an hour is not', () => {
    const at = identity({ nativeId: 'at', lastUsedAt: daysAgo(30) });
    const inside = identity({ nativeId: 'inside', lastUsedAt: daysAgo(30 - HOUR) });
    const at90 = identity({ nativeId: 'at90', lastUsedAt: daysAgo(90) });
    const inside90 = identity({ nativeId: 'inside90', lastUsedAt: daysAgo(90 - HOUR) });
    const f = runRule(identityUnused, postureInput({ identities: [at, inside, at90, inside90] }));
    expect(Object.fromEntries(f.map((x) => [x.subject, x.severity]))).toEqual({
      at: 'low',
      at90: 'medium',
      inside90: 'low',
    });
  });

  it('reports "never used" only when the source says so, counting from creation', () => {
    const never = identity({ nativeId: 'never', createdAt: daysAgo(100), attributes: { neverUsed: true } });
    const unknown = identity({ nativeId: 'unknown', createdAt: daysAgo(400) });
    const f = runRule(identityUnused, postureInput({ identities: [never, unknown] }));
    expectFinding(findingOn(f, 'never'), {
      ruleId: ID,
      subject: 'never',
      severity: 'medium',
      owaspNhi: ['NHI1'],
      message: ['never was never used in the 100 days since it was created.'],
      evidence: { lastUsedAt: null, neverUsed: true, idleDays: 100 },
    });
    expect(f.map((x) => x.subject)).toEqual(['never']);
  });

  it('takes the later of the source last-use date and the usage events', () => {
    const stale = identity({ nativeId: 'stale-report', lastUsedAt: daysAgo(200) });
    const input = postureInput({
      identities: [stale],
      usage: new Map([[stale.id, usage({ 's3:GetObject': ['*'] }, { lastTime: daysAgo(3) })]]),
    });
    expect(runRule(identityUnused, input)).toEqual([]);
  });

  it('honours custom thresholds (a single 60-day threshold)', () => {
    const thresholds = { ...postureInput().thresholds, unusedDays: [60] };
    const k45 = identity({ nativeId: 'k45', lastUsedAt: daysAgo(45) });
    const k60 = identity({ nativeId: 'k60', lastUsedAt: daysAgo(60) });
    const f = runRule(identityUnused, postureInput({ identities: [k45, k60], thresholds }));
    expectFinding(findingOn(f, 'k60'), {
      ruleId: ID,
      subject: 'k60',
      severity: 'medium',
      owaspNhi: ['NHI1'],
      evidence: { thresholdDays: 60 },
    });
    expect(f).toHaveLength(1);
  });

  it('is silent for disabled, revoked and declared identities however long unused', () => {
    const ids = (['disabled', 'revoked', 'expired', 'inactive', 'declared'] as const).map((status) =>
      identity({ nativeId: status, status, lastUsedAt: daysAgo(300) }),
    );
    expect(runRule(identityUnused, postureInput({ identities: ids }))).toEqual([]);
  });
});
