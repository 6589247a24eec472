// Benchmark: full AWS escalation analysis of a generated 100,000-principal
// `aws iam get-account-authorization-details` export (read + JSON.parse + parse + analyse every
// principal), against a bare JSON.parse of the same file measured in the same run.
// Goals (issue 4): under 15 s on the 2-core machine, within 5x JSON.parse.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ACCT = '123456789012';
const PRINCIPALS = Number(process.env.WARDEN_BENCH_AWS_PRINCIPALS ?? 100_000);

// Small deterministic PRNG (mulberry32) so every run analyses the same export.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES = {
  s3: ['GetObject', 'PutObject', 'ListBucket', 'DeleteObject', 'GetBucketPolicy'],
  dynamodb: ['GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem'],
  sqs: ['SendMessage', 'ReceiveMessage', 'DeleteMessage', 'GetQueueUrl'],
  sns: ['Publish', 'Subscribe', 'ListTopics'],
  logs: ['CreateLogGroup', 'CreateLogStream', 'PutLogEvents'],
  ec2: ['DescribeInstances', 'DescribeVpcs', 'DescribeSubnets', 'DescribeSecurityGroups'],
  kms: ['Decrypt', 'Encrypt', 'GenerateDataKey'],
  secretsmanager: ['GetSecretValue', 'DescribeSecret'],
  cloudwatch: ['PutMetricData', 'GetMetricData'],
  xray: ['PutTraceSegments', 'PutTelemetryRecords'],
};
const SVC = Object.keys(SERVICES);

function generate(file) {
  const r = rng(4242);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const stmt = () => {
    const svc = pick(SVC);
    const acts = SERVICES[svc];
    const n = 1 + Math.floor(r() * 3);
    const Action = Array.from({ length: n }, () => `${svc}:${pick(acts)}`);
    if (r() < 0.15) Action.push(`${svc}:List*`);
    const Resource =
      r() < 0.3
        ? '*'
        : `arn:aws:${svc}:us-east-1:${ACCT}:${svc === 's3' ? '' : 'res/'}app-${Math.floor(r() * 500)}-*`;
    const s = { Effect: 'Allow', Action, Resource };
    if (r() < 0.05) s.Condition = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
    if (r() < 0.03) s.Condition = { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } };
    return s;
  };
  const docOf = (k) => ({ Version: '2012-10-17', Statement: Array.from({ length: k }, stmt) });
  const nPolicies = Math.max(50, Math.round(PRINCIPALS * 0.03));
  const nGroups = Math.max(20, Math.round(PRINCIPALS * 0.02));
  const nUsers = Math.round(PRINCIPALS * 0.4);
  const nRoles = PRINCIPALS - nUsers;
  const policies = [];
  for (let i = 0; i < nPolicies; i++) {
    const versions = 1 + Math.floor(r() * 3);
    policies.push({
      PolicyName: `app-policy-${i}`,
      PolicyId: `ANPA${String(i).padStart(17, '0')}`,
      Arn: `arn:aws:iam::${ACCT}:policy/app/app-policy-${i}`,
      Path: '/app/',
      DefaultVersionId: `v${versions}`,
      AttachmentCount: 3,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: '2023-01-01T00:00:00Z',
      UpdateDate: '2024-01-01T00:00:00Z',
      PolicyVersionList: Array.from({ length: versions }, (_, v) => ({
        Document: docOf(2 + Math.floor(r() * 5)),
        VersionId: `v${v + 1}`,
        IsDefaultVersion: v === versions - 1,
        CreateDate: '2023-01-01T00:00:00Z',
      })),
    });
  }
  // Some dangerous customer policies.
  policies.push({
    PolicyName: 'ci-deployer',
    PolicyId: 'ANPACIDEPLOYER000000',
    Arn: `arn:aws:iam::${ACCT}:policy/ci-deployer`,
    Path: '/',
    DefaultVersionId: 'v1',
    AttachmentCount: 1,
    IsAttachable: true,
    PolicyVersionList: [
      {
        Document: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: [
                'iam:PassRole',
                'lambda:CreateFunction',
                'lambda:InvokeFunction',
                'lambda:UpdateFunctionCode',
              ],
              Resource: '*',
            },
          ],
        },
        VersionId: 'v1',
        IsDefaultVersion: true,
      },
    ],
  });
  policies.push({
    PolicyName: 'AdministratorAccess',
    PolicyId: 'ANPAIWMBCKSKIEE64ZLYK',
    Arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    Path: '/',
    DefaultVersionId: 'v1',
    AttachmentCount: 10,
    IsAttachable: true,
    PolicyVersionList: [
      {
        Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
        VersionId: 'v1',
        IsDefaultVersion: true,
      },
    ],
  });
  const managedArns = policies.slice(0, nPolicies).map((p) => p.Arn);
  const groups = [];
  for (let i = 0; i < nGroups; i++) {
    groups.push({
      Path: '/',
      GroupName: `team-${i}`,
      GroupId: `AGPA${String(i).padStart(17, '0')}`,
      Arn: `arn:aws:iam::${ACCT}:group/team-${i}`,
      CreateDate: '2023-01-01T00:00:00Z',
      GroupPolicyList: r() < 0.5 ? [{ PolicyName: 'team-inline', PolicyDocument: docOf(2) }] : [],
      AttachedManagedPolicies: [{ PolicyName: 'x', PolicyArn: pick(managedArns) }],
    });
  }
  groups.push({
    Path: '/',
    GroupName: 'admins',
    GroupId: 'AGPAADMINS0000000000',
    Arn: `arn:aws:iam::${ACCT}:group/admins`,
    GroupPolicyList: [],
    AttachedManagedPolicies: [
      { PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    ],
  });
  const users = [];
  for (let i = 0; i < nUsers; i++) {
    const name = `user-${i}`;
    const inline = [];
    if (r() < 0.3)
      inline.push({
        PolicyName: 'self-service',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['iam:CreateAccessKey', 'iam:ListAccessKeys', 'iam:ChangePassword'],
              Resource: 'arn:aws:iam::*:user/${aws:username}',
            },
          ],
        },
      });
    if (r() < 0.3) inline.push({ PolicyName: 'extra', PolicyDocument: docOf(2) });
    const special = r();
    if (special < 0.002)
      inline.push({
        PolicyName: 'oops',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: `arn:aws:iam::${ACCT}:user/${name}` },
          ],
        },
      });
    else if (special < 0.004)
      inline.push({
        PolicyName: 'oops',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${ACCT}:role/deploy-*` },
          ],
        },
      });
    else if (special < 0.005)
      inline.push({
        PolicyName: 'oops',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'iam:CreateAccessKey',
              Resource: `arn:aws:iam::${ACCT}:user/break-glass`,
            },
          ],
        },
      });
    const attached = Array.from({ length: Math.floor(r() * 3) }, () => ({
      PolicyName: 'x',
      PolicyArn: pick(managedArns),
    }));
    if (special > 0.999)
      attached.push({ PolicyName: 'ci-deployer', PolicyArn: `arn:aws:iam::${ACCT}:policy/ci-deployer` });
    users.push({
      Path: '/',
      UserName: name,
      UserId: `AIDA${String(i).padStart(17, '0')}`,
      Arn: `arn:aws:iam::${ACCT}:user/${name}`,
      CreateDate: '2023-01-01T00:00:00Z',
      UserPolicyList: inline,
      GroupList: Array.from({ length: 1 + Math.floor(r() * 2) }, () => `team-${Math.floor(r() * nGroups)}`),
      AttachedManagedPolicies: attached,
      Tags: r() < 0.2 ? [{ Key: 'team', Value: `t${Math.floor(r() * 50)}` }] : [],
    });
  }
  users.push({
    Path: '/',
    UserName: 'break-glass',
    UserId: 'AIDABREAKGLASS0000000',
    Arn: `arn:aws:iam::${ACCT}:user/break-glass`,
    UserPolicyList: [],
    GroupList: ['admins'],
    AttachedManagedPolicies: [],
    Tags: [],
  });
  const roles = [];
  const services = [
    'lambda.amazonaws.com',
    'ec2.amazonaws.com',
    'ecs-tasks.amazonaws.com',
    'glue.amazonaws.com',
    'states.amazonaws.com',
  ];
  for (let i = 0; i < nRoles; i++) {
    const x = r();
    const name = x < 0.002 ? `deploy-${i}` : `svc-role-${i}`;
    let trustDoc;
    if (x < 0.5)
      trustDoc = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: pick(services) }, Action: 'sts:AssumeRole' }],
      };
    else if (x < 0.8)
      trustDoc = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCT}:root` },
            Action: 'sts:AssumeRole',
            ...(r() < 0.5 ? { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } } : {}),
          },
        ],
      };
    else
      trustDoc = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCT}:role/svc-role-${Math.floor(r() * nRoles)}` },
            Action: 'sts:AssumeRole',
          },
        ],
      };
    const attached = Array.from({ length: 1 + Math.floor(r() * 2) }, () => ({
      PolicyName: 'x',
      PolicyArn: pick(managedArns),
    }));
    if (r() < 0.002)
      attached.push({
        PolicyName: 'AdministratorAccess',
        PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      });
    if (r() < 0.001)
      attached.push({ PolicyName: 'ci-deployer', PolicyArn: `arn:aws:iam::${ACCT}:policy/ci-deployer` });
    const role = {
      Path: '/service-role/',
      RoleName: name,
      RoleId: `AROA${String(i).padStart(17, '0')}`,
      Arn: `arn:aws:iam::${ACCT}:role/service-role/${name}`,
      CreateDate: '2023-01-01T00:00:00Z',
      AssumeRolePolicyDocument: trustDoc,
      InstanceProfileList:
        trustDoc.Statement[0].Principal.Service === 'ec2.amazonaws.com'
          ? [{ InstanceProfileName: name, Arn: `arn:aws:iam::${ACCT}:instance-profile/${name}`, Roles: [] }]
          : [],
      RolePolicyList: r() < 0.5 ? [{ PolicyName: 'inline', PolicyDocument: docOf(3) }] : [],
      AttachedManagedPolicies: attached,
      Tags: [],
      RoleLastUsed: {},
    };
    if (r() < 0.05)
      role.PermissionsBoundary = {
        PermissionsBoundaryType: 'Policy',
        PermissionsBoundaryArn: pick(managedArns),
      };
    roles.push(role);
  }
  writeFileSync(
    file,
    JSON.stringify({
      UserDetailList: users,
      GroupDetailList: groups,
      RoleDetailList: roles,
      Policies: policies,
    }),
  );
}

export default async function ({ dataDir, log }) {
  const file = path.join(dataDir, `aws-auth-details-${PRINCIPALS}.json`);
  if (!existsSync(file)) {
    log(`generating ${PRINCIPALS} principals into ${file}`);
    generate(file);
  }
  const mb = statSync(file).size / 1e6;
  const { parseAwsEnvironment, analyzeAws } = await import('../../dist/graph/aws/index.js');
  // Peer and Warden alternate (best of 3 each), so a busy machine hits both alike.
  let peer = Infinity;
  let best = Infinity;
  let result;
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    JSON.parse(readFileSync(file, 'utf8'));
    peer = Math.min(peer, performance.now() - t);
    globalThis.gc?.();
    t = performance.now();
    const env = parseAwsEnvironment([JSON.parse(readFileSync(file, 'utf8'))]);
    result = analyzeAws(env, { edges: true });
    const ms = performance.now() - t;
    best = Math.min(best, ms);
    log(
      `run ${i + 1}: ${Math.round(ms)} ms, ${result.stats.escalating} escalating, ${result.stats.conditional} conditional, ${result.stats.edges} edges`,
    );
    globalThis.gc?.();
  }
  return {
    title: `AWS escalation analysis of a ${PRINCIPALS.toLocaleString('en-US')}-principal authorization-details export`,
    command: 'node bench/run.mjs graph-aws-escalations',
    rows: [
      {
        metric: 'full analysis (read + parse + analyse all principals)',
        value: best / 1000,
        unit: 's',
        goal: '< 15 s',
        peer: 'JSON.parse of the same file',
        peerValue: peer / 1000,
        note: `${mb.toFixed(0)} MB file`,
      },
      { metric: 'ratio to JSON.parse', value: best / peer, unit: 'x', goal: '<= 5x', note: '' },
      {
        metric: 'principals escalating (justified)',
        value: result.stats.escalating,
        unit: 'principals',
        note: `${result.stats.admins} already admin`,
      },
      {
        metric: 'principals with a conditional path only',
        value: result.stats.conditional,
        unit: 'principals',
        note: '',
      },
      {
        metric: 'edges emitted',
        value: result.stats.edges,
        unit: 'edges',
        note: `${result.stats.classEdges} class edges`,
      },
    ],
  };
}
