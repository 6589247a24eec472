import { describe, expect, it } from 'vitest';
import { agent, grant, identity, link, postureInput, radius } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { agentNoApproval } from './agent-no-approval.js';

const ID = 'agent-no-approval';

function role(name: string, status: 'active' | 'revoked' = 'active') {
  return identity({ nativeId: `arn:aws:iam::1:role/${name}`, kind: 'cloud-role', status });
}

describe('agent-no-approval', () => {
  it('flags an agent that can write without approval (medium) and one that administers (high)', () => {
    const writer = agent({ name: 'writer' });
    const admin = agent({ name: 'admin' });
    const w = role('w');
    const r = role('r');
    const f = runRule(
      agentNoApproval,
      postureInput({
        agents: [writer, admin],
        identities: [w, r],
        links: [link(writer, w), link(admin, r)],
        grants: [
          grant(w, { actions: ['s3:PutObject'], level: 'write' }),
          grant(r, { actions: ['*'], level: 'admin' }),
        ],
      }),
    );
    expectFinding(findingOn(f, 'writer'), {
      ruleId: ID,
      subject: 'writer',
      subjectType: 'agent',
      severity: 'medium',
      owaspNhi: ['NHI5'],
      message: ['Agent writer can write but none of its actions wait for human approval.'],
      evidence: { admin: false, write: true, systems: ['aws'], resourcesReachable: null },
    });
    expectFinding(findingOn(f, 'admin'), {
      ruleId: ID,
      subject: 'admin',
      severity: 'high',
      owaspNhi: ['NHI5'],
      message: ['Agent admin administers but none of its actions wait for human approval.'],
      evidence: { admin: true, write: true },
    });
  });

  it('flags a read-only agent that crosses two systems, and one the graph says can write', () => {
    const crosser = agent({ name: 'crosser' });
    const graphWriter = agent({ name: 'graph-writer' });
    const r = role('reader');
    const gh = identity({
      nativeId: 'github:acme/app-installation/1',
      provider: 'github',
      kind: 'oauth-app',
    });
    const f = runRule(
      agentNoApproval,
      postureInput({
        agents: [crosser, graphWriter],
        identities: [r, gh],
        links: [link(crosser, r), link(crosser, gh)],
        grants: [grant(r, { actions: ['s3:GetObject'], level: 'read' })],
        blastRadius: new Map([
          [graphWriter.id, radius({ write: 3, admin: 0, systems: ['kubernetes'], resources: 12 })],
        ]),
      }),
    );
    expectFinding(findingOn(f, 'crosser'), {
      ruleId: ID,
      subject: 'crosser',
      severity: 'medium',
      owaspNhi: ['NHI5'],
      message: ['Agent crosser crosses 2 systems but none of its actions wait for human approval.'],
      evidence: { admin: false, write: false, systems: ['aws', 'github'] },
    });
    expect(findingOn(f, 'graph-writer').evidence).toMatchObject({ write: true, resourcesReachable: 12 });
  });

  it('is silent for the same administrator agent once it requires approval', () => {
    const gated = agent({ name: 'gated', approvalRequired: true });
    const r = role('r');
    expect(
      runRule(
        agentNoApproval,
        postureInput({
          agents: [gated],
          identities: [r],
          links: [link(gated, r)],
          grants: [grant(r, { actions: ['*'], level: 'admin' })],
        }),
      ),
    ).toEqual([]);
  });

  it('is silent for a read-only single-system agent, a retired writer, and write only through revoked or denied grants', () => {
    const reader = agent({ name: 'reader' });
    const retired = agent({ name: 'retired', status: 'retired' });
    const revokedOnly = agent({ name: 'revoked-only' });
    const denied = agent({ name: 'denied' });
    const r = role('r');
    const w = role('w');
    const dead = role('dead', 'revoked');
    const d = role('d');
    const f = runRule(
      agentNoApproval,
      postureInput({
        agents: [reader, retired, revokedOnly, denied],
        identities: [r, w, dead, d],
        links: [link(reader, r), link(retired, w), link(revokedOnly, dead), link(denied, d)],
        grants: [
          grant(r, { actions: ['s3:GetObject'], level: 'read' }),
          grant(w, { actions: ['s3:PutObject'], level: 'write' }),
          grant(dead, { actions: ['*'], level: 'admin' }),
          grant(d, { effect: 'deny', actions: ['s3:PutObject'], level: 'write' }),
        ],
      }),
    );
    expect(f).toEqual([]);
  });
});
