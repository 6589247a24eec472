/**
 * Readers for listings of resources that run with a role (what PassRole techniques and instance
 * credential theft reach): `aws lambda list-functions` / `get-function`, `aws ec2
 * describe-instances`, `aws ssm describe-instance-information`, `aws cloudformation
 * describe-stacks`, `aws glue get-dev-endpoints`, `aws sagemaker describe-notebook-instance` /
 * `list-notebook-instances`, `aws codebuild batch-get-projects`, `aws ecs describe-task-definition`.
 * https://docs.aws.amazon.com/cli/latest/reference/ (one page per command)
 *
 * Each reader returns whether the object had its shape; an object may carry several.
 */
import { accountOfArn, arr, isObj, issue, str, type Obj, type ParseCtx } from './parse-helpers.js';
import type { AwsEnvironment, AwsRoleBearingResource } from './types.js';

function push(c: ParseCtx, r: AwsRoleBearingResource): void {
  c.env.resources.push(r);
}

function readFunctions(o: Obj, c: ParseCtx): boolean {
  const fns = Array.isArray(o.Functions) ? o.Functions : isObj(o.Configuration) ? [o.Configuration] : null;
  if (!fns) return false;
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
  return true;
}

/** EC2 instances keep their instance profile; `resolveInstanceRoles` maps it to the role at the end. */
function readInstances(o: Obj, c: ParseCtx): boolean {
  if (!Array.isArray(o.Reservations)) return false;
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
  return true;
}

/** SSM-managed instances (an online agent makes `ssm:SendCommand` a way in). */
function readSsmInstances(o: Obj, c: ParseCtx): boolean {
  if (!Array.isArray(o.InstanceInformationList)) return false;
  for (const info of o.InstanceInformationList) {
    if (isObj(info) && typeof info.InstanceId === 'string')
      c.ssm.set(info.InstanceId, info.PingStatus === 'Online');
  }
  return true;
}

function readStacks(o: Obj, c: ParseCtx): boolean {
  if (!Array.isArray(o.Stacks)) return false;
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
  return true;
}

function readDevEndpoints(o: Obj, c: ParseCtx): boolean {
  const devs = Array.isArray(o.DevEndpoints) ? o.DevEndpoints : isObj(o.DevEndpoint) ? [o.DevEndpoint] : null;
  if (!devs) return false;
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
  return true;
}

function readNotebook(o: Obj, c: ParseCtx): boolean {
  if (typeof o.NotebookInstanceArn !== 'string') return false;
  const arn = o.NotebookInstanceArn;
  push(c, {
    type: 'sagemaker-notebook',
    arn,
    name: str(o.NotebookInstanceName) ?? arn,
    account: accountOfArn(arn),
    roleArn: str(o.RoleArn),
  });
  return true;
}

/** The list call has no RoleArn: kept, but only describe-notebook-instance gives the role. */
function readNotebookList(o: Obj, c: ParseCtx): boolean {
  if (!Array.isArray(o.NotebookInstances)) return false;
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
  return true;
}

function readCodeBuildProjects(o: Obj, c: ParseCtx): boolean {
  if (!Array.isArray(o.projects)) return false;
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
  return true;
}

function readTaskDefinition(o: Obj, c: ParseCtx): boolean {
  if (!isObj(o.taskDefinition)) return false;
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
  return true;
}

const READERS = [
  readFunctions,
  readInstances,
  readSsmInstances,
  readStacks,
  readDevEndpoints,
  readNotebook,
  readNotebookList,
  readCodeBuildProjects,
  readTaskDefinition,
];

/** Runs every reader on the object (in this order); true when at least one recognised it. */
export function readRoleResources(o: Obj, c: ParseCtx): boolean {
  let hit = false;
  for (const read of READERS) if (read(o, c)) hit = true;
  return hit;
}

/**
 * Once every input is read: resolves each EC2 instance's profile to its role (the authorization
 * details list the profiles of each role) and attaches its SSM status.
 */
export function resolveInstanceRoles(env: AwsEnvironment, ssm: ReadonlyMap<string, boolean>): void {
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
}
