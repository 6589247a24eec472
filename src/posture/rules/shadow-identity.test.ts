import { describe, expect, it } from 'vitest';
import { agent, daysAgo, grant, identity, link, postureInput } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { shadowIdentity } from './shadow-identity.js';

const ID = 'shadow-identity';
const MYSTERY = 'arn:aws:iam::111122223333:user/mystery';

describe('shadow-identity', () => {
  it('flags an identity with no agent and no owner, high when it holds administrator access', () => {
    const admin = identity({
      nativeId: MYSTERY,
      kind: 'cloud-user',
      account: '111122223333',
      lastUsedAt: daysAgo(4),
    });
    const plain = identity({
      nativeId: 'sa-x@p.iam.gserviceaccount.com',
      provider: 'gcp',
      kind: 'service-account',
    });
    const f = runRule(
      shadowIdentity,
      postureInput({
        identities: [admin, plain],
        grants: [grant(admin, { actions: ['*'], level: 'admin' })],
      }),
    );
    expectFinding(findingOn(f, MYSTERY), {
      ruleId: ID,
      subject: MYSTERY,
      severity: 'high',
      owaspNhi: ['NHI1'],
      message: [
        `${MYSTERY} (aws cloud-user) belongs to no known agent and no owner, and holds administrator access.`,
      ],
      evidence: {
        provider: 'aws',
        kind: 'cloud-user',
        account: '111122223333',
        lastUsedAt: daysAgo(4),
        admin: true,
      },
      agents: [],
    });
    expectFinding(findingOn(f, plain.nativeId), {
      ruleId: ID,
      subject: plain.nativeId,
      severity: 'medium',
      owaspNhi: ['NHI1'],
      evidence: { provider: 'gcp', kind: 'service-account', account: null, admin: false },
    });
  });

  it('flags the key of a user that is itself unaccounted for (near miss of an owned parent)', () => {
    const user = identity({ nativeId: 'arn:aws:iam::1:user/u', kind: 'cloud-user' });
    const key = identity({ nativeId: 'test-access-key-04', attributes: { parent: user.nativeId } });
    const f = runRule(shadowIdentity, postureInput({ identities: [user, key] }));
    expect(f.map((x) => x.subject).sort()).toEqual(['arn:aws:iam::1:user/u', 'test-access-key-04']);
  });

  it('is silent for owned, linked, declared and third-party identities, and keys of an owned or linked user', () => {
    const a = agent({ name: 'bot' });
    const owned = identity({ nativeId: 'owned', ownerRef: 'ana@acme.test' });
    const linked = identity({ nativeId: 'linked' });
    const declared = identity({ nativeId: 'declared', status: 'declared' });
    const vendor = identity({ nativeId: 'vendor', thirdParty: true, kind: 'oauth-app' });
    const ownedUser = identity({
      nativeId: 'arn:aws:iam::1:user/u',
      kind: 'cloud-user',
      ownerRef: 'ana@acme.test',
    });
    const keyOfOwned = identity({
      nativeId: 'test-access-key-04',
      attributes: { parent: ownedUser.nativeId },
    });
    const linkedUser = identity({ nativeId: 'arn:aws:iam::1:user/v', kind: 'cloud-user' });
    const keyOfLinked = identity({
      nativeId: 'test-access-key-05',
      attributes: { parent: linkedUser.nativeId },
    });
    const f = runRule(
      shadowIdentity,
      postureInput({
        agents: [a],
        identities: [owned, linked, declared, vendor, ownedUser, keyOfOwned, linkedUser, keyOfLinked],
        links: [link(a, linked), link(a, linkedUser)],
      }),
    );
    expect(f).toEqual([]);
  });

  it('is silent for disabled or revoked identities nobody claims', () => {
    const ids = [
      identity({ nativeId: 'disabled', status: 'disabled' }),
      identity({ nativeId: 'revoked', status: 'revoked' }),
    ];
    expect(runRule(shadowIdentity, postureInput({ identities: ids }))).toEqual([]);
  });
});
