/**
 * Reads `aws iam get-account-authorization-details` (users, groups, roles and managed policies
 * with every version), pages merged or not.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 */
import { accountOfArn, arr, isObj, issue, str, type Obj, type ParseCtx } from './parse-helpers.js';
import type {
  AwsGroup,
  AwsInlinePolicy,
  AwsManagedPolicy,
  AwsPrincipalBase,
  AwsRole,
  AwsUser,
} from './types.js';

/** True when the object has the shape of an authorization-details page. */
export function isAuthDetails(o: Obj): boolean {
  return (
    'UserDetailList' in o ||
    'RoleDetailList' in o ||
    'GroupDetailList' in o ||
    ('Policies' in o &&
      Array.isArray(o.Policies) &&
      o.Policies.some((p) => isObj(p) && 'PolicyVersionList' in p))
  );
}

/** One list of the page and the field names of its records. */
interface DetailList {
  readonly list: string;
  /** Name field; the last segment of the ARN stands in when it is absent. */
  readonly name: string;
  /** Users and roles must have an `arn:` Arn; groups and policies only a string one. */
  readonly validArn: boolean;
  /** Issue message for a record that is not an object or has no (valid) Arn. */
  readonly skipped: string;
}

/** Users, groups and roles: also a unique-id field and an inline-policy list. */
interface PrincipalList extends DetailList {
  readonly id: string;
  readonly inline: string;
}

const USERS: PrincipalList = {
  list: 'UserDetailList',
  name: 'UserName',
  id: 'UserId',
  inline: 'UserPolicyList',
  validArn: true,
  skipped: 'user without a valid Arn skipped',
};
const GROUPS: PrincipalList = {
  list: 'GroupDetailList',
  name: 'GroupName',
  id: 'GroupId',
  inline: 'GroupPolicyList',
  validArn: false,
  skipped: 'group without Arn skipped',
};
const ROLES: PrincipalList = {
  list: 'RoleDetailList',
  name: 'RoleName',
  id: 'RoleId',
  inline: 'RolePolicyList',
  validArn: true,
  skipped: 'role without a valid Arn skipped',
};
const POLICIES: DetailList = {
  list: 'Policies',
  name: 'PolicyName',
  validArn: false,
  skipped: 'managed policy without Arn skipped',
};

/** Calls `read` for each record of the list that has its Arn, in order; reports the others. */
function eachRecord(
  o: Obj,
  c: ParseCtx,
  d: DetailList,
  read: (r: Obj, arn: string, ptr: string, c: ParseCtx) => void,
): void {
  arr(o[d.list]).forEach((r, i) => {
    const ptr = `/${d.list}/${i}`;
    const arn = isObj(r) ? str(r.Arn) : null;
    if (!isObj(r) || !arn || (d.validArn && !arn.startsWith('arn:'))) return issue(c, ptr, d.skipped);
    read(r, arn, ptr, c);
  });
}

function nameOf(r: Obj, d: DetailList, arn: string): string {
  return str(r[d.name]) ?? arn.slice(arn.lastIndexOf('/') + 1);
}

function tagsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of arr(v)) if (isObj(t) && typeof t.Key === 'string') out[t.Key] = str(t.Value) ?? '';
  return out;
}

function inlineOf(v: unknown, c: ParseCtx, ptr: string): AwsInlinePolicy[] {
  const out: AwsInlinePolicy[] = [];
  arr(v).forEach((p, i) => {
    if (!isObj(p) || p.PolicyDocument === undefined)
      issue(c, `${ptr}/${i}`, 'inline policy without PolicyDocument skipped');
    else out.push({ name: str(p.PolicyName) ?? `inline-${i}`, document: p.PolicyDocument });
  });
  return out;
}

function attachedOf(v: unknown): string[] {
  return arr(v).flatMap((p) => (isObj(p) && typeof p.PolicyArn === 'string' ? [p.PolicyArn] : []));
}

function boundaryOf(v: unknown): string | null {
  return isObj(v) && typeof v.PermissionsBoundaryArn === 'string' ? v.PermissionsBoundaryArn : null;
}

/**
 * The fields users and roles share, in their key order (inline-policy issues are reported here).
 * Callers add their own fields with `Object.assign`: an object spread here made parsing the 100k
 * export about twice as slow.
 */
function principalOf<K extends 'user' | 'role'>(
  kind: K,
  r: Obj,
  arn: string,
  ptr: string,
  d: PrincipalList,
  c: ParseCtx,
): AwsPrincipalBase & { readonly kind: K } {
  return {
    kind,
    arn,
    name: nameOf(r, d, arn),
    id: str(r[d.id]) ?? '',
    path: str(r.Path) ?? '/',
    account: accountOfArn(arn),
    inlinePolicies: inlineOf(r[d.inline], c, `${ptr}/${d.inline}`),
    attachedPolicyArns: attachedOf(r.AttachedManagedPolicies),
    boundaryArn: boundaryOf(r.PermissionsBoundary),
    tags: tagsOf(r.Tags),
  };
}

function readUser(u: Obj, arn: string, ptr: string, c: ParseCtx): void {
  const user: AwsUser = Object.assign(principalOf('user', u, arn, ptr, USERS, c), {
    groupNames: arr(u.GroupList).filter((g): g is string => typeof g === 'string'),
  });
  c.env.users.push(user);
}

function readGroup(g: Obj, arn: string, ptr: string, c: ParseCtx): void {
  const group: AwsGroup = {
    arn,
    name: nameOf(g, GROUPS, arn),
    id: str(g[GROUPS.id]) ?? '',
    account: accountOfArn(arn),
    inlinePolicies: inlineOf(g[GROUPS.inline], c, `${ptr}/${GROUPS.inline}`),
    attachedPolicyArns: attachedOf(g.AttachedManagedPolicies),
  };
  c.env.groups.push(group);
}

function readRole(r: Obj, arn: string, ptr: string, c: ParseCtx): void {
  if (r.AssumeRolePolicyDocument === undefined)
    issue(c, ptr, 'role has no AssumeRolePolicyDocument: nobody can assume it');
  const role: AwsRole = Object.assign(principalOf('role', r, arn, ptr, ROLES, c), {
    trustPolicy: r.AssumeRolePolicyDocument ?? null,
    instanceProfileArns: arr(r.InstanceProfileList).flatMap((p) =>
      isObj(p) && typeof p.Arn === 'string' ? [p.Arn] : [],
    ),
  });
  c.env.roles.push(role);
}

function readManagedPolicy(p: Obj, arn: string, ptr: string, c: ParseCtx): void {
  const versions = arr(p.PolicyVersionList).flatMap((v, j) => {
    if (!isObj(v) || v.Document === undefined) {
      issue(c, `${ptr}/PolicyVersionList/${j}`, 'policy version without Document skipped');
      return [];
    }
    return [
      {
        versionId: str(v.VersionId) ?? `v${j + 1}`,
        isDefault: v.IsDefaultVersion === true,
        document: v.Document,
      },
    ];
  });
  const defaultVersionId = str(p.DefaultVersionId) ?? versions.find((v) => v.isDefault)?.versionId ?? '';
  const policy: AwsManagedPolicy = {
    arn,
    name: nameOf(p, POLICIES, arn),
    defaultVersionId,
    versions,
    awsManaged: arn.split(':')[4] === 'aws',
  };
  c.env.policies.push(policy);
}

export function readAuthDetails(o: Obj, c: ParseCtx): void {
  eachRecord(o, c, USERS, readUser);
  eachRecord(o, c, GROUPS, readGroup);
  eachRecord(o, c, ROLES, readRole);
  eachRecord(o, c, POLICIES, readManagedPolicy);
}
