import { describe, expect, it } from 'vitest';
import { agent, identity, link, postureInput } from '../test-utils/posture-fixtures.js';
import { expectFinding, runRule } from '../test-utils/rule-harness.js';
import { privilegeEscalation } from './privilege-escalation.js';

const ID = 'privilege-escalation';
const ROLE = 'arn:aws:iam::111122223333:role/agents/deployer';
const ADMIN = 'arn:aws:iam::111122223333:role/admin';

describe('privilege-escalation', () => {
  it('reports the shortest path per principal, with every technique found, on the agents using it', () => {
    const a = agent({ name: 'deployer' });
    const r = identity({ nativeId: ROLE, kind: 'cloud-role' });
    const f = runRule(
      privilegeEscalation,
      postureInput({
        agents: [a],
        identities: [r],
        links: [link(a, r)],
        escalations: [
          {
            identityId: r.id,
            principal: ROLE,
            technique: 'iam:PassRole+lambda',
            hops: 2,
            path: [ROLE, ADMIN],
          },
          { identityId: r.id, principal: ROLE, technique: 'iam:CreatePolicyVersion', hops: 1, path: [ROLE] },
        ],
      }),
    );
    expect(f).toHaveLength(1);
    expectFinding(f[0]!, {
      ruleId: ID,
      subject: ROLE,
      severity: 'critical',
      owaspNhi: ['NHI5'],
      message: [`${ROLE} can escalate to administrator through iam:CreatePolicyVersion in 1 hop (2 paths).`],
      evidence: {
        technique: 'iam:CreatePolicyVersion',
        hops: 1,
        path: [ROLE],
        techniques: ['iam:PassRole+lambda', 'iam:CreatePolicyVersion'],
      },
      agents: ['deployer'],
    });
  });

  it('says "hops" for a longer single path', () => {
    const r = identity({ nativeId: ROLE, kind: 'cloud-role' });
    const f = runRule(
      privilegeEscalation,
      postureInput({
        identities: [r],
        escalations: [
          {
            identityId: r.id,
            principal: ROLE,
            technique: 'sts:AssumeRole',
            hops: 3,
            path: [ROLE, 'x', ADMIN],
          },
        ],
      }),
    );
    expect(f[0]!.message).toBe(`${ROLE} can escalate to administrator through sts:AssumeRole in 3 hops.`);
  });

  it('reports only the principals that have a path', () => {
    const r = identity({ nativeId: ROLE, kind: 'cloud-role' });
    const safe = identity({ nativeId: 'arn:aws:iam::111122223333:role/reader', kind: 'cloud-role' });
    const f = runRule(
      privilegeEscalation,
      postureInput({
        identities: [r, safe],
        escalations: [
          { identityId: r.id, principal: ROLE, technique: 'iam:AttachRolePolicy', hops: 1, path: [ROLE] },
        ],
      }),
    );
    expect(f.map((x) => x.subject)).toEqual([ROLE]);
  });

  it('is silent without escalations, even for an identity with administrator grants', () => {
    const r = identity({ nativeId: ROLE, kind: 'cloud-role' });
    expect(runRule(privilegeEscalation, postureInput({ identities: [r] }))).toEqual([]);
  });
});
