/**
 * has-permission levels per resource: the verb table, levels from real policy shapes (scoped
 * ARNs, NotAction, Deny, conditions), the per-account service scope node and its expansion at
 * query time.
 */
import { describe, expect, it } from 'vitest';
import { recordId, type Resource } from '../../model/index.js';
import { analyseAgent } from '../agents.js';
import { buildGraphFromSnapshot } from '../graph-from-snapshot.js';
import { emptySnapshot } from '../snapshot.js';
import { blastRadius } from '../traverse.js';
import { actionLevel } from './access-levels.js';
import { analyzeAws, type AwsEdge } from './analyze.js';
import { parseAwsEnvironment } from './parse-environment.js';
import { expandServiceScopes, scopedBlastRadius } from './scope-expansion.js';
import { ACCT, AuthBuilder, allow, deny, doc, roleArn, userArn } from './test-utils/auth-builder.js';

const A = 'arn:aws:s3:::acme-app-data';
const B = 'arn:aws:s3:::acme-payroll';
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:prod/db-AbCdEf`;
const listBuckets = {
  Buckets: [
    { Name: 'acme-app-data', CreationDate: '2024-01-01T00:00:00+00:00' },
    { Name: 'acme-payroll', CreationDate: '2024-01-01T00:00:00+00:00' },
  ],
  Owner: { DisplayName: 'acme', ID: 'c'.repeat(64) },
};
const listSecrets = { SecretList: [{ ARN: SECRET, Name: 'prod/db' }] };
const S3_SCOPE = `aws:${ACCT}:s3:*`;

const perms = (edges: AwsEdge[], from: string) =>
  Object.fromEntries(
    edges
      .filter((e) => e.kind === 'has-permission' && e.from === from)
      .map((e) => [e.to, `${e.level}${e.conditional ? '?' : ''}`]),
  );

function analyse(b: AuthBuilder, ...more: [unknown, string][]) {
  const env = parseAwsEnvironment(
    [b.build(), listBuckets, listSecrets, ...more.map(([j]) => j)],
    ['auth.json', 'buckets.json', 'secrets.json', ...more.map(([, l]) => l)],
  );
  return { env, an: analyzeAws(env) };
}

describe('access levels', () => {
  it('verb table: list, read, write, admin (permissions management)', () => {
    const cases: [string, string][] = [
      ['s3:ListBucket', 'list'],
      ['s3:GetObject', 'read'],
      ['s3:GetBucketPolicy', 'read'],
      ['s3:GetBucketAcl', 'read'],
      ['s3:PutObject', 'write'],
      ['s3:DeleteObject', 'write'],
      ['s3:PutBucketPolicy', 'admin'],
      ['s3:PutObjectAcl', 'admin'],
      ['s3:DeleteBucketPolicy', 'admin'],
      ['kms:Decrypt', 'read'],
      ['kms:GenerateDataKey', 'write'],
      ['kms:CreateGrant', 'admin'],
      ['lambda:InvokeFunction', 'write'],
      ['lambda:AddPermission', 'admin'],
      ['secretsmanager:GetSecretValue', 'read'],
      ['secretsmanager:PutResourcePolicy', 'admin'],
      ['sqs:ReceiveMessage', 'read'],
      ['dynamodb:Query', 'read'],
      ['s3:*', 'admin'],
    ];
    for (const [a, l] of cases) expect([a, actionLevel(a)]).toEqual([a, l]);
  });
});

describe('has-permission edges with levels', () => {
  it('scoped ARNs give explicit edges with their level; a near-miss ARN gives none', () => {
    const b = new AuthBuilder()
      .user('reader', { inline: [doc(allow(['s3:GetObject', 's3:ListBucket'], [A, `${A}/*`]))] })
      .user('lister', { inline: [doc(allow('s3:ListBucket', A))] })
      .user('writer', { inline: [doc(allow('s3:PutObject', `${A}/uploads/*`))] })
      .user('near-miss', { inline: [doc(allow('s3:GetObject', 'arn:aws:s3:::acme-app-data-old/*'))] })
      .role('db', {}, { inline: [doc(allow('secretsmanager:GetSecretValue', SECRET))] });
    const { an } = analyse(b);
    expect(perms(an.edges, userArn('reader'))).toEqual({ [A]: 'read' });
    expect(perms(an.edges, userArn('lister'))).toEqual({ [A]: 'list' });
    expect(perms(an.edges, userArn('writer'))).toEqual({ [A]: 'write' });
    expect(perms(an.edges, userArn('near-miss'))).toEqual({});
    const db = an.edges.find((e) => e.from === roleArn('db') && e.to === SECRET)!;
    expect(db).toMatchObject({ level: 'read', sensitivity: 'high', conditional: false });
  });

  it('a grant on every resource is one edge to the account scope node; NotAction lowers the level', () => {
    const b = new AuthBuilder()
      .user('s3-admin', { inline: [doc(allow('s3:*'))] })
      .user('no-writes', {
        inline: [doc(allow([], '*', { Action: undefined, NotAction: ['s3:Put*', 's3:Delete*', 'iam:*'] }))],
      })
      .user('mfa-reader', {
        inline: [
          doc(allow('s3:GetObject', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })),
        ],
      });
    const { an } = analyse(b);
    expect(perms(an.edges, userArn('s3-admin'))).toEqual({ [S3_SCOPE]: 'admin' });
    expect(perms(an.edges, userArn('no-writes'))[S3_SCOPE]).toBe('read');
    expect(perms(an.edges, userArn('no-writes'))[`aws:${ACCT}:kms:*`]).toBe('admin');
    expect(perms(an.edges, userArn('mfa-reader'))).toEqual({ [S3_SCOPE]: 'read?' });
    expect(an.stats.scopeEdges).toBeGreaterThanOrEqual(3);
  });

  it('principal-dependent conditions are evaluated per principal, never shared between holders', () => {
    const shared = doc(
      allow('s3:*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'data' } } }),
      allow('s3:ListBucket'),
    );
    const b = new AuthBuilder()
      .policy('tagged-s3', [shared])
      .role(
        'data-etl',
        {},
        { attached: ['arn:aws:iam::111122223333:policy/tagged-s3'], tags: { team: 'data' } },
      )
      .role('web', {}, { attached: ['arn:aws:iam::111122223333:policy/tagged-s3'], tags: { team: 'web' } });
    const { an } = analyse(b);
    expect(perms(an.edges, roleArn('data-etl'))).toEqual({ [S3_SCOPE]: 'admin' });
    expect(perms(an.edges, roleArn('web'))).toEqual({ [S3_SCOPE]: 'list' });
  });

  it('a bucket whose owner is unknown (two accounts, no owner given) is reached only by grants naming it', () => {
    const b = new AuthBuilder()
      .user('wild', { inline: [doc(allow('s3:GetObject'))] })
      .user('named', { inline: [doc(allow('s3:GetObject', `${A}/*`))] });
    const other = new AuthBuilder('444455556666').user('elsewhere');
    const env = parseAwsEnvironment(
      [b.build(), other.build(), listBuckets],
      ['a.json', 'b.json', 'buckets.json'],
    );
    const an = analyzeAws(env);
    expect(perms(an.edges, userArn('wild'))).toEqual({ [S3_SCOPE]: 'read' });
    expect(perms(an.edges, userArn('named'))).toEqual({ [A]: 'read?' }); // conditional: owner unknown
  });

  it('a KMS key policy without root delegation: identity kms:* gives no edge to that key', () => {
    const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/k-1`;
    const b = new AuthBuilder().user('ops', { inline: [doc(allow('kms:*'))] }).role('app', {}, {});
    const keyPolicy = {
      Policy: JSON.stringify(
        doc(allow(['kms:Decrypt', 'kms:DescribeKey'], '*', { Principal: { AWS: roleArn('app') } })),
      ),
      PolicyName: 'default',
    };
    const { an } = analyse(
      b,
      [{ Keys: [{ KeyId: 'k-1', KeyArn: KEY }] }, 'keys.json'],
      [keyPolicy, 'kms-key-policy-k-1.json'],
    );
    expect(perms(an.edges, userArn('ops'))).toEqual({ [`aws:${ACCT}:kms:*`]: 'admin' });
    expect(perms(an.edges, roleArn('app'))).toEqual({ [KEY]: 'read' });
    expect(an.edges).toContainEqual(
      expect.objectContaining({ kind: 'owns', from: `aws:${ACCT}:kms:*`, to: KEY }),
    );
  });

  it('a scoped identity Deny takes a resource out: no scope edge, explicit edges for the rest', () => {
    const b = new AuthBuilder().user('u', { inline: [doc(allow('s3:*'), deny('s3:*', [B, `${B}/*`]))] });
    const { an } = analyse(b);
    expect(perms(an.edges, userArn('u'))).toEqual({ [A]: 'admin' });
  });

  it('a bucket policy Deny guards its bucket: explicit per principal, left out of the scope expansion', () => {
    const b = new AuthBuilder()
      .user('alice', { inline: [doc(allow('s3:*'))] })
      .user('bob', { inline: [doc(allow('s3:*'))] })
      .role('payroll-app', {}, {});
    const bucketPolicy = {
      Policy: JSON.stringify(
        doc(
          deny('s3:*', [B, `${B}/*`], { Principal: { AWS: userArn('alice') } }),
          allow(['s3:GetObject', 's3:PutObject'], `${B}/*`, { Principal: { AWS: roleArn('payroll-app') } }),
        ),
      ),
    };
    const { an } = analyse(b, [bucketPolicy, 'exports/s3-bucket-policy-acme-payroll.json']);
    expect(perms(an.edges, userArn('alice'))).toEqual({ [S3_SCOPE]: 'admin' });
    expect(perms(an.edges, userArn('bob'))).toEqual({ [S3_SCOPE]: 'admin', [B]: 'admin' });
    // Same account: the bucket policy alone grants the role (no identity policy at all).
    expect(perms(an.edges, roleArn('payroll-app'))).toEqual({ [B]: 'write' });
    expect(an.edges).toContainEqual(expect.objectContaining({ kind: 'owns', from: S3_SCOPE, to: B }));

    // Query time: alice's blast radius expands the scope to A only; bob's reaches both.
    const s = emptySnapshot();
    const res = (arn: string, sensitivity: Resource['sensitivity']): Resource => ({
      id: recordId.resource('aws', arn),
      provider: 'aws',
      nativeId: arn,
      type: 'aws-s3-bucket',
      account: ACCT,
      sensitivity,
    });
    s.resources.push(res(A, 'medium'), res(B, 'critical'));
    const { graph } = buildGraphFromSnapshot(s, { aws: [an] });
    const reach = (arn: string) => {
      const node = graph.find(recordId.identity('aws', arn));
      const br = expandServiceScopes(graph, blastRadius(graph, node));
      return Object.fromEntries(
        br.resources.filter((r) => r.nativeId.startsWith('arn:aws:s3')).map((r) => [r.nativeId, r.level]),
      );
    };
    expect(reach(userArn('alice'))).toEqual({ [A]: 'admin' });
    expect(reach(userArn('bob'))).toEqual({ [A]: 'admin', [B]: 'admin' });
    const alice = expandServiceScopes(
      graph,
      blastRadius(graph, graph.find(recordId.identity('aws', userArn('alice')))),
    );
    const a = alice.resources.find((r) => r.nativeId === A)!;
    expect(a.path).toEqual([userArn('alice'), S3_SCOPE, A]);
    expect(a.sensitivity).toBe('medium');
    expect(alice.summary.byLevel.admin).toBeGreaterThanOrEqual(2); // scope node + A

    // With one resource materialised, bob's critical bucket ranks before the scope node: the scope
    // is still expanded, so the counts do not depend on the limit.
    const bob = graph.find(recordId.identity('aws', userArn('bob')));
    const full = scopedBlastRadius(graph, bob);
    const one = scopedBlastRadius(graph, bob, { limit: 1 });
    expect(one.summary.resources).toBe(full.summary.resources);
    expect(one.summary.byLevel).toEqual(full.summary.byLevel);
    expect(one.summary.truncated).toBe(true);
    // Without keeping the scope node, the limit would hide it and A would not be counted.
    const hidden = expandServiceScopes(graph, blastRadius(graph, bob, { limit: 1 }), 1);
    expect(hidden.summary.resources).toBeLessThan(full.summary.resources);
  });

  it('analyseAgent expands scopes for the agent and its invokers', () => {
    const b = new AuthBuilder().role('bot', {}, { inline: [doc(allow(['s3:GetObject', 's3:ListBucket']))] });
    const { an } = analyse(b);
    const s = emptySnapshot();
    s.resources.push({
      id: recordId.resource('aws', A),
      provider: 'aws',
      nativeId: A,
      type: 'aws-s3-bucket',
      account: ACCT,
      sensitivity: 'high',
    });
    s.agents.push({ id: recordId.agent('support-bot'), name: 'support-bot', invokers: [] } as never);
    s.links.push({
      id: 'l1',
      agentId: recordId.agent('support-bot'),
      identityId: recordId.identity('aws', roleArn('bot')),
      source: 'declared',
      evidence: 'test',
      confidence: 1,
    } as never);
    const { graph } = buildGraphFromSnapshot(s, { aws: [an] });
    const r = analyseAgent(graph, graph.find(recordId.agent('support-bot')));
    const hit = r.blastRadius.resources.find((x) => x.nativeId === A);
    expect(hit).toMatchObject({ level: 'read', sensitivity: 'high' });
  });
});
