import { describe, expect, it } from 'vitest';
import { applyAcceptances } from './acceptance.js';
import { scoreControls } from './controls.js';
import { maturityOf } from './maturity.js';
import { diffFindings } from './diff.js';
import { evaluatePosture } from './evaluate.js';
import { leastPrivilege, minimalAwsPolicy } from './least-privilege.js';
import { buildRoadmap } from './roadmap.js';
import {
  agent,
  daysAgo,
  grant,
  identity,
  link,
  NOW,
  owner,
  postureInput,
  radius,
  usage,
} from './test-utils/posture-fixtures.js';

function sample() {
  const a = agent({ name: 'ops', ownerRef: 'bob@acme.test' });
  const user = identity({
    nativeId: 'arn:aws:iam::111122223333:user/ops-bot',
    kind: 'cloud-user',
    ownerRef: 'bob@acme.test',
  });
  const key = identity({
    nativeId: 'test-access-key-09',
    createdAt: daysAgo(400),
    attributes: { parent: user.nativeId },
  });
  const quiet = identity({
    nativeId: 'test-access-key-10',
    createdAt: daysAgo(400),
    lastUsedAt: daysAgo(200),
    ownerRef: 'bob@acme.test',
  });
  return postureInput({
    agents: [a],
    identities: [user, key, quiet],
    owners: [owner('bob@acme.test', 'departed')],
    links: [link(a, user), link(a, key)],
    grants: [grant(user, { actions: ['s3:GetObject', 'iam:*'], resources: ['*'], level: 'admin' })],
    usage: new Map([
      [
        user.id,
        usage({
          's3.amazonaws.com:GetObject': ['arn:aws:s3:::reports/q1.csv'],
          'sts:GetCallerIdentity': ['*'],
        }),
      ],
    ]),
    blastRadius: new Map([
      [a.id, radius({ resources: 40, admin: 2, score: 0.9 })],
      [quiet.id, radius({ resources: 1, write: 0, admin: 0, sensitive: 0, score: 0.05 })],
    ]),
  });
}

describe('evaluatePosture', () => {
  it('scores and ranks findings: the agent-reachable admin key above the quiet one', () => {
    const fs = evaluatePosture(sample());
    const key = fs.find((f) => f.ruleId === 'not-rotated' && f.subject === 'test-access-key-09')!;
    const quiet = fs.find((f) => f.ruleId === 'not-rotated' && f.subject === 'test-access-key-10')!;
    expect(key.score).toBeGreaterThan(quiet.score);
    expect(fs.map((f) => f.score)).toEqual([...fs.map((f) => f.score)].sort((x, y) => y - x));
    expect(key.owners).toEqual(['bob@acme.test']);
    expect(key.frameworks.nistCsf.length).toBeGreaterThan(0);
    // Stable ids: the same input gives the same ids.
    expect(evaluatePosture(sample()).map((f) => f.id)).toEqual(fs.map((f) => f.id));
  });
});

describe('acceptance', () => {
  it('accepts by pattern until the date, then the finding is open again', () => {
    const accept = [
      {
        finding: 'not-rotated:test-access-key-*',
        reason: 'vendor migration',
        by: 'ciso@acme.test',
        until: '2026-06-30',
      },
    ];
    const now = applyAcceptances(evaluatePosture(sample()), accept, NOW).filter(
      (f) => f.ruleId === 'not-rotated',
    );
    expect(now.every((f) => f.status === 'accepted' && f.acceptance?.expired === false)).toBe(true);
    const later = applyAcceptances(evaluatePosture(sample()), accept, '2026-07-01T00:00:00.000Z').filter(
      (f) => f.ruleId === 'not-rotated',
    );
    expect(later.every((f) => f.status === 'open' && f.acceptance?.expired === true)).toBe(true);
  });
  it('accepts by exact id and leaves others alone', () => {
    const fs = evaluatePosture(sample());
    const target = fs[0]!;
    applyAcceptances(fs, [{ finding: target.id, reason: 'r', by: 'me', until: '2027-01-01' }], NOW);
    expect(fs.filter((f) => f.status === 'accepted').map((f) => f.id)).toEqual([target.id]);
  });
});

describe('diffFindings', () => {
  it('reports new, still open (keeping first seen), reopened and fixed', () => {
    const [a, b, c] = evaluatePosture(sample());
    const gone = { ...a!, id: 'fnd_gone', subject: 'gone' };
    const prev = [
      { id: b!.id, status: 'open' as const, firstSeen: '2026-01-01T00:00:00.000Z', finding: b! },
      { id: c!.id, status: 'fixed' as const, firstSeen: '2025-12-01T00:00:00.000Z', finding: c! },
      { id: gone.id, status: 'open' as const, firstSeen: '2026-02-01T00:00:00.000Z', finding: gone },
    ];
    const current = [a!, b!, c!];
    const d = diffFindings(current, prev, NOW);
    expect([d.new, d.stillOpen, d.reopened, d.fixed.length]).toEqual([1, 1, 1, 1]);
    expect(b!.firstSeen).toBe('2026-01-01T00:00:00.000Z');
    expect(d.fixed[0]!.status).toBe('fixed');
  });
});

describe('least privilege', () => {
  it('generates a policy of exactly the used actions, grouped by service, with the diff', () => {
    const [lp] = leastPrivilege(sample());
    expect(lp!.unused).toEqual(['iam:*']);
    expect(lp!.policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'UsedS3', Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::reports/q1.csv' },
        { Sid: 'UsedSts', Effect: 'Allow', Action: ['sts:GetCallerIdentity'], Resource: '*' },
      ],
    });
    expect(lp!.diff.remove).toEqual(['iam:*']);
    expect(lp!.diff.add).toEqual(['sts:GetCallerIdentity']);
  });
  it('uses a wildcard where a use recorded no resource', () => {
    const p = minimalAwsPolicy(usage({ 'dynamodb:GetItem': ['arn:aws:dynamodb:eu-west-1:1:table/t', '*'] }));
    expect((p.Statement as { Resource: unknown }[])[0]!.Resource).toBe('*');
  });
  it('builds a Kubernetes Role from used verbs and resources', () => {
    const sa = identity({
      nativeId: 'system:serviceaccount:ml:trainer',
      provider: 'kubernetes',
      kind: 'service-account',
    });
    const input = postureInput({
      identities: [sa],
      grants: [grant(sa, { actions: ['*'], resources: ['ml/core/pods'], level: 'admin' })],
      usage: new Map([[sa.id, usage({ get: ['pods'], list: ['pods'], create: ['apps/deployments'] })]]),
    });
    const [lp] = leastPrivilege(input);
    expect(lp!.policyFormat).toBe('kubernetes-role');
    expect(lp!.policy).toMatchObject({
      kind: 'Role',
      metadata: { name: 'trainer-least-privilege', namespace: 'ml' },
    });
  });
});

describe('controls, maturity and roadmap', () => {
  it('scores twelve controls and says what the next level needs', () => {
    const input = sample();
    const fs = evaluatePosture(input);
    const controls = scoreControls(input, fs, { scanned: false });
    expect(controls).toHaveLength(12);
    expect(controls.find((c) => c.id === 'C07-no-leaks')!.status).toBe('unknown');
    const m = maturityOf(controls);
    expect(m.level).toBeLessThan(3);
    expect(m.missingForNext.length).toBeGreaterThan(0);
    const perfect = controls.map((c) => ({ ...c, level: 3 }));
    expect(maturityOf(perfect)).toMatchObject({ level: 3, name: 'Optimised', missingForNext: [] });
  });
  it('plans the week, month and quarter with owners and expected blast radius drop', () => {
    const input = sample();
    const fs = evaluatePosture(input);
    const plan = buildRoadmap(input, fs, scoreControls(input, fs, { scanned: true }));
    expect(new Set(plan.map((p) => p.horizon))).toEqual(new Set(['this-week', 'this-month', 'this-quarter']));
    const cut = plan.find((p) => p.ruleIds.includes('unused-permissions'));
    expect(cut?.owners).toContain('bob@acme.test');
  });
});
