// A 100,000-principal `aws iam get-account-authorization-details` file (CLI shape, 4-space indent
// as the CLI prints it): connector read alone and end to end into SQLite through importPaths,
// against a bare JSON.parse of the same file in the same run. Goal: imported in under 20 s.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

// Smaller runs for profiling: AWS_BENCH_PRINCIPALS=10000 node bench/run.mjs aws-authz-import --no-record
const TOTAL = Number(process.env.AWS_BENCH_PRINCIPALS ?? 100_000);
const USERS = Math.round(TOTAL * 0.8);
const ROLES = TOTAL - USERS;
const POLICIES = 300;
const GROUPS = 200;

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
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const id = (r, p) => p.join('') + Array.from({ length: 16 }, () => B32[Math.floor(r() * 32)]).join('');

function generate(file) {
  if (existsSync(file)) return;
  const r = rng(100);
  const acct = '123456789012';
  const arn = (t) => `arn:aws:iam::${acct}:${t}`;
  const pick = (a) => a[Math.floor(r() * a.length)];
  const actions = [
    's3:GetObject',
    's3:PutObject',
    's3:ListBucket',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'sqs:SendMessage',
    'lambda:InvokeFunction',
    'secretsmanager:GetSecretValue',
    'kms:Decrypt',
    'ec2:DescribeInstances',
    'logs:PutLogEvents',
    'iam:PassRole',
  ];
  const stmt = () => ({
    Effect: 'Allow',
    Action: r() < 0.3 ? pick(actions) : [pick(actions), pick(actions)],
    Resource: r() < 0.5 ? '*' : [`arn:aws:s3:::bucket-${Math.floor(r() * 500)}/*`],
  });
  const doc = (n) => ({ Version: '2012-10-17', Statement: Array.from({ length: n }, stmt) });
  const date = '2024-01-01T00:00:00+00:00';
  const policies = [];
  for (let i = 0; i < POLICIES; i++) {
    policies.push({
      PolicyName: `app-policy-${i}`,
      PolicyId: id(r, ['AN', 'PA']),
      Arn: arn(`policy/apps/app-policy-${i}`),
      Path: '/apps/',
      DefaultVersionId: 'v2',
      AttachmentCount: 1,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: date,
      UpdateDate: date,
      PolicyVersionList: [
        { Document: doc(2), VersionId: 'v2', IsDefaultVersion: true, CreateDate: date },
        { Document: doc(1), VersionId: 'v1', IsDefaultVersion: false, CreateDate: date },
      ],
    });
  }
  const pol = () => {
    const p = pick(policies);
    return { PolicyName: p.PolicyName, PolicyArn: p.Arn };
  };
  const groups = [];
  for (let i = 0; i < GROUPS; i++)
    groups.push({
      Path: '/',
      GroupName: `group-${i}`,
      GroupId: id(r, ['AG', 'PA']),
      Arn: arn(`group/group-${i}`),
      CreateDate: date,
      GroupPolicyList: [{ PolicyName: 'inline', PolicyDocument: doc(1) }],
      AttachedManagedPolicies: [pol()],
    });
  const users = [];
  for (let i = 0; i < USERS; i++) {
    users.push({
      Path: '/service/',
      UserName: `user-${i}`,
      UserId: id(r, ['AI', 'DA']),
      Arn: arn(`user/service/user-${i}`),
      CreateDate: date,
      ...(r() < 0.3 ? { UserPolicyList: [{ PolicyName: 'own', PolicyDocument: doc(1) }] } : {}),
      GroupList: [`group-${Math.floor(r() * GROUPS)}`],
      AttachedManagedPolicies: r() < 0.5 ? [pol()] : [],
      Tags: [
        { Key: 'team', Value: pick(['a', 'b', 'c']) },
        { Key: 'owner', Value: `owner-${i % 300}@example.com` },
      ],
    });
  }
  const roles = [];
  for (let i = 0; i < ROLES; i++) {
    roles.push({
      Path: '/services/',
      RoleName: `role-${i}`,
      RoleId: id(r, ['AR', 'OA']),
      Arn: arn(`role/services/role-${i}`),
      CreateDate: date,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal:
              r() < 0.8
                ? { Service: pick(['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com', 'ec2.amazonaws.com']) }
                : { AWS: arn(`user/service/user-${Math.floor(r() * USERS)}`) },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      InstanceProfileList:
        r() < 0.2
          ? [
              {
                Path: '/',
                InstanceProfileName: `role-${i}`,
                InstanceProfileId: id(r, ['AI', 'PA']),
                Arn: arn(`instance-profile/role-${i}`),
                CreateDate: date,
                Roles: [],
              },
            ]
          : [],
      RolePolicyList: r() < 0.5 ? [{ PolicyName: 'inline', PolicyDocument: doc(1) }] : [],
      AttachedManagedPolicies: [pol(), ...(r() < 0.5 ? [pol()] : [])],
      Tags: [],
      RoleLastUsed: r() < 0.7 ? { LastUsedDate: '2026-10-01T00:00:00+00:00', Region: 'eu-west-1' } : {},
    });
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify(
      { UserDetailList: users, GroupDetailList: groups, RoleDetailList: roles, Policies: policies },
      null,
      4,
    ),
  );
}

export default async function ({ dataDir, log }) {
  const { authorizationDetailsConnector } =
    await import('../../dist/connectors/aws/authorization-details-connector.js');
  const { SourceFile, importPaths, CONNECTORS } = await import('../../dist/connectors/index.js');
  const { ConfigSchema } = await import('../../dist/config/index.js');
  const { openStore } = await import('../../dist/store/index.js');
  const config = ConfigSchema.parse({});
  const dir = path.join(dataDir, `authz-${TOTAL}`);
  const file = path.join(dir, 'authorization-details.json');
  log('generating the authorization-details file');
  generate(file);
  const size = statSync(file).size;

  let t0 = performance.now();
  const parsed = JSON.parse(readFileSync(file, 'utf8'));
  const bareS = (performance.now() - t0) / 1000;
  const principals = parsed.UserDetailList.length + parsed.RoleDetailList.length;

  const ctx = { config, salt: 'bench', now: new Date().toISOString(), configOwners: new Map() };
  const counts = {};
  t0 = performance.now();
  let c0 = process.cpuUsage();
  const sf = new SourceFile(file, dir);
  for await (const item of authorizationDetailsConnector.read(sf, ctx))
    counts[item.type] = (counts[item.type] ?? 0) + 1;
  sf.release();
  const readS = (performance.now() - t0) / 1000;
  let c = process.cpuUsage(c0);
  const readCpu = (c.user + c.system) / 1e6;
  log(`read ${readS.toFixed(1)} s: ${JSON.stringify(counts)}`);

  const db = path.join(dataDir, `authz-${TOTAL}.db`);
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
  const store = await openStore(db);
  global.gc?.();
  t0 = performance.now();
  c0 = process.cpuUsage();
  const rep = await importPaths({ store, config, connectors: CONNECTORS, paths: [file] });
  const e2eS = (performance.now() - t0) / 1000;
  c = process.cpuUsage(c0);
  const e2eCpu = (c.user + c.system) / 1e6;
  const f = rep.files[0];
  if (f.status !== 'imported') throw new Error(`import failed: ${JSON.stringify(f.error)}`);
  await store.close();
  log(`end to end ${e2eS.toFixed(1)} s`);
  const records = Object.entries(counts)
    .filter(([k]) => k !== 'skip' && k !== 'note')
    .reduce((n, [, v]) => n + v, 0);
  return {
    title: `AWS authorization details import (${TOTAL.toLocaleString('en-US')} principals)`,
    command: 'node bench/run.mjs aws-authz-import',
    rows: [
      {
        metric: 'end to end into SQLite (importPaths, incl. derived links)',
        value: e2eS,
        unit: 's',
        goal: '< 20',
        peer: 'bare JSON.parse of the file',
        peerValue: bareS,
        note: `${principals} principals, ${Math.round(size / 2 ** 20)} MiB, ${records} records (${counts.grant} grants); CPU ${e2eCpu.toFixed(1)} s`,
      },
      {
        metric: 'connector read alone (parse + records)',
        value: readS,
        unit: 's',
        goal: '',
        peer: 'bare JSON.parse of the file',
        peerValue: bareS,
        note: `CPU ${readCpu.toFixed(1)} s`,
      },
      {
        metric: 'records per second end to end',
        value: records / e2eS,
        unit: 'records/s',
        goal: '',
        peer: '',
        peerValue: '',
        note: '',
      },
    ],
  };
}
