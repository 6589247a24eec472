/**
 * Builders of AWS exports in the exact shapes the AWS CLI writes (documented per function), with
 * ids made at run time from a seeded generator: no realistic-looking key is ever written in the
 * repository.
 */
import { gzipSync } from 'node:zlib';
import { seededRandom as rng } from '../../../model/index.js';

export { rng };

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** An IAM unique id such as AIDA…/AROA…/AGPA…/ANPA…, or an access key id: prefix from parts. */
export function iamId(
  rand: () => number,
  kind: 'user' | 'role' | 'group' | 'policy' | 'key' | 'tempkey',
): string {
  const prefix = {
    user: ['AI', 'DA'],
    role: ['AR', 'OA'],
    group: ['AG', 'PA'],
    policy: ['AN', 'PA'],
    key: ['AK', 'IA'],
    tempkey: ['AS', 'IA'],
  }[kind].join('');
  let s = prefix;
  for (let i = 0; i < 16; i++) s += B32[Math.floor(rand() * 32)];
  return s;
}

export function accountId(rand: () => number): string {
  let s = String(1 + Math.floor(rand() * 9));
  for (let i = 0; i < 11; i++) s += String(Math.floor(rand() * 10));
  return s;
}

export type Doc = Record<string, unknown>;

/** Policy documents: objects (CLI) or RFC 3986 URL-encoded JSON (raw Query API). */
export function encodeDoc(doc: Doc, mode: 'object' | 'url'): unknown {
  if (mode === 'object') return doc;
  return encodeURIComponent(JSON.stringify(doc)).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export interface AcmeAws {
  account: string;
  ids: Record<
    | 'alice'
    | 'ciBot'
    | 'runner'
    | 'target'
    | 'devs'
    | 's3reader'
    | 'admin'
    | 'aliceKey1'
    | 'ciKey1'
    | 'ciKey2',
    string
  >;
  /** get-account-authorization-details, CLI shape. */
  authz(mode?: 'object' | 'url'): Doc;
  /** list-access-keys outputs, one per user with keys. */
  accessKeys(): Doc[];
  /** Credential report CSV (22 columns). */
  credentialReportCsv(): string;
}

/**
 * A small account: a developer `alice` (path /people/, group developers, owner tag), `ci-bot`
 * with AdministratorAccess and an agent tag, role `service-role/agent-runner` trusted by Lambda
 * and by ci-bot, role `escalation-target` trusting the account root.
 */
export function smallAccount(seed = 7): AcmeAws {
  const r = rng(seed);
  const account = accountId(r);
  const ids = {
    alice: iamId(r, 'user'),
    ciBot: iamId(r, 'user'),
    runner: iamId(r, 'role'),
    target: iamId(r, 'role'),
    devs: iamId(r, 'group'),
    s3reader: iamId(r, 'policy'),
    admin: iamId(r, 'policy'),
    aliceKey1: iamId(r, 'key'),
    ciKey1: iamId(r, 'key'),
    ciKey2: iamId(r, 'key'),
  };
  const arn = (t: string) => `arn:aws:iam::${account}:${t}`;
  const created = '2024-03-01T10:00:00+00:00';
  return {
    account,
    ids,
    authz(mode = 'object') {
      const d = (doc: Doc) => encodeDoc(doc, mode);
      return {
        UserDetailList: [
          {
            Path: '/people/',
            UserName: 'alice',
            UserId: ids.alice,
            Arn: arn('user/people/alice'),
            CreateDate: created,
            UserPolicyList: [
              {
                PolicyName: 'everything-but-iam',
                PolicyDocument: d({
                  Version: '2012-10-17',
                  Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }],
                }),
              },
            ],
            GroupList: ['developers'],
            AttachedManagedPolicies: [],
            Tags: [{ Key: 'owner', Value: 'alice@acme.example' }],
          },
          {
            Path: '/',
            UserName: 'ci-bot',
            UserId: ids.ciBot,
            Arn: arn('user/ci-bot'),
            CreateDate: created,
            GroupList: [],
            AttachedManagedPolicies: [
              { PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
            ],
            PermissionsBoundary: {
              PermissionsBoundaryType: 'Policy',
              PermissionsBoundaryArn: arn('policy/app/S3Reader'),
            },
            Tags: [{ Key: 'agent', Value: 'deploy-bot' }],
          },
        ],
        GroupDetailList: [
          {
            Path: '/',
            GroupName: 'developers',
            GroupId: ids.devs,
            Arn: arn('group/developers'),
            CreateDate: created,
            GroupPolicyList: [
              {
                PolicyName: 'read-logs',
                PolicyDocument: d({
                  Version: '2012-10-17',
                  Statement: { Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: '*' },
                }),
              },
            ],
            AttachedManagedPolicies: [{ PolicyName: 'S3Reader', PolicyArn: arn('policy/app/S3Reader') }],
          },
        ],
        RoleDetailList: [
          {
            Path: '/service-role/',
            RoleName: 'agent-runner',
            RoleId: ids.runner,
            Arn: arn('role/service-role/agent-runner'),
            CreateDate: created,
            AssumeRolePolicyDocument: d({
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
                {
                  Effect: 'Allow',
                  Principal: { AWS: [arn('user/ci-bot')] },
                  Action: ['sts:AssumeRole', 'sts:TagSession'],
                },
              ],
            }),
            InstanceProfileList: [
              {
                Path: '/',
                InstanceProfileName: 'agent-runner-profile',
                InstanceProfileId: 'AIPA' + ids.runner.slice(4),
                Arn: arn('instance-profile/agent-runner-profile'),
                CreateDate: created,
                Roles: [],
              },
            ],
            RolePolicyList: [
              {
                PolicyName: 'pass-and-create',
                PolicyDocument: d({
                  Version: '2012-10-17',
                  Statement: [
                    {
                      Sid: 'Pass',
                      Effect: 'Allow',
                      Action: ['iam:PassRole', 'lambda:CreateFunction'],
                      Resource: '*',
                    },
                    {
                      Effect: 'Deny',
                      Action: 's3:DeleteBucket',
                      Resource: 'arn:aws:s3:::prod-*',
                      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
                    },
                  ],
                }),
              },
            ],
            AttachedManagedPolicies: [],
            Tags: [{ Key: 'team', Value: 'platform' }],
            RoleLastUsed: { LastUsedDate: '2026-11-20T08:00:00+00:00', Region: 'eu-west-1' },
          },
          {
            Path: '/',
            RoleName: 'escalation-target',
            RoleId: ids.target,
            Arn: arn('role/escalation-target'),
            CreateDate: created,
            AssumeRolePolicyDocument: d({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: { AWS: account }, Action: 'sts:AssumeRole' }],
            }),
            InstanceProfileList: [],
            RolePolicyList: [],
            AttachedManagedPolicies: [
              { PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
            ],
            Tags: [],
            RoleLastUsed: {},
          },
        ],
        Policies: [
          {
            PolicyName: 'AdministratorAccess',
            PolicyId: ids.admin,
            Arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
            Path: '/',
            DefaultVersionId: 'v1',
            AttachmentCount: 2,
            PermissionsBoundaryUsageCount: 0,
            IsAttachable: true,
            CreateDate: '2015-02-06T18:39:46+00:00',
            UpdateDate: '2015-02-06T18:39:46+00:00',
            PolicyVersionList: [
              {
                Document: d({
                  Version: '2012-10-17',
                  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
                }),
                VersionId: 'v1',
                IsDefaultVersion: true,
                CreateDate: '2015-02-06T18:39:46+00:00',
              },
            ],
          },
          {
            PolicyName: 'S3Reader',
            PolicyId: ids.s3reader,
            Arn: arn('policy/app/S3Reader'),
            Path: '/app/',
            DefaultVersionId: 'v2',
            AttachmentCount: 1,
            PermissionsBoundaryUsageCount: 1,
            IsAttachable: true,
            CreateDate: created,
            UpdateDate: created,
            PolicyVersionList: [
              {
                Document: d({
                  Version: '2012-10-17',
                  Statement: [
                    {
                      Effect: 'Allow',
                      Action: ['s3:GetObject', 's3:ListBucket'],
                      Resource: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'],
                    },
                  ],
                }),
                VersionId: 'v2',
                IsDefaultVersion: true,
                CreateDate: created,
              },
              {
                Document: d({
                  Version: '2012-10-17',
                  Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
                }),
                VersionId: 'v1',
                IsDefaultVersion: false,
                CreateDate: created,
              },
            ],
          },
        ],
      };
    },
    accessKeys() {
      return [
        {
          AccessKeyMetadata: [
            {
              UserName: 'alice',
              AccessKeyId: ids.aliceKey1,
              Status: 'Active',
              CreateDate: '2024-03-02T09:00:00+00:00',
            },
          ],
        },
        {
          AccessKeyMetadata: [
            {
              UserName: 'ci-bot',
              AccessKeyId: ids.ciKey1,
              Status: 'Active',
              CreateDate: '2023-01-05T12:00:00+00:00',
            },
            {
              UserName: 'ci-bot',
              AccessKeyId: ids.ciKey2,
              Status: 'Inactive',
              CreateDate: '2025-06-01T12:00:00+00:00',
            },
          ],
        },
      ];
    },
    credentialReportCsv() {
      const rows = [
        CREDENTIAL_REPORT_HEADER,
        [
          `<root_account>`,
          `arn:aws:iam::${account}:root`,
          '2020-01-01T00:00:00+00:00',
          'not_supported',
          '2026-10-01T10:00:00+00:00',
          'not_supported',
          'not_supported',
          'true',
          'false',
          'N/A',
          'N/A',
          'N/A',
          'N/A',
          'false',
          'N/A',
          'N/A',
          'N/A',
          'N/A',
          'false',
          'N/A',
          'false',
          'N/A',
        ],
        [
          'alice',
          arn('user/people/alice'),
          '2024-03-01T10:00:00+00:00',
          'true',
          '2026-11-25T09:00:00+00:00',
          '2024-03-01T10:05:00+00:00',
          'N/A',
          'false',
          'true',
          '2024-03-02T09:00:00+00:00',
          '2026-11-24T17:00:00+00:00',
          'eu-west-1',
          's3',
          'false',
          'N/A',
          'N/A',
          'N/A',
          'N/A',
          'false',
          'N/A',
          'false',
          'N/A',
        ],
        [
          'ci-bot',
          arn('user/ci-bot'),
          '2024-03-01T10:00:00+00:00',
          'false',
          'no_information',
          'N/A',
          'N/A',
          'false',
          'true',
          '2023-01-05T12:00:00+00:00',
          '2026-11-25T03:00:00+00:00',
          'us-east-1',
          'lambda',
          'false',
          '2025-06-01T12:00:00+00:00',
          'N/A',
          'N/A',
          'N/A',
          'false',
          'N/A',
          'false',
          'N/A',
        ],
      ];
      return rows.map((x) => x.join(',')).join('\n') + '\n';
    },
  };
}

export const CREDENTIAL_REPORT_HEADER = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
];

/** `aws iam get-credential-report` output. */
export function credentialReportJson(csv: string): Doc {
  return {
    Content: Buffer.from(csv, 'utf8').toString('base64'),
    ReportFormat: 'text/csv',
    GeneratedTime: '2026-11-25T10:00:00+00:00',
  };
}

/** A CloudTrail record (fields of the documented record contents, eventVersion 1.09). */
export function trailRecord(
  rand: () => number,
  o: {
    account: string;
    type: 'IAMUser' | 'AssumedRole' | 'AWSService' | 'Root';
    user?: string;
    role?: { arn: string; name: string; session: string };
    eventSource: string;
    eventName: string;
    time: string;
    errorCode?: string;
    userAgent?: string;
    requestParameters?: Doc | null;
    resources?: Doc[];
    eventType?: string;
    responseElements?: Doc | null;
  },
): Doc {
  const ui: Doc = { type: o.type };
  if (o.type === 'IAMUser') {
    Object.assign(ui, {
      principalId: iamId(rand, 'user'),
      arn: `arn:aws:iam::${o.account}:user/${o.user}`,
      accountId: o.account,
      accessKeyId: iamId(rand, 'key'),
      userName: o.user,
    });
  } else if (o.type === 'AssumedRole' && o.role) {
    const rid = iamId(rand, 'role');
    Object.assign(ui, {
      principalId: `${rid}:${o.role.session}`,
      arn: `arn:aws:sts::${o.account}:assumed-role/${o.role.name}/${o.role.session}`,
      accountId: o.account,
      accessKeyId: iamId(rand, 'tempkey'),
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: rid,
          arn: o.role.arn,
          accountId: o.account,
          userName: o.role.name,
        },
        attributes: { creationDate: o.time, mfaAuthenticated: 'false' },
      },
    });
  } else if (o.type === 'AWSService') {
    ui.invokedBy = 'lambda.amazonaws.com';
  } else {
    Object.assign(ui, {
      principalId: o.account,
      arn: `arn:aws:iam::${o.account}:root`,
      accountId: o.account,
    });
  }
  const rec: Doc = {
    eventVersion: '1.09',
    userIdentity: ui,
    eventTime: o.time,
    eventSource: o.eventSource,
    eventName: o.eventName,
    awsRegion: 'eu-west-1',
    sourceIPAddress:
      o.type === 'AWSService' ? 'lambda.amazonaws.com' : `198.51.100.${1 + Math.floor(rand() * 250)}`,
    userAgent: o.userAgent ?? 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64',
    requestParameters: o.requestParameters === undefined ? null : o.requestParameters,
    responseElements: o.responseElements === undefined ? null : o.responseElements,
    requestID: uuid(rand),
    eventID: uuid(rand),
    readOnly: /^(Get|List|Describe)/.test(o.eventName),
    eventType: o.eventType ?? 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: o.account,
    eventCategory: 'Management',
  };
  if (o.errorCode) {
    rec.errorCode = o.errorCode;
    rec.errorMessage = 'User is not authorized to perform this operation';
  }
  if (o.resources) rec.resources = o.resources;
  return rec;
}

export function uuid(rand: () => number): string {
  const h = () => Math.floor(rand() * 16).toString(16);
  const part = (n: number) => Array.from({ length: n }, h).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}

/** A log file as CloudTrail writes it: one line of JSON, gzipped. */
export function trailFile(records: Doc[], gzip = true): Buffer {
  const text = JSON.stringify({ Records: records });
  return gzip ? gzipSync(text) : Buffer.from(text);
}

export function trailPath(account: string, region: string, time: string, n: number): string {
  const [y, m, d] = time.slice(0, 10).split('-');
  const stamp = time.slice(0, 16).replace(/[-:]/g, '') + 'Z';
  return `AWSLogs/${account}/CloudTrail/${region}/${y}/${m}/${d}/${account}_CloudTrail_${region}_${stamp}_${String(n).padStart(16, 'a')}.json.gz`;
}
