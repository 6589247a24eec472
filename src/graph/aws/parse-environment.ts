/**
 * Recognises the raw AWS CLI JSON shapes the analysis needs and merges them into one
 * `AwsEnvironment`. One bad record is reported (source, JSON pointer, reason) and skipped; it never
 * aborts the rest.
 *
 * Shapes (AWS CLI output, pages merged or not):
 * - `aws iam get-account-authorization-details`
 *   https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 * - `aws iam get-credential-report` (`{Content: base64 CSV}`) or the CSV text itself
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
 * - `aws iam list-access-keys` https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccessKeys.html
 * - `aws organizations describe-policy` (SCP) and `describe-organization` (management account)
 *   https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribePolicy.html
 * - `aws lambda list-functions` / `get-function`, `aws ec2 describe-instances`,
 *   `aws ssm describe-instance-information`, `aws cloudformation describe-stacks`,
 *   `aws glue get-dev-endpoints`, `aws sagemaker describe-notebook-instance` / `list-notebook-instances`,
 *   `aws codebuild batch-get-projects`, `aws ecs describe-task-definition`.
 * - resource-based policies and inventories (bucket, key, function, secret, queue and topic
 *   policies; list-buckets, list-keys, describe-key, list-secrets): see `parse-resource-policies.ts`.
 */
import type {
  AwsEnvironment,
  AwsGroup,
  AwsInlinePolicy,
  AwsManagedPolicy,
  AwsRole,
  AwsRoleBearingResource,
  AwsUser,
} from './types.js';
import {
  finishResourcePolicies,
  readInventory,
  readResourcePolicy,
  type ReadCtx,
} from './parse-resource-policies.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** Account id of an ARN (`arn:partition:service:region:account:resource`), '' when absent. */
export function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}

/** Creates an empty environment (useful to build one by hand in tests). */
export function emptyAwsEnvironment(): AwsEnvironment {
  return {
    users: [],
    roles: [],
    groups: [],
    policies: [],
    scps: [],
    managementAccounts: [],
    accessKeyCounts: new Map(),
    passwordEnabled: new Map(),
    resources: [],
    issues: [],
  };
}

interface Ctx {
  env: AwsEnvironment;
  source: string;
  ssm: Map<string, boolean>;
  /** User names with a login profile (`aws iam get-login-profile`), resolved to ARNs at the end. */
  logins: Set<string>;
}

function issue(c: Ctx, pointer: string, message: string): void {
  c.env.issues.push({ source: c.source, pointer, message });
}

function tagsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of arr(v)) if (isObj(t) && typeof t.Key === 'string') out[t.Key] = str(t.Value) ?? '';
  return out;
}

function inlineOf(v: unknown, c: Ctx, ptr: string): AwsInlinePolicy[] {
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

function readAuthDetails(o: Obj, c: Ctx): void {
  arr(o.UserDetailList).forEach((u, i) => {
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
  arr(o.GroupDetailList).forEach((g, i) => {
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
  arr(o.RoleDetailList).forEach((r, i) => {
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
  arr(o.Policies).forEach((p, i) => {
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

/** Minimal RFC 4180 line splitter (the credential report never quotes, but be safe). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function readCredentialReport(csv: string, c: Ctx): void {
  const lines = csv.split(/\r?\n/).filter((l) => l.length > 0);
  const header = splitCsvLine(lines[0] ?? '');
  const col = (n: string): number => header.indexOf(n);
  const iUser = col('user');
  const iArn = col('arn');
  const iPwd = col('password_enabled');
  const iK1 = col('access_key_1_last_rotated');
  const iK2 = col('access_key_2_last_rotated');
  if (iArn < 0 || iPwd < 0)
    return issue(c, '/Content', 'credential report lacks the arn or password_enabled column');
  for (let n = 1; n < lines.length; n++) {
    const f = splitCsvLine(lines[n] ?? '');
    const arn = f[iArn];
    if (!arn || f[iUser] === '<root_account>') continue;
    if (f.length < header.length) {
      issue(c, `/Content line ${n + 1}`, `row has ${f.length} fields, expected ${header.length}: skipped`);
      continue;
    }
    const pwd = f[iPwd];
    if (pwd === 'true' || pwd === 'false') c.env.passwordEnabled.set(arn, pwd === 'true');
    if (iK1 >= 0 && iK2 >= 0) {
      // A key that exists (active or not) has a rotation date; N/A means no such key.
      const keys = [f[iK1], f[iK2]].filter((v) => v && v !== 'N/A' && v !== 'not_supported').length;
      const name = f[iUser] ?? arn.slice(arn.lastIndexOf('/') + 1);
      if (!c.env.accessKeyCounts.has(name)) c.env.accessKeyCounts.set(name, keys);
    }
  }
}

function push(c: Ctx, r: AwsRoleBearingResource): void {
  c.env.resources.push(r);
}

function readResources(o: Obj, c: Ctx): boolean {
  let hit = false;
  const fns = Array.isArray(o.Functions) ? o.Functions : isObj(o.Configuration) ? [o.Configuration] : null;
  if (fns) {
    hit = true;
    fns.forEach((f, i) => {
      const arn = isObj(f) ? str(f.FunctionArn) : null;
      if (!isObj(f) || !arn) return issue(c, `/Functions/${i}`, 'function without FunctionArn skipped');
      push(c, {
        type: 'lambda-function',
        arn,
        name: str(f.FunctionName) ?? arn,
        account: accountOfArn(arn),
        roleArn: str(f.Role),
      });
    });
  }
  if (Array.isArray(o.Reservations)) {
    hit = true;
    o.Reservations.forEach((res, i) => {
      if (!isObj(res)) return issue(c, `/Reservations/${i}`, 'reservation is not an object');
      const owner = str(res.OwnerId);
      arr(res.Instances).forEach((inst, j) => {
        const id = isObj(inst) ? str(inst.InstanceId) : null;
        if (!isObj(inst) || !id)
          return issue(c, `/Reservations/${i}/Instances/${j}`, 'instance without InstanceId skipped');
        const prof = isObj(inst.IamInstanceProfile) ? str(inst.IamInstanceProfile.Arn) : null;
        const account = owner ?? (prof ? accountOfArn(prof) : null);
        const az = isObj(inst.Placement) ? (str(inst.Placement.AvailabilityZone) ?? '') : '';
        const region = az.replace(/[a-z]$/, '') || '*';
        const base = {
          type: 'ec2-instance' as const,
          arn: `arn:aws:ec2:${region}:${account ?? '*'}:instance/${id}`,
          name: id,
          account,
          roleArn: null,
          state: isObj(inst.State) ? (str(inst.State.Name) ?? 'unknown') : 'unknown',
        };
        const ip = str(inst.PublicIpAddress);
        push(c, {
          ...base,
          ...(prof ? { instanceProfileArn: prof } : {}),
          ...(ip ? { publicIp: ip } : {}),
        });
      });
    });
  }
  if (Array.isArray(o.InstanceInformationList)) {
    hit = true;
    for (const info of o.InstanceInformationList) {
      if (isObj(info) && typeof info.InstanceId === 'string')
        c.ssm.set(info.InstanceId, info.PingStatus === 'Online');
    }
  }
  if (Array.isArray(o.Stacks)) {
    hit = true;
    o.Stacks.forEach((s, i) => {
      const arn = isObj(s) ? str(s.StackId) : null;
      if (!isObj(s) || !arn) return issue(c, `/Stacks/${i}`, 'stack without StackId skipped');
      push(c, {
        type: 'cloudformation-stack',
        arn,
        name: str(s.StackName) ?? arn,
        account: accountOfArn(arn),
        roleArn: str(s.RoleARN),
      });
    });
  }
  const devs = Array.isArray(o.DevEndpoints) ? o.DevEndpoints : isObj(o.DevEndpoint) ? [o.DevEndpoint] : null;
  if (devs) {
    hit = true;
    devs.forEach((d, i) => {
      const name = isObj(d) ? str(d.EndpointName) : null;
      if (!isObj(d) || !name)
        return issue(c, `/DevEndpoints/${i}`, 'dev endpoint without EndpointName skipped');
      const role = str(d.RoleArn);
      const account = role ? accountOfArn(role) : null;
      push(c, {
        type: 'glue-dev-endpoint',
        arn: `arn:aws:glue:*:${account ?? '*'}:devEndpoint/${name}`,
        name,
        account,
        roleArn: role,
      });
    });
  }
  if (typeof o.NotebookInstanceArn === 'string') {
    hit = true;
    const arn = o.NotebookInstanceArn;
    push(c, {
      type: 'sagemaker-notebook',
      arn,
      name: str(o.NotebookInstanceName) ?? arn,
      account: accountOfArn(arn),
      roleArn: str(o.RoleArn),
    });
  }
  if (Array.isArray(o.NotebookInstances)) {
    hit = true; // the list call has no RoleArn: kept, but only describe-notebook-instance gives the role
    o.NotebookInstances.forEach((n, i) => {
      const arn = isObj(n) ? str(n.NotebookInstanceArn) : null;
      if (!isObj(n) || !arn)
        return issue(c, `/NotebookInstances/${i}`, 'notebook without NotebookInstanceArn skipped');
      push(c, {
        type: 'sagemaker-notebook',
        arn,
        name: str(n.NotebookInstanceName) ?? arn,
        account: accountOfArn(arn),
        roleArn: str(n.RoleArn),
      });
    });
  }
  if (Array.isArray(o.projects)) {
    hit = true;
    o.projects.forEach((p, i) => {
      const arn = isObj(p) ? str(p.arn) : null;
      if (!isObj(p) || !arn) return issue(c, `/projects/${i}`, 'CodeBuild project without arn skipped');
      push(c, {
        type: 'codebuild-project',
        arn,
        name: str(p.name) ?? arn,
        account: accountOfArn(arn),
        roleArn: str(p.serviceRole),
      });
    });
  }
  if (isObj(o.taskDefinition)) {
    hit = true;
    const td = o.taskDefinition;
    const arn = str(td.taskDefinitionArn);
    if (!arn) issue(c, '/taskDefinition', 'task definition without taskDefinitionArn skipped');
    else
      push(c, {
        type: 'ecs-task-definition',
        arn,
        name: str(td.family) ?? arn,
        account: accountOfArn(arn),
        roleArn: str(td.taskRoleArn),
      });
  }
  return hit;
}

function readOne(input: unknown, c: Ctx): void {
  if (typeof input === 'string') {
    if (/^user,arn,/.test(input)) return readCredentialReport(input, c);
    try {
      return readOne(JSON.parse(input), c);
    } catch {
      return issue(c, '', 'text input is neither JSON nor a credential report CSV');
    }
  }
  if (Array.isArray(input)) {
    input.forEach((x, i) => readOne(x, { ...c, source: `${c.source}/${i}` }));
    return;
  }
  if (!isObj(input)) return issue(c, '', 'input is not a JSON object');
  const o = input;
  if (
    'UserDetailList' in o ||
    'RoleDetailList' in o ||
    'GroupDetailList' in o ||
    ('Policies' in o &&
      Array.isArray(o.Policies) &&
      o.Policies.some((p) => isObj(p) && 'PolicyVersionList' in p))
  ) {
    return readAuthDetails(o, c);
  }
  if (typeof o.Content === 'string' && (o.ReportFormat === 'text/csv' || 'GeneratedTime' in o)) {
    return readCredentialReport(Buffer.from(o.Content, 'base64').toString('utf8'), c);
  }
  if (Array.isArray(o.AccessKeyMetadata)) {
    const per = new Map<string, number>();
    o.AccessKeyMetadata.forEach((k, i) => {
      if (!isObj(k) || typeof k.UserName !== 'string')
        return issue(c, `/AccessKeyMetadata/${i}`, 'access key without UserName skipped');
      per.set(k.UserName, (per.get(k.UserName) ?? 0) + 1);
    });
    for (const [u, n] of per) c.env.accessKeyCounts.set(u, n); // list-access-keys is authoritative
    return;
  }
  // `aws iam get-login-profile`: the user has a console password (the call fails when it has none).
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetLoginProfile.html
  if (isObj(o.LoginProfile)) {
    const u = str(o.LoginProfile.UserName);
    if (u) c.logins.add(u);
    else issue(c, '/LoginProfile', 'login profile without UserName skipped');
    return;
  }
  if (isObj(o.Policy) && isObj(o.Policy.PolicySummary)) {
    const s = o.Policy.PolicySummary;
    if (s.Type !== undefined && s.Type !== 'SERVICE_CONTROL_POLICY')
      return issue(c, '/Policy/PolicySummary/Type', `organization policy of type ${String(s.Type)} ignored`);
    c.env.scps.push({ id: str(s.Id) ?? '', name: str(s.Name) ?? '', document: o.Policy.Content });
    return;
  }
  if (isObj(o.Organization)) {
    const m = str(o.Organization.MasterAccountId) ?? str(o.Organization.ManagementAccountId);
    if (m) c.env.managementAccounts.push(m);
    return;
  }
  const rc: ReadCtx = { env: c.env, source: c.source, issue: (ptr, msg) => issue(c, ptr, msg) };
  if (readResourcePolicy(o, rc)) return;
  if (readResources(o, c)) {
    readInventory(o, rc); // a listing may also name plain resources (secrets)
    return;
  }
  if (readInventory(o, rc)) return;
  issue(c, '', 'unrecognised AWS JSON shape');
}

/**
 * Parses raw AWS CLI JSON values (already `JSON.parse`d, or text) into one environment.
 *
 * @example
 * const env = parseAwsEnvironment([authDetails, accessKeys, credentialReport], ['auth.json', 'keys.json', 'report.json']);
 * for (const i of env.issues) console.error(`${i.source}${i.pointer}: ${i.message}`);
 */
export function parseAwsEnvironment(jsons: readonly unknown[], labels?: readonly string[]): AwsEnvironment {
  const env = emptyAwsEnvironment();
  const ssm = new Map<string, boolean>();
  const logins = new Set<string>();
  jsons.forEach((j, i) => readOne(j, { env, source: labels?.[i] ?? `input[${i}]`, ssm, logins }));
  for (const u of env.users) if (logins.has(u.name)) env.passwordEnabled.set(u.arn, true);
  // Resolve EC2 instance profiles to roles and attach SSM status, now that every input is read.
  const roleByProfile = new Map<string, string>();
  for (const r of env.roles) for (const p of r.instanceProfileArns) roleByProfile.set(p, r.arn);
  for (let k = 0; k < env.resources.length; k++) {
    const r = env.resources[k]!;
    if (r.type !== 'ec2-instance') continue;
    const role = r.instanceProfileArn ? (roleByProfile.get(r.instanceProfileArn) ?? null) : null;
    if (r.instanceProfileArn && !role)
      env.issues.push({
        source: 'ec2',
        pointer: r.arn,
        message: `instance profile ${r.instanceProfileArn} is not in the authorization details`,
      });
    env.resources[k] = { ...r, roleArn: role, ssmOnline: ssm.get(r.name) ?? false };
  }
  finishResourcePolicies(env);
  return env;
}
