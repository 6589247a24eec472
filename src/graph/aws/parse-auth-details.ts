/**
 * Reads `aws iam get-account-authorization-details` (users, groups, roles and managed policies
 * with every version), pages merged or not.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 */
import { accountOfArn, arr, isObj, issue, str, type Obj, type ParseCtx } from './parse-helpers.js';
import type { AwsGroup, AwsInlinePolicy, AwsManagedPolicy, AwsRole, AwsUser } from './types.js';

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

function readUsers(list: unknown, c: ParseCtx): void {
  arr(list).forEach((u, i) => {
    const ptr = `/UserDetailList/${i}`;
    const arn = isObj(u) ? str(u.Arn) : null;
    if (!isObj(u) || !arn || !arn.startsWith('arn:'))
      return issue(c, ptr, 'user without a valid Arn skipped');
    const user: AwsUser = {
      kind: 'user',
      arn,
      name: str(u.UserName) ?? arn.slice(arn.lastIndexOf('/') + 1),
      id: str(u.UserId) ?? '',
      path: str(u.Path) ?? '/',
      account: accountOfArn(arn),
      inlinePolicies: inlineOf(u.UserPolicyList, c, `${ptr}/UserPolicyList`),
      attachedPolicyArns: attachedOf(u.AttachedManagedPolicies),
      boundaryArn: boundaryOf(u.PermissionsBoundary),
      tags: tagsOf(u.Tags),
      groupNames: arr(u.GroupList).filter((g): g is string => typeof g === 'string'),
    };
    c.env.users.push(user);
  });
}

function readGroups(list: unknown, c: ParseCtx): void {
  arr(list).forEach((g, i) => {
    const ptr = `/GroupDetailList/${i}`;
    const arn = isObj(g) ? str(g.Arn) : null;
    if (!isObj(g) || !arn) return issue(c, ptr, 'group without Arn skipped');
    const group: AwsGroup = {
      arn,
      name: str(g.GroupName) ?? arn.slice(arn.lastIndexOf('/') + 1),
      id: str(g.GroupId) ?? '',
      account: accountOfArn(arn),
      inlinePolicies: inlineOf(g.GroupPolicyList, c, `${ptr}/GroupPolicyList`),
      attachedPolicyArns: attachedOf(g.AttachedManagedPolicies),
    };
    c.env.groups.push(group);
  });
}

function readRoles(list: unknown, c: ParseCtx): void {
  arr(list).forEach((r, i) => {
    const ptr = `/RoleDetailList/${i}`;
    const arn = isObj(r) ? str(r.Arn) : null;
    if (!isObj(r) || !arn || !arn.startsWith('arn:'))
      return issue(c, ptr, 'role without a valid Arn skipped');
    if (r.AssumeRolePolicyDocument === undefined)
      issue(c, ptr, 'role has no AssumeRolePolicyDocument: nobody can assume it');
    const role: AwsRole = {
      kind: 'role',
      arn,
      name: str(r.RoleName) ?? arn.slice(arn.lastIndexOf('/') + 1),
      id: str(r.RoleId) ?? '',
      path: str(r.Path) ?? '/',
      account: accountOfArn(arn),
      inlinePolicies: inlineOf(r.RolePolicyList, c, `${ptr}/RolePolicyList`),
      attachedPolicyArns: attachedOf(r.AttachedManagedPolicies),
      boundaryArn: boundaryOf(r.PermissionsBoundary),
      tags: tagsOf(r.Tags),
      trustPolicy: r.AssumeRolePolicyDocument ?? null,
      instanceProfileArns: arr(r.InstanceProfileList).flatMap((p) =>
        isObj(p) && typeof p.Arn === 'string' ? [p.Arn] : [],
      ),
    };
    c.env.roles.push(role);
  });
}

function readManagedPolicies(list: unknown, c: ParseCtx): void {
  arr(list).forEach((p, i) => {
    const ptr = `/Policies/${i}`;
    const arn = isObj(p) ? str(p.Arn) : null;
    if (!isObj(p) || !arn) return issue(c, ptr, 'managed policy without Arn skipped');
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
      name: str(p.PolicyName) ?? arn.slice(arn.lastIndexOf('/') + 1),
      defaultVersionId,
      versions,
      awsManaged: arn.split(':')[4] === 'aws',
    };
    c.env.policies.push(policy);
  });
}

export function readAuthDetails(o: Obj, c: ParseCtx): void {
  readUsers(o.UserDetailList, c);
  readGroups(o.GroupDetailList, c);
  readRoles(o.RoleDetailList, c);
  readManagedPolicies(o.Policies, c);
}
