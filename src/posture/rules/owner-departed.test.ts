import { describe, expect, it } from 'vitest';
import { agent, daysAgo, identity, owner, postureInput } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { ownerDeparted } from './owner-departed.js';

const BOB = 'bob@acme.test';

describe('owner-departed', () => {
  it('flags an agent and a live identity owned by someone who left (refs compared case-insensitively)', () => {
    const a = agent({ name: 'bot', ownerRef: 'Bob@acme.test' });
    const i = identity({ nativeId: 'k1', ownerRef: BOB, lastUsedAt: daysAgo(3) });
    const f = runRule(
      ownerDeparted,
      postureInput({
        agents: [a],
        identities: [i],
        owners: [owner(BOB, 'departed', { departedAt: daysAgo(40) })],
      }),
    );
    expect(f).toHaveLength(2);
    const left = daysAgo(40).slice(0, 10);
    expectFinding(findingOn(f, 'bot'), {
      ruleId: 'owner-departed',
      subject: 'bot',
      subjectType: 'agent',
      severity: 'high',
      owaspNhi: ['NHI1'],
      message: [`Agent bot is owned by ${BOB}, who left on ${left}.`],
      evidence: { owner: BOB, departedAt: daysAgo(40) },
    });
    expectFinding(findingOn(f, 'k1'), {
      ruleId: 'owner-departed',
      subject: 'k1',
      subjectType: 'identity',
      severity: 'high',
      owaspNhi: ['NHI1'],
      message: [`k1 is owned by ${BOB}, who left on ${left}, and is still active.`],
      evidence: { owner: BOB, lastUsedAt: daysAgo(3) },
    });
  });

  it('resolves an alias (a GitHub login) to the departed person', () => {
    const i = identity({ nativeId: 'github:acme/pat/7', provider: 'github', ownerRef: 'bob-gh' });
    const f = runRule(
      ownerDeparted,
      postureInput({
        identities: [i],
        owners: [owner(BOB, 'departed'), owner('bob-gh', 'active', { attributes: { aliasOf: BOB } })],
      }),
    );
    expectFinding(findingOn(f, 'github:acme/pat/7'), {
      ruleId: 'owner-departed',
      subject: 'github:acme/pat/7',
      severity: 'high',
      owaspNhi: ['NHI1'],
      // No departure date known: the message does not invent one.
      message: [`owned by ${BOB}, who left, and is still active`],
      evidence: { owner: BOB, departedAt: null },
    });
  });

  it('is silent for the same records when the owner is active or of unknown status', () => {
    for (const status of ['active', 'unknown'] as const) {
      const a = agent({ name: 'bot', ownerRef: BOB });
      const i = identity({ nativeId: 'k1', ownerRef: BOB });
      expect(
        runRule(ownerDeparted, postureInput({ agents: [a], identities: [i], owners: [owner(BOB, status)] })),
        status,
      ).toEqual([]);
    }
  });

  it('is silent for a disabled identity, a retired agent and an owner missing from the people list', () => {
    const disabled = identity({ nativeId: 'k1', ownerRef: BOB, status: 'disabled' });
    const revoked = identity({ nativeId: 'k2', ownerRef: BOB, status: 'revoked' });
    const retired = agent({ name: 'old', ownerRef: BOB, status: 'retired' });
    const stranger = identity({ nativeId: 'k3', ownerRef: 'nobody@acme.test' });
    const f = runRule(
      ownerDeparted,
      postureInput({
        agents: [retired],
        identities: [disabled, revoked, stranger],
        owners: [owner(BOB, 'departed', { departedAt: daysAgo(10) })],
      }),
    );
    expect(f).toEqual([]);
  });
});
