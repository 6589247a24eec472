import { describe, expect, it } from 'vitest';
import { daysAgo, daysAhead, grant, identity, postureInput } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { notRotated } from './not-rotated.js';

const ID = 'not-rotated';
const HOUR = 1 / 24;
const OPS = 'arn:aws:iam::111122223333:user/ops';

function adminUser() {
  const user = identity({ nativeId: OPS, kind: 'cloud-user' });
  return { user, admin: grant(user, { actions: ['*'], level: 'admin' }) };
}

describe('not-rotated', () => {
  it('uses the admin policy (30 days) for the key of an admin user, with the rotate command', () => {
    const { user, admin } = adminUser();
    const key = identity({
      nativeId: 'test-access-key-03',
      createdAt: daysAgo(45),
      attributes: { parent: OPS },
    });
    const f = runRule(notRotated, postureInput({ identities: [user, key], grants: [admin] }));
    expect(f).toHaveLength(1);
    expectFinding(f[0]!, {
      ruleId: ID,
      subject: 'test-access-key-03',
      severity: 'high',
      owaspNhi: ['NHI7'],
      message: ['was last rotated 45 days ago; policy is 30 days for administrator access.'],
      evidence: { lastRotatedAt: null, createdAt: daysAgo(45), ageDays: 45, policyDays: 30, admin: true },
    });
    expect(f[0]!.fix).toBe(
      'aws iam create-access-key --user-name ops && aws iam update-access-key --user-name ops --access-key-id test-access-key-03 --status Inactive',
    );
  });

  it('uses the 90-day policy otherwise, measured from the last rotation', () => {
    const old = identity({
      nativeId: 'old',
      kind: 'api-key',
      createdAt: daysAgo(400),
      lastRotatedAt: daysAgo(91),
    });
    const f = runRule(notRotated, postureInput({ identities: [old] }));
    expectFinding(findingOn(f, 'old'), {
      ruleId: ID,
      subject: 'old',
      severity: 'medium',
      owaspNhi: ['NHI7'],
      message: ['old was last rotated 91 days ago; policy is 90 days.'],
      evidence: { lastRotatedAt: daysAgo(91), ageDays: 91, policyDays: 90, admin: false },
    });
    // Not an AWS access key: no AWS command is suggested.
    expect(findingOn(f, 'old').fix).toBeUndefined();
  });

  it('is silent exactly at the policy and just inside it (90 days; 30 for admin)', () => {
    const { user, admin } = adminUser();
    const ids = [
      identity({ nativeId: 'at-90', createdAt: daysAgo(90) }),
      identity({ nativeId: 'inside-90', createdAt: daysAgo(90 - HOUR) }),
      identity({ nativeId: 'admin-at-30', createdAt: daysAgo(30), attributes: { parent: OPS } }),
      // Older than the admin policy but within the normal one: only an admin key would be late.
      identity({ nativeId: 'plain-45', createdAt: daysAgo(45) }),
    ];
    expect(runRule(notRotated, postureInput({ identities: [user, ...ids], grants: [admin] }))).toEqual([]);
    const late = identity({ nativeId: 'admin-31', createdAt: daysAgo(31), attributes: { parent: OPS } });
    expect(
      runRule(notRotated, postureInput({ identities: [user, late], grants: [admin] })).map((x) => x.subject),
    ).toEqual(['admin-31']);
  });

  it('is silent for a short-lived secret whose whole lifetime fits the policy, not for a long one', () => {
    const short = identity({
      nativeId: 'short',
      kind: 'api-key',
      createdAt: daysAgo(100),
      expiresAt: daysAgo(30),
    });
    const long = identity({
      nativeId: 'long',
      kind: 'api-key',
      createdAt: daysAgo(100),
      expiresAt: daysAhead(100),
    });
    const f = runRule(notRotated, postureInput({ identities: [short, long] }));
    expect(f.map((x) => x.subject)).toEqual(['long']);
  });

  it('is silent for roles, provider-managed keys, dead keys, keys of unknown age and a recent rotation', () => {
    const ids = [
      identity({ nativeId: 'arn:aws:iam::1:role/r', kind: 'cloud-role', createdAt: daysAgo(900) }),
      identity({
        nativeId: 'sys',
        provider: 'gcp',
        createdAt: daysAgo(900),
        attributes: { systemManaged: true },
      }),
      identity({ nativeId: 'revoked', createdAt: daysAgo(900), status: 'revoked' }),
      identity({ nativeId: 'inactive', createdAt: daysAgo(900), status: 'inactive' }),
      identity({ nativeId: 'declared', createdAt: daysAgo(900), status: 'declared' }),
      identity({ nativeId: 'ageless' }),
      // Rotated recently, however old the key's first creation.
      identity({ nativeId: 'fresh', createdAt: daysAgo(400), lastRotatedAt: daysAgo(10) }),
    ];
    expect(runRule(notRotated, postureInput({ identities: ids }))).toEqual([]);
  });
});
