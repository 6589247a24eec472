import { describe, expect, it } from 'vitest';
import { recordId } from '../../model/index.js';
import { agent, edge, owner, postureInput, radius } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { confusedDeputy } from './confused-deputy.js';

const ID = 'confused-deputy';

describe('confused-deputy', () => {
  it('flags a group that gains write access through the agent (from blast radii)', () => {
    const a = agent({ name: 'helpdesk', invokers: [{ kind: 'group', ref: 'all-staff' }] });
    const f = runRule(
      confusedDeputy,
      postureInput({ agents: [a], blastRadius: new Map([[a.id, radius({ write: 4, admin: 0 })]]) }),
    );
    expectFinding(findingOn(f, 'helpdesk'), {
      ruleId: ID,
      subject: 'helpdesk',
      subjectType: 'agent',
      severity: 'high',
      owaspNhi: ['NHI5'],
      message: ['1 invoker of helpdesk (all-staff) gain write or admin access they do not hold themselves.'],
      evidence: { invokers: [{ kind: 'group', ref: 'all-staff', gains: 4 }], agentWrite: 4, agentAdmin: 0 },
    });
  });

  it('is critical when the graph finds a public invoker gaining administrator access', () => {
    const a = agent({ name: 'public-bot', invokers: [{ kind: 'public', ref: 'public' }] });
    const f = runRule(
      confusedDeputy,
      postureInput({
        agents: [a],
        deputies: new Map([[a.id, [{ kind: 'public', ref: 'public', gains: 3, admin: 1 }]]]),
      }),
    );
    expectFinding(findingOn(f, 'public-bot'), {
      ruleId: ID,
      subject: 'public-bot',
      severity: 'critical',
      owaspNhi: ['NHI5'],
      message: [
        '1 invoker of public-bot (public) gain access they do not hold themselves, including administrator access.',
      ],
      evidence: { source: 'access graph', invokers: [{ kind: 'public', ref: 'public', gains: 3, admin: 1 }] },
    });
  });

  it('adds people who may invoke the agent through can-invoke edges of the graph', () => {
    const ana = owner('ana@acme.test');
    const a = agent({ name: 'ops' });
    const f = runRule(
      confusedDeputy,
      postureInput({
        agents: [a],
        owners: [ana],
        edges: [edge('can-invoke', ana.id, a.id)],
        blastRadius: new Map([[a.id, radius({ write: 2, admin: 1 })]]),
      }),
    );
    expectFinding(findingOn(f, 'ops'), {
      ruleId: ID,
      subject: 'ops',
      severity: 'critical',
      owaspNhi: ['NHI5'],
      evidence: { invokers: [{ kind: 'person', ref: 'ana@acme.test', gains: 3 }] },
    });
  });

  it('is silent when the invoker already holds the same access on their own', () => {
    const a = agent({ name: 'ops', invokers: [{ kind: 'person', ref: 'ana@acme.test' }] });
    const f = runRule(
      confusedDeputy,
      postureInput({
        agents: [a],
        blastRadius: new Map([
          [a.id, radius({ write: 4, admin: 1 })],
          [recordId.owner('ana@acme.test'), radius({ write: 4, admin: 1 })],
        ]),
      }),
    );
    expect(f).toEqual([]);
  });

  it('is silent when the agent only reads, when only agents invoke it, or when it is retired', () => {
    const reader = agent({ name: 'reader', invokers: [{ kind: 'person', ref: 'ana@acme.test' }] });
    const chained = agent({ name: 'chained', invokers: [{ kind: 'agent', ref: 'orchestrator' }] });
    const retired = agent({
      name: 'retired',
      status: 'retired',
      invokers: [{ kind: 'group', ref: 'all-staff' }],
    });
    const f = runRule(
      confusedDeputy,
      postureInput({
        agents: [reader, chained, retired],
        blastRadius: new Map([
          [reader.id, radius({ write: 0, admin: 0, sensitive: 0 })],
          [chained.id, radius({ write: 5 })],
          [retired.id, radius({ write: 5 })],
        ]),
      }),
    );
    expect(f).toEqual([]);
  });

  it('trusts the graph when it knows the invokers gain nothing, even if the blast radius is large', () => {
    const none = agent({ name: 'no-invokers', invokers: [{ kind: 'group', ref: 'all-staff' }] });
    expect(
      runRule(
        confusedDeputy,
        postureInput({
          agents: [none],
          deputies: new Map([[none.id, []]]),
          blastRadius: new Map([[none.id, radius({ write: 5 })]]),
        }),
      ),
    ).toEqual([]);
    const a = agent({ name: 'scoped', invokers: [{ kind: 'group', ref: 'admins' }] });
    const f = runRule(
      confusedDeputy,
      postureInput({
        agents: [a],
        deputies: new Map([[a.id, [{ kind: 'group', ref: 'admins', gains: 0, admin: 0 }]]]),
        blastRadius: new Map([[a.id, radius({ write: 5, admin: 2 })]]),
      }),
    );
    expect(f).toEqual([]);
  });
});
