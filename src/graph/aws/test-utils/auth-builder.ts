/**
 * Builds `aws iam get-account-authorization-details` output (CLI shape) for tests, from the
 * documented response: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 */
import { analyzeAws, type AwsEscalationRow } from '../analyze.js';
import { parseAwsEnvironment } from '../parse-environment.js';

export const ACCT = '111122223333';
export type Stmt = Record<string, unknown>;
export const doc = (...Statement: Stmt[]): Record<string, unknown> => ({ Version: '2012-10-17', Statement });
export const allow = (
  Action: string | string[],
  Resource: string | string[] = '*',
  extra: Stmt = {},
): Stmt => ({ Effect: 'Allow', Action, Resource, ...extra });
export const deny = (
  Action: string | string[],
  Resource: string | string[] = '*',
  extra: Stmt = {},
): Stmt => ({ Effect: 'Deny', Action, Resource, ...extra });
export const trust = (
  principal: Record<string, unknown> | string,
  extra: Stmt = {},
): Record<string, unknown> =>
  doc({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra });
export const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

export const userArn = (n: string, acct = ACCT): string => `arn:aws:iam::${acct}:user/${n}`;
export const roleArn = (n: string, acct = ACCT): string => `arn:aws:iam::${acct}:role/${n}`;
export const groupArn = (n: string, acct = ACCT): string => `arn:aws:iam::${acct}:group/${n}`;
export const policyArn = (n: string, acct = ACCT): string => `arn:aws:iam::${acct}:policy/${n}`;

interface PrincipalOpts {
  inline?: unknown[];
  attached?: string[];
  boundary?: string;
  tags?: Record<string, string>;
  path?: string;
}

export class AuthBuilder {
  users: unknown[] = [];
  roles: unknown[] = [];
  groups: unknown[] = [];
  policies: unknown[] = [];
  constructor(readonly acct = ACCT) {}
  private common(o: PrincipalOpts) {
    return {
      AttachedManagedPolicies: (o.attached ?? []).map((a) => ({
        PolicyName: a.slice(a.lastIndexOf('/') + 1),
        PolicyArn: a,
      })),
      ...(o.boundary
        ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: o.boundary } }
        : {}),
      Tags: Object.entries(o.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    };
  }
  user(name: string, o: PrincipalOpts & { groups?: string[] } = {}): this {
    const path = o.path ?? '/';
    this.users.push({
      Path: path,
      UserName: name,
      UserId: `AIDA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
      Arn: `arn:aws:iam::${this.acct}:user${path}${name}`,
      CreateDate: '2024-01-01T00:00:00+00:00',
      UserPolicyList: (o.inline ?? []).map((d, i) => ({ PolicyName: `inline-${i}`, PolicyDocument: d })),
      GroupList: o.groups ?? [],
      ...this.common(o),
    });
    return this;
  }
  role(name: string, trustDoc: unknown, o: PrincipalOpts & { instanceProfile?: boolean } = {}): this {
    const path = o.path ?? '/';
    const arn = `arn:aws:iam::${this.acct}:role${path}${name}`;
    this.roles.push({
      Path: path,
      RoleName: name,
      RoleId: `AROA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
      Arn: arn,
      CreateDate: '2024-01-01T00:00:00+00:00',
      AssumeRolePolicyDocument: trustDoc,
      InstanceProfileList: o.instanceProfile
        ? [
            {
              Path: '/',
              InstanceProfileName: name,
              InstanceProfileId: 'AIPAX',
              Arn: `arn:aws:iam::${this.acct}:instance-profile/${name}`,
              Roles: [],
            },
          ]
        : [],
      RolePolicyList: (o.inline ?? []).map((d, i) => ({ PolicyName: `inline-${i}`, PolicyDocument: d })),
      RoleLastUsed: {},
      ...this.common(o),
    });
    return this;
  }
  group(name: string, o: { inline?: unknown[]; attached?: string[] } = {}): this {
    this.groups.push({
      Path: '/',
      GroupName: name,
      GroupId: `AGPA${name.toUpperCase()}`,
      Arn: `arn:aws:iam::${this.acct}:group/${name}`,
      GroupPolicyList: (o.inline ?? []).map((d, i) => ({ PolicyName: `inline-${i}`, PolicyDocument: d })),
      AttachedManagedPolicies: (o.attached ?? []).map((a) => ({
        PolicyName: a.slice(a.lastIndexOf('/') + 1),
        PolicyArn: a,
      })),
    });
    return this;
  }
  /** A managed policy with the given versions; `defaultIdx` picks the default (0-based). */
  policy(
    name: string,
    versions: unknown[],
    defaultIdx = versions.length - 1,
    arn = `arn:aws:iam::${this.acct}:policy/${name}`,
  ): this {
    this.policies.push({
      PolicyName: name,
      PolicyId: `ANPA${name.toUpperCase()}`,
      Arn: arn,
      Path: '/',
      DefaultVersionId: `v${defaultIdx + 1}`,
      AttachmentCount: 1,
      IsAttachable: true,
      PolicyVersionList: versions.map((d, i) => ({
        Document: d,
        VersionId: `v${i + 1}`,
        IsDefaultVersion: i === defaultIdx,
        CreateDate: '2024-01-01T00:00:00+00:00',
      })),
    });
    return this;
  }
  build(): Record<string, unknown> {
    return {
      UserDetailList: this.users,
      GroupDetailList: this.groups,
      RoleDetailList: this.roles,
      Policies: this.policies,
    };
  }
}

/** Analyses inputs and returns the rows keyed by principal ARN. */
export function rowsOf(...inputs: unknown[]): Map<string, AwsEscalationRow> {
  const env = parseAwsEnvironment(inputs);
  return new Map(analyzeAws(env).principals.map((r) => [r.principal, r]));
}

/** Credential report JSON (`aws iam get-credential-report`) with password_enabled per user. */
export function credentialReport(
  rows: Array<{ user: string; password: boolean; keys?: number; acct?: string }>,
): Record<string, unknown> {
  const header =
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const lines = [
    header,
    `<root_account>,arn:aws:iam::${ACCT}:root,2020-01-01T00:00:00+00:00,not_supported,2024-01-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  ];
  for (const r of rows) {
    const k = r.keys ?? 0;
    const key = (n: number): string =>
      k >= n ? 'true,2024-01-01T00:00:00+00:00,N/A,N/A,N/A' : 'false,N/A,N/A,N/A,N/A';
    lines.push(
      `${r.user},${userArn(r.user, r.acct)},2024-01-01T00:00:00+00:00,${r.password},N/A,N/A,N/A,false,${key(1)},${key(2)},false,N/A,false,N/A`,
    );
  }
  return {
    Content: Buffer.from(lines.join('\n') + '\n').toString('base64'),
    ReportFormat: 'text/csv',
    GeneratedTime: '2024-06-01T00:00:00+00:00',
  };
}
