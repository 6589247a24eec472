/**
 * The AWS analysis's knowledge of resources (sensitivity from listings and service defaults,
 * exposure from resource policies) reaches the graph's resource nodes, so blast radius sees it.
 * Inputs are AWS CLI outputs: `list-secrets`, `get-bucket-policy` (policy as JSON text).
 */
import { describe, expect, it } from 'vitest';
import { recordId, type Resource } from '../model/index.js';
import { analyzeAws, parseAwsEnvironment } from './aws/index.js';
import { ACCT, AuthBuilder, allow, doc, userArn } from './aws/test-utils/auth-builder.js';
import { buildGraphFromSnapshot } from './graph-from-snapshot.js';
import { emptySnapshot } from './snapshot.js';
import { blastRadius } from './traverse.js';

const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:payroll/db-AbCdEf`;
const BUCKET = 'arn:aws:s3:::acme-public-reports';
const VPC_BUCKET = 'arn:aws:s3:::acme-vpc-only';
const READER = userArn('reader');

function build(stored: Resource[] = []) {
  const auth = new AuthBuilder().user('reader', {
    inline: [doc(allow('secretsmanager:GetSecretValue', SECRET))],
  });
  const env = parseAwsEnvironment(
    [
      auth.build(),
      { SecretList: [{ ARN: SECRET, Name: 'payroll/db' }] },
      {
        Policy: JSON.stringify(
          doc(allow(['s3:GetObject', 's3:PutObject'], `${BUCKET}/*`, { Principal: '*' })),
        ),
      },
      {
        Policy: JSON.stringify(
          doc(
            allow('s3:GetObject', `${VPC_BUCKET}/*`, {
              Principal: '*',
              Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
            }),
          ),
        ),
        ExpectedBucketOwner: ACCT,
      },
    ],
    [
      'auth.json',
      'list-secrets.json',
      's3-bucket-policy-acme-public-reports.json',
      's3-bucket-policy-acme-vpc-only.json',
    ],
  );
  expect(env.issues).toEqual([]);
  const an = analyzeAws(env);
  const s = emptySnapshot();
  s.resources.push(...stored);
  return buildGraphFromSnapshot(s, { aws: [an] }).graph;
}

const resourceNode = (g: ReturnType<typeof build>, arn: string) => g.find(recordId.resource('aws', arn));

/** The out-edges of a node, as [target nativeId, kind, level, confidence]. */
function outEdges(
  g: ReturnType<typeof build>,
  from: number,
): Array<[string, string, string | undefined, number]> {
  const out: Array<[string, string, string | undefined, number]> = [];
  for (let p = 0; p < g.edgeCount; p++)
    if (g.edgeSource(p) === from)
      out.push([g.nativeId(g.a.targets[p]!), g.edgeKind(p), g.edgeLevel(p), g.edgeConfidence(p)]);
  return out;
}

describe('buildGraphFromSnapshot: AWS resource knowledge on resource nodes', () => {
  it('a listed secret the store does not hold gets its sensitivity, and blast radius counts it', () => {
    const g = build();
    const sec = resourceNode(g, SECRET);
    expect(sec).toBeGreaterThanOrEqual(0);
    expect(g.sensitivity(sec)).toBe('high');
    const br = blastRadius(g, g.find(recordId.identity('aws', READER)));
    expect(br.resources.map((r) => r.nativeId)).toContain(SECRET);
    expect(br.summary.bySensitivity.high).toBeGreaterThanOrEqual(1);
  });

  it('a public bucket policy: an edge from the public node with the level it grants anyone', () => {
    const g = build();
    const pub = g.find('public');
    expect(pub).toBeGreaterThanOrEqual(0);
    const edges = outEdges(g, pub);
    expect(edges).toContainEqual([BUCKET, 'has-permission', 'write', 1]);
    // Only under a condition (a VPC endpoint): the edge is there, with less confidence.
    expect(edges).toContainEqual([VPC_BUCKET, 'has-permission', 'read', 0.5]);
    expect(g.sensitivity(resourceNode(g, BUCKET))).toBe('medium');
  });

  it('a stored resource keeps a higher stored sensitivity; a lower one is raised', () => {
    const stored = (nativeId: string, sensitivity: Resource['sensitivity']): Resource => ({
      id: recordId.resource('aws', nativeId),
      provider: 'aws',
      nativeId,
      type: 'aws-s3-bucket',
      sensitivity,
    });
    const g = build([stored(BUCKET, 'critical'), stored(VPC_BUCKET, 'low')]);
    expect(g.sensitivity(resourceNode(g, BUCKET))).toBe('critical');
    expect(g.sensitivity(resourceNode(g, VPC_BUCKET))).toBe('medium');
  });

  it('principal nodes get no sensitivity from the analysis', () => {
    const g = build();
    expect(g.sensitivity(g.find(recordId.identity('aws', READER)))).toBeUndefined();
  });
});

describe('buildGraphFromSnapshot: AWS paths that cross accounts', () => {
  it('the administrator node at the end of a path is the last principal account, not the caller one', () => {
    const OTHER = '444455556666';
    const FN = `arn:aws:lambda:us-east-1:${ACCT}:function:nightly`;
    const ROLE = `arn:aws:iam::${ACCT}:role/nightly-admin`;
    const outsider = userArn('outsider', OTHER);
    const env = parseAwsEnvironment([
      new AuthBuilder()
        .role(
          'nightly-admin',
          { Version: '2012-10-17', Statement: [] },
          {
            attached: ['arn:aws:iam::aws:policy/AdministratorAccess'],
          },
        )
        .build(),
      new AuthBuilder(OTHER)
        .user('outsider', { inline: [doc(allow('lambda:UpdateFunctionCode', FN))] })
        .build(),
      { Functions: [{ FunctionName: 'nightly', FunctionArn: FN, Role: ROLE }] },
      {
        Policy: JSON.stringify(doc(allow('lambda:UpdateFunctionCode', FN, { Principal: { AWS: outsider } }))),
        RevisionId: 'r1',
      },
    ]);
    const an = analyzeAws(env);
    expect(an.principals.find((r) => r.principal === outsider)?.path).toEqual([outsider, ROLE]);
    const g = buildGraphFromSnapshot(emptySnapshot(), { aws: [an] }).graph;
    const admins = (arn: string) =>
      outEdges(g, g.find(recordId.identity('aws', arn)))
        .filter(([, kind, level]) => kind === 'has-permission' && level === 'admin')
        .map(([to]) => to);
    expect(admins(ROLE)).toContain(`aws:${ACCT}:administrator`);
    expect(admins(ROLE)).not.toContain(`aws:${OTHER}:administrator`);
    const br = blastRadius(g, g.find(recordId.identity('aws', outsider)));
    expect(br.summary.admin).toEqual([`aws:${ACCT}:administrator`]);
  });
});
