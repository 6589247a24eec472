import { describe, expect, it } from 'vitest';
import { agent, identity, link, postureInput } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { noOwner } from './no-owner.js';

const KEY = 'test-access-key-01';

function ownerless(name: string) {
  const a = agent({ name });
  delete a.ownerRef;
  return a;
}

describe('no-owner', () => {
  it('flags an agent without owner and the identity it uses that nobody owns', () => {
    const a = ownerless('bot');
    const i = identity({ nativeId: KEY });
    const f = runRule(noOwner, postureInput({ agents: [a], identities: [i], links: [link(a, i)] }));
    expect(f).toHaveLength(2);
    expectFinding(findingOn(f, 'bot'), {
      ruleId: 'no-owner',
      subject: 'bot',
      subjectType: 'agent',
      severity: 'medium',
      owaspNhi: ['NHI1'],
      message: ['Agent bot has no named owner.'],
      evidence: { declared: true },
    });
    expectFinding(findingOn(f, KEY), {
      ruleId: 'no-owner',
      subject: KEY,
      subjectType: 'identity',
      severity: 'medium',
      owaspNhi: ['NHI1'],
      message: [`${KEY} has no owner, and no agent using it names one.`],
      evidence: { provider: 'aws', kind: 'access-key' },
      agents: ['bot'],
    });
  });

  it('flags an undeclared (discovered) agent and says so in the evidence', () => {
    const a = ownerless('found-by-tag');
    a.declared = false;
    const f = runRule(noOwner, postureInput({ agents: [a] }));
    expect(findingOn(f, 'found-by-tag').evidence).toEqual({ declared: false });
  });

  it('is silent when the agent names an owner, even though its identity names none', () => {
    const a = agent({ name: 'bot', ownerRef: 'ana@acme.test' });
    const i = identity({ nativeId: KEY });
    expect(runRule(noOwner, postureInput({ agents: [a], identities: [i], links: [link(a, i)] }))).toEqual([]);
  });

  it('is silent for an identity owned itself, or used by at least one owned agent', () => {
    const orphan = ownerless('orphan');
    const owned = agent({ name: 'owned', ownerRef: 'ana@acme.test' });
    const own = identity({ nativeId: 'own-owner', ownerRef: 'li@acme.test' });
    const sharedWithOwned = identity({ nativeId: 'shared' });
    const f = runRule(
      noOwner,
      postureInput({
        agents: [orphan, owned],
        identities: [own, sharedWithOwned],
        links: [link(orphan, own), link(orphan, sharedWithOwned), link(owned, sharedWithOwned)],
      }),
    );
    // Only the ownerless agent itself: both identities have someone to ask.
    expect(f.map((x) => x.subject)).toEqual(['orphan']);
  });

  it('is silent for a retired agent, a revoked identity and an unlinked identity (shadow instead)', () => {
    const retired = ownerless('retired');
    retired.status = 'retired';
    const revoked = identity({ nativeId: 'revoked', status: 'revoked' });
    const unlinked = identity({ nativeId: 'unlinked' });
    const f = runRule(
      noOwner,
      postureInput({ agents: [retired], identities: [revoked, unlinked], links: [link(retired, revoked)] }),
    );
    expect(f).toEqual([]);
  });
});
