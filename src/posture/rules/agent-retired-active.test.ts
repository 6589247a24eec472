import { describe, expect, it } from 'vitest';
import {
  agent,
  daysAgo,
  daysAhead,
  identity,
  link,
  NOW,
  postureInput,
} from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { agentRetiredActive } from './agent-retired-active.js';

const ID = 'agent-retired-identities-active';

describe('agent-retired-identities-active', () => {
  it('flags a retired agent still holding active identities, critical when one was used after its end', () => {
    const a = agent({ name: 'old', status: 'retired', expectedEnd: daysAgo(30) });
    const used = identity({ nativeId: 'k1', lastUsedAt: daysAgo(2) });
    const idle = identity({ nativeId: 'k2', lastUsedAt: daysAgo(45) });
    const f = runRule(
      agentRetiredActive,
      postureInput({ agents: [a], identities: [used, idle], links: [link(a, used), link(a, idle)] }),
    );
    expect(f).toHaveLength(1);
    expectFinding(f[0]!, {
      ruleId: ID,
      subject: 'old',
      subjectType: 'agent',
      severity: 'critical',
      owaspNhi: ['NHI1'],
      message: ['Agent old is retired but 2 of its identities are still active; 1 were used after it ended.'],
      evidence: { status: 'retired', activeIdentities: ['k1', 'k2'], usedAfterEnd: ['k1'] },
    });
  });

  it('is high (not critical) when nothing was used after the end, or the end date is unknown', () => {
    const dated = agent({ name: 'dated', status: 'retired', expectedEnd: daysAgo(30) });
    const undated = agent({ name: 'undated', status: 'retired' });
    const before = identity({ nativeId: 'before', lastUsedAt: daysAgo(31) });
    const recent = identity({ nativeId: 'recent', lastUsedAt: daysAgo(1) });
    const f = runRule(
      agentRetiredActive,
      postureInput({
        agents: [dated, undated],
        identities: [before, recent],
        links: [link(dated, before), link(undated, recent)],
      }),
    );
    expectFinding(findingOn(f, 'dated'), {
      ruleId: ID,
      subject: 'dated',
      severity: 'high',
      owaspNhi: ['NHI1'],
      evidence: { usedAfterEnd: [] },
    });
    expectFinding(findingOn(f, 'undated'), {
      ruleId: ID,
      subject: 'undated',
      severity: 'high',
      owaspNhi: ['NHI1'],
      message: ['Agent undated is retired but 1 of its identities are still active.'],
      evidence: { expectedEnd: null, usedAfterEnd: [] },
    });
  });

  it('flags an active agent one minute past its expected end, not one whose end is exactly now', () => {
    const justPast = agent({
      name: 'just-past',
      expectedEnd: new Date(Date.parse(NOW) - 60_000).toISOString(),
    });
    const endsNow = agent({ name: 'ends-now', expectedEnd: NOW });
    const i = identity({ nativeId: 'k1' });
    const j = identity({ nativeId: 'k2' });
    const f = runRule(
      agentRetiredActive,
      postureInput({
        agents: [justPast, endsNow],
        identities: [i, j],
        links: [link(justPast, i), link(endsNow, j)],
      }),
    );
    expect(f.map((x) => x.subject)).toEqual(['just-past']);
    expectFinding(f[0]!, {
      ruleId: ID,
      subject: 'just-past',
      severity: 'high',
      owaspNhi: ['NHI1'],
      message: [
        'Agent just-past is past its expected end (2026-05-31) but 1 of its identities are still active.',
      ],
      evidence: { status: 'active', activeIdentities: ['k1'] },
    });
  });

  it('is silent for a retired agent whose identities are revoked, disabled or only declared', () => {
    const done = agent({ name: 'done', status: 'retired', expectedEnd: daysAgo(10) });
    const ids = [
      identity({ nativeId: 'revoked', status: 'revoked', lastUsedAt: daysAgo(1) }),
      identity({ nativeId: 'disabled', status: 'disabled' }),
      identity({ nativeId: 'declared', status: 'declared' }),
    ];
    expect(
      runRule(
        agentRetiredActive,
        postureInput({ agents: [done], identities: ids, links: ids.map((i) => link(done, i)) }),
      ),
    ).toEqual([]);
  });

  it('is silent for an active agent before its end and one with no end at all', () => {
    const future = agent({ name: 'future', expectedEnd: daysAhead(30) });
    const open = agent({ name: 'open-ended' });
    const i = identity({ nativeId: 'k1', lastUsedAt: daysAgo(1) });
    expect(
      runRule(
        agentRetiredActive,
        postureInput({ agents: [future, open], identities: [i], links: [link(future, i), link(open, i)] }),
      ),
    ).toEqual([]);
  });
});
