/**
 * Readers for listings of resources that run with a role (what PassRole techniques and instance
 * credential theft reach). Most listings have one shape — records that each carry an id field, a
 * name field and a role field — and are read by one function driven by the `LISTINGS` table; EC2
 * instances (role reached through an instance profile) and SSM (a status, not a resource) have
 * their own readers. AWS CLI reference, one page per command:
 * https://docs.aws.amazon.com/cli/latest/reference/
 *
 * Each reader returns whether the object had its shape; an object may carry several.
 */
import { accountOfArn, arr, isObj, issue, str, type Obj, type ParseCtx } from './parse-helpers.js';
import type { AwsEnvironment, AwsRoleBearingResource } from './types.js';

type Reader = (o: Obj, c: ParseCtx) => boolean;

/** How one listing names its records and their fields (see `readListing`). */
interface Listing {
  readonly type: AwsRoleBearingResource['type'];
  /** Array field of the list/batch-get call; a bad record is reported at `/list/i`. */
  readonly list?: string;
  /**
   * One-object field of the get/describe call, read when `list` is not an array: as item 0 of
   * `list` (same pointer), or at `/single` when there is no list form.
   */
  readonly single?: string;
  /** The describe call returns the record itself: recognised when its `id` field is a string. */
  readonly self?: true;
  /** Field that identifies a record (its ARN, unless `arnOf`); a record without it is skipped. */
  readonly id: string;
  /** Display-name field; the ARN stands in when it is absent. */
  readonly name?: string;
  /** Field holding the ARN of the role the resource runs as. */
  readonly role: string;
  /** Issue message for a record that is not an object or has no `id`. */
  readonly skipped: string;
  /**
   * For listings that give a name but no ARN: `id` is the name and the ARN is built from it and
   * the role's account (the only account the record tells).
   */
  readonly arnOf?: (name: string, account: string | null) => string;
}

function resourceOf(s: Listing, rec: Obj, id: string): AwsRoleBearingResource {
  const roleArn = str(rec[s.role]);
  if (s.arnOf) {
    const account = roleArn ? accountOfArn(roleArn) : null;
    return { type: s.type, arn: s.arnOf(id, account), name: id, account, roleArn };
  }
  const name = s.name === undefined ? null : str(rec[s.name]);
  return { type: s.type, arn: id, name: name ?? id, account: accountOfArn(id), roleArn };
}

/** Reads the records of one listing, in order; false when the object does not carry it. */
function readListing(s: Listing, o: Obj, c: ParseCtx): boolean {
  if (s.self) {
    const id = o[s.id];
    if (typeof id !== 'string') return false;
    // Recognised by its field, but an empty ARN names nothing: skipped like a listed record without one.
    if (id === '') issue(c, `/${s.id}`, s.skipped);
    else c.env.resources.push(resourceOf(s, o, id));
    return true;
  }
  const listed = s.list === undefined ? undefined : o[s.list];
  const single = s.single === undefined ? undefined : o[s.single];
  const records = Array.isArray(listed) ? listed : isObj(single) ? [single] : null;
  if (!records) return false;
  records.forEach((rec, i) => {
    const id = isObj(rec) ? str(rec[s.id]) : null;
    if (!isObj(rec) || !id)
      return issue(c, s.list === undefined ? `/${s.single}` : `/${s.list}/${i}`, s.skipped);
    c.env.resources.push(resourceOf(s, rec, id));
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
      c.env.resources.push({
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

/** The listings read by `readListing`; `READERS` below sets the order they are tried in. */
const LISTINGS = {
  /**
   * `aws lambda list-functions` (`Functions`) or `get-function` (`Configuration`).
   * https://docs.aws.amazon.com/cli/latest/reference/lambda/list-functions.html
   * https://docs.aws.amazon.com/cli/latest/reference/lambda/get-function.html
   */
  lambda: {
    type: 'lambda-function',
    list: 'Functions',
    single: 'Configuration',
    id: 'FunctionArn',
    name: 'FunctionName',
    role: 'Role',
    skipped: 'function without FunctionArn skipped',
  },
  /** https://docs.aws.amazon.com/cli/latest/reference/cloudformation/describe-stacks.html */
  stacks: {
    type: 'cloudformation-stack',
    list: 'Stacks',
    id: 'StackId',
    name: 'StackName',
    role: 'RoleARN',
    skipped: 'stack without StackId skipped',
  },
  /**
   * `aws glue get-dev-endpoints` (`DevEndpoints`) or `get-dev-endpoint` (`DevEndpoint`): no ARN in
   * the record, built from the documented format (region unknown: `*`).
   * https://docs.aws.amazon.com/cli/latest/reference/glue/get-dev-endpoints.html
   * https://docs.aws.amazon.com/cli/latest/reference/glue/get-dev-endpoint.html
   */
  glue: {
    type: 'glue-dev-endpoint',
    list: 'DevEndpoints',
    single: 'DevEndpoint',
    id: 'EndpointName',
    role: 'RoleArn',
    skipped: 'dev endpoint without EndpointName skipped',
    arnOf: (name, account) => `arn:aws:glue:*:${account ?? '*'}:devEndpoint/${name}`,
  },
  /**
   * The describe call's output is the record itself, recognised by its ARN field (`skipped`: an
   * empty one).
   * https://docs.aws.amazon.com/cli/latest/reference/sagemaker/describe-notebook-instance.html
   */
  notebook: {
    type: 'sagemaker-notebook',
    self: true,
    id: 'NotebookInstanceArn',
    name: 'NotebookInstanceName',
    role: 'RoleArn',
    skipped: 'notebook without NotebookInstanceArn skipped',
  },
  /**
   * The list call has no RoleArn: kept, but only describe-notebook-instance gives the role.
   * https://docs.aws.amazon.com/cli/latest/reference/sagemaker/list-notebook-instances.html
   */
  notebooks: {
    type: 'sagemaker-notebook',
    list: 'NotebookInstances',
    id: 'NotebookInstanceArn',
    name: 'NotebookInstanceName',
    role: 'RoleArn',
    skipped: 'notebook without NotebookInstanceArn skipped',
  },
  /** https://docs.aws.amazon.com/cli/latest/reference/codebuild/batch-get-projects.html */
  codebuild: {
    type: 'codebuild-project',
    list: 'projects',
    id: 'arn',
    name: 'name',
    role: 'serviceRole',
    skipped: 'CodeBuild project without arn skipped',
  },
  /** https://docs.aws.amazon.com/cli/latest/reference/ecs/describe-task-definition.html */
  taskDefinition: {
    type: 'ecs-task-definition',
    single: 'taskDefinition',
    id: 'taskDefinitionArn',
    name: 'family',
    role: 'taskRoleArn',
    skipped: 'task definition without taskDefinitionArn skipped',
  },
} satisfies Record<string, Listing>;

const listing =
  (s: Listing): Reader =>
  (o, c) =>
    readListing(s, o, c);

const READERS: readonly Reader[] = [
  listing(LISTINGS.lambda),
  readInstances, // `aws ec2 describe-instances`
  readSsmInstances, // `aws ssm describe-instance-information`
  listing(LISTINGS.stacks),
  listing(LISTINGS.glue),
  listing(LISTINGS.notebook),
  listing(LISTINGS.notebooks),
  listing(LISTINGS.codebuild),
  listing(LISTINGS.taskDefinition),
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
