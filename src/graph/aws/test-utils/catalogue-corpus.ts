/**
 * An end-to-end corpus modelled on BishopFox iam-vulnerable
 * (https://github.com/BishopFox/iam-vulnerable, modules/free-resources/privesc-paths and
 * tool-testing) and DataDog pathfinding.cloud (https://pathfinding.cloud/): one user and one role per
 * technique, each holding a customer managed policy with the technique's permissions, as the
 * Terraform of iam-vulnerable creates them, plus its false-positive (`fp*`) and false-negative
 * (`fn*`) tool-testing scenarios.
 *
 * Everything is written in the exact shape the AWS CLI prints (`aws iam
 * get-account-authorization-details`, `aws lambda list-functions`, ...), with the variations real
 * exports have: policy documents as objects (CLI) and as URL-encoded JSON text (the Query API),
 * string-or-array `Action`/`Resource`, ARN paths.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 *
 * No credential appears anywhere: ids (AIDA..., AROA...) are derived from the names.
 */
import { createHash } from 'node:crypto';

export const CORPUS_ACCOUNT = '210987654321';
const A = CORPUS_ACCOUNT;
const DATE = '2024-03-01T10:00:00+00:00';
export const ADMIN_POLICY = 'arn:aws:iam::aws:policy/AdministratorAccess';

type Doc = Record<string, unknown>;
type Stmt = Record<string, unknown>;

/** Expected row of `warden escalations` for one principal. */
export interface Expectation {
  readonly principal: string;
  readonly escalates: boolean;
  /** Exact technique (or chain) name, or one of several equally short ones. */
  readonly technique?: string | readonly string[];
  readonly hops?: number;
  /** What the case checks (for failure messages). */
  readonly why: string;
}

const doc = (...Statement: Stmt[]): Doc => ({ Version: '2012-10-17', Statement });
const allow = (Action: string | string[], Resource: string | string[] = '*', extra: Stmt = {}): Stmt => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});

/** Unique ids as IAM prints them (prefix + 17 upper-case characters), derived from the name. */
function uid(prefix: string, name: string): string {
  const h = createHash('sha256').update(name).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let s = '';
  for (let i = 0; i < 17; i++) s += alphabet[h[i]! % 32];
  return prefix + s;
}

/** The Query API returns documents URL-encoded; some tools keep that text (RFC 3986). */
const urlEncoded = (d: Doc): string => encodeURIComponent(JSON.stringify(d));

export const userArn = (name: string, path = '/'): string => `arn:aws:iam::${A}:user${path}${name}`;
export const roleArn = (name: string, path = '/'): string => `arn:aws:iam::${A}:role${path}${name}`;
const groupArn = (name: string): string => `arn:aws:iam::${A}:group/${name}`;
const policyArn = (name: string): string => `arn:aws:iam::${A}:policy/${name}`;

interface PrincipalSpec {
  attached?: string[];
  inline?: Doc[];
  groups?: string[];
  path?: string;
  boundary?: string;
}

export class CorpusBuilder {
  readonly users: Doc[] = [];
  readonly roles: Doc[] = [];
  readonly groups: Doc[] = [];
  readonly policies: Doc[] = [];
  readonly expectations: Expectation[] = [];
  private encodeNext = false;

  /** Alternates object and URL-encoded documents, as mixed tool outputs do. */
  private docOut(d: Doc): Doc | string {
    this.encodeNext = !this.encodeNext;
    this.count++;
    // IAM keeps a document as written: a lone statement may be an object rather than an array.
    const st = d.Statement;
    const out = this.count % 3 === 0 && Array.isArray(st) && st.length === 1 ? { ...d, Statement: st[0] } : d;
    return this.encodeNext ? out : urlEncoded(out);
  }
  private count = 0;

  private common(s: PrincipalSpec) {
    return {
      AttachedManagedPolicies: (s.attached ?? []).map((a) => ({
        PolicyName: a.slice(a.lastIndexOf('/') + 1),
        PolicyArn: a,
      })),
      ...(s.boundary
        ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: s.boundary } }
        : {}),
      Tags: [],
    };
  }

  user(name: string, s: PrincipalSpec = {}): string {
    const path = s.path ?? '/';
    const arn = userArn(name, path);
    this.users.push({
      Path: path,
      UserName: name,
      UserId: uid('AIDA', name),
      Arn: arn,
      CreateDate: DATE,
      UserPolicyList: (s.inline ?? []).map((d, i) => ({
        PolicyName: `${name}-inline-${i}`,
        PolicyDocument: this.docOut(d),
      })),
      GroupList: s.groups ?? [],
      ...this.common(s),
    });
    return arn;
  }

  role(name: string, trust: Doc, s: PrincipalSpec & { instanceProfile?: boolean } = {}): string {
    const path = s.path ?? '/';
    const arn = roleArn(name, path);
    this.roles.push({
      Path: path,
      RoleName: name,
      RoleId: uid('AROA', name),
      Arn: arn,
      CreateDate: DATE,
      AssumeRolePolicyDocument: this.docOut(trust),
      InstanceProfileList: s.instanceProfile
        ? [
            {
              Path: '/',
              InstanceProfileName: name,
              InstanceProfileId: uid('AIPA', name),
              Arn: `arn:aws:iam::${A}:instance-profile/${name}`,
              CreateDate: DATE,
              Roles: [
                {
                  Path: path,
                  RoleName: name,
                  RoleId: uid('AROA', name),
                  Arn: arn,
                  CreateDate: DATE,
                  AssumeRolePolicyDocument: trust,
                },
              ],
            },
          ]
        : [],
      RolePolicyList: (s.inline ?? []).map((d, i) => ({
        PolicyName: `${name}-inline-${i}`,
        PolicyDocument: this.docOut(d),
      })),
      RoleLastUsed: {},
      ...this.common(s),
    });
    return arn;
  }

  group(name: string, s: { attached?: string[]; inline?: Doc[] } = {}): string {
    this.groups.push({
      Path: '/',
      GroupName: name,
      GroupId: uid('AGPA', name),
      Arn: groupArn(name),
      CreateDate: DATE,
      GroupPolicyList: (s.inline ?? []).map((d, i) => ({
        PolicyName: `${name}-inline-${i}`,
        PolicyDocument: this.docOut(d),
      })),
      AttachedManagedPolicies: (s.attached ?? []).map((a) => ({
        PolicyName: a.slice(a.lastIndexOf('/') + 1),
        PolicyArn: a,
      })),
    });
    return groupArn(name);
  }

  /** A managed policy; `versions` oldest first, `defaultIdx` the default one. */
  policy(name: string, versions: Doc[], defaultIdx = versions.length - 1, arn = policyArn(name)): string {
    this.policies.push({
      PolicyName: name,
      PolicyId: uid('ANPA', name),
      Arn: arn,
      Path: '/',
      DefaultVersionId: `v${defaultIdx + 1}`,
      AttachmentCount: 2,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: DATE,
      UpdateDate: DATE,
      PolicyVersionList: versions
        .map((d, i) => ({
          Document: this.docOut(d),
          VersionId: `v${i + 1}`,
          IsDefaultVersion: i === defaultIdx,
          CreateDate: DATE,
        }))
        .reverse(), // the API lists the newest version first
    });
    return arn;
  }

  expect(e: Expectation): void {
    this.expectations.push(e);
  }

  authorizationDetails(): Doc {
    return {
      UserDetailList: this.users,
      GroupDetailList: this.groups,
      RoleDetailList: this.roles,
      Policies: this.policies,
    };
  }
}

/** Trust of the iam-vulnerable roles: `var.aws_assume_role_arn`, here the deploying administrator. */
export const DEPLOYER = 'iam-vulnerable-deployer';
export const trustAws = (arn: string): Doc =>
  doc({ Action: 'sts:AssumeRole', Effect: 'Allow', Sid: '', Principal: { AWS: arn } });
export const trustService = (svc: string | string[]): Doc =>
  doc({ Effect: 'Allow', Principal: { Service: svc }, Action: 'sts:AssumeRole' });

export const ADMIN_SERVICE_ROLES: ReadonlyArray<[name: string, service: string, instanceProfile: boolean]> = [
  ['lambda-admin-role', 'lambda.amazonaws.com', false],
  ['ec2-admin-role', 'ec2.amazonaws.com', true],
  ['glue-admin-role', 'glue.amazonaws.com', false],
  ['cloudformation-admin-role', 'cloudformation.amazonaws.com', false],
  ['datapipeline-admin-role', 'datapipeline.amazonaws.com', false],
  ['codebuild-admin-role', 'codebuild.amazonaws.com', false],
  ['sagemaker-admin-role', 'sagemaker.amazonaws.com', false],
  ['ecs-task-admin-role', 'ecs-tasks.amazonaws.com', false],
  ['apprunner-admin-role', 'tasks.apprunner.amazonaws.com', false],
];

/** Shared part of every corpus: the deploying administrator and administrator service roles. */
export function baseEnvironment(b: CorpusBuilder): void {
  b.policy('AdministratorAccess', [doc(allow('*', '*'))], 0, ADMIN_POLICY);
  const deployer = b.user(DEPLOYER, { attached: [ADMIN_POLICY] });
  b.expect({ principal: deployer, escalates: true, technique: 'already-admin', hops: 0, why: 'admin' });
  for (const [name, svc, ip] of ADMIN_SERVICE_ROLES) {
    const arn = b.role(name, trustService(svc), { attached: [ADMIN_POLICY], instanceProfile: ip });
    b.expect({ principal: arn, escalates: true, technique: 'already-admin', hops: 0, why: 'admin role' });
  }
}

/**
 * One iam-vulnerable scenario: a customer managed policy named `name` attached to
 * `${name}-user` and `${name}-role` (the role trusts the deployer, as `var.aws_assume_role_arn`).
 */
export function scenario(
  b: CorpusBuilder,
  name: string,
  statements: Stmt[],
  expectUser: Omit<Expectation, 'principal' | 'why'>,
  expectRole: Omit<Expectation, 'principal' | 'why'> | null,
  opts: { groups?: string[]; extraPolicies?: string[] } = {},
): { user: string; role: string; policy: string } {
  const policy = b.policy(name, [doc(...statements)]);
  const attached = [policy, ...(opts.extraPolicies ?? [])];
  const user = b.user(`${name}-user`, { attached, ...(opts.groups ? { groups: opts.groups } : {}) });
  const role = b.role(`${name}-role`, trustAws(userArn(DEPLOYER)), { attached });
  b.expect({ principal: user, why: `${name} (user)`, ...expectUser });
  if (expectRole) b.expect({ principal: role, why: `${name} (role)`, ...expectRole });
  return { user, role, policy };
}

export { allow, doc, urlEncoded };
