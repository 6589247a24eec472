import type { Sensitivity } from '../../model/index.js';
import { accountOf, flatTags, isObject, isoDate, parseArn, str, type Json } from './aws-common.js';

/** One workload or secret read from a listing, before it becomes items. */
export interface ListedResource {
  nativeId: string;
  type: string;
  name?: string;
  account?: string;
  sensitivity?: Sensitivity;
  tags: Record<string, string>;
  attributes: Json;
  /** Roles the resource runs as (ARN, or a bare role name to resolve; `as` says how). */
  runsAs: { role: string; as: string; viaProfile?: boolean }[];
}

export interface ListingSpec {
  id: string;
  title: string;
  /** Top-level key that identifies the output, and the doc for it. */
  key: string;
  /** Other top-level keys that identify the same format (single-item outputs). */
  altKeys?: string[];
  /** Extra substrings the head must contain (to tell apart outputs sharing a key). */
  also?: string[];
  doc: string;
  /** The entries of the output with their JSON pointers. */
  entries(doc: Json): { at: string; value: unknown }[];
  map(value: Json, doc: Json): ListedResource | string;
}

const list = (doc: Json, key: string): { at: string; value: unknown }[] =>
  Array.isArray(doc[key]) ? (doc[key] as unknown[]).map((value, i) => ({ at: `/${key}/${i}`, value })) : [];

/** Environment variable names only: values may be secrets and are never stored. */
function envNames(v: unknown): string[] {
  if (isObject(v) && isObject(v.Variables)) return Object.keys(v.Variables);
  if (Array.isArray(v))
    return v.map((e) => (isObject(e) ? str(e.name) : undefined)).filter((x): x is string => x !== undefined);
  return [];
}

export const LISTING_SPECS: ListingSpec[] = [
  {
    id: 'aws-lambda-functions',
    title: 'AWS Lambda list-functions / get-function',
    key: 'Functions',
    altKeys: ['Configuration'],
    also: ['"FunctionArn"'],
    doc: 'https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html',
    entries: (doc) => list(doc, 'Functions'),
    map(f) {
      const arn = str(f.FunctionArn);
      if (!arn) return 'function without FunctionArn';
      return {
        nativeId: arn,
        type: 'aws-lambda-function',
        name: str(f.FunctionName) ?? parseArn(arn)?.name ?? arn,
        ...(accountOf(arn) ? { account: accountOf(arn)! } : {}),
        tags: flatTags(f.Tags),
        attributes: {
          runtime: f.Runtime,
          handler: f.Handler,
          lastModified: f.LastModified,
          environmentVariableNames: envNames(f.Environment),
          packageType: f.PackageType,
        },
        runsAs: str(f.Role) ? [{ role: str(f.Role)!, as: 'execution-role' }] : [],
      };
    },
  },
  {
    id: 'aws-ec2-instances',
    title: 'AWS EC2 describe-instances',
    key: 'Reservations',
    doc: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html',
    entries: (doc) =>
      list(doc, 'Reservations').flatMap(({ at, value }) =>
        isObject(value) && Array.isArray(value.Instances)
          ? value.Instances.map((inst, j) => ({
              at: `${at}/Instances/${j}`,
              value: isObject(inst) ? { ...inst, _OwnerId: value.OwnerId } : inst,
            }))
          : [{ at, value: 'Reservation without Instances' }],
      ),
    map(x) {
      const id = str(x.InstanceId);
      if (!id) return 'instance without InstanceId';
      const profile = isObject(x.IamInstanceProfile) ? str(x.IamInstanceProfile.Arn) : undefined;
      const az = isObject(x.Placement) ? str(x.Placement.AvailabilityZone) : undefined;
      const account = str(x._OwnerId) ?? accountOf(profile);
      const region = az?.replace(/[a-z]$/, '');
      return {
        // The instance id is unique and is what SSM names too, so both listings meet on one record.
        nativeId: id,
        type: 'aws-ec2-instance',
        name: flatTags(x.Tags).Name ?? id,
        ...(account ? { account } : {}),
        tags: flatTags(x.Tags),
        attributes: {
          ...(region && account ? { arn: `arn:aws:ec2:${region}:${account}:instance/${id}` } : {}),
          state: isObject(x.State) ? x.State.Name : undefined,
          instanceProfileArn: profile,
          publicIpAddress: x.PublicIpAddress,
          privateIpAddress: x.PrivateIpAddress,
          // IMDSv1 lets any SSRF in the workload read the role's credentials.
          httpTokens: isObject(x.MetadataOptions) ? x.MetadataOptions.HttpTokens : undefined,
          launchTime: isoDate(x.LaunchTime),
        },
        runsAs: profile ? [{ role: profile, as: 'instance-profile', viaProfile: true }] : [],
      };
    },
  },
  {
    id: 'aws-ssm-instances',
    title: 'AWS SSM describe-instance-information',
    key: 'InstanceInformationList',
    doc: 'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeInstanceInformation.html',
    entries: (doc) => list(doc, 'InstanceInformationList'),
    map(x) {
      const id = str(x.InstanceId);
      if (!id) return 'instance without InstanceId';
      return {
        nativeId: id,
        type: id.startsWith('mi-') ? 'aws-ssm-managed-instance' : 'aws-ec2-instance',
        name: str(x.ComputerName) ?? str(x.Name) ?? id,
        tags: {},
        attributes: {
          ssmPingStatus: x.PingStatus,
          ssmLastPingAt: isoDate(x.LastPingDateTime),
          platformType: x.PlatformType,
          platformName: x.PlatformName,
          ssmResourceType: x.ResourceType,
          ipAddress: x.IPAddress,
          ssmIamRole: x.IamRole,
          // Whoever may ssm:SendCommand / StartSession here acts as the instance's role.
          ssmManaged: true,
        },
        runsAs: str(x.IamRole) ? [{ role: str(x.IamRole)!, as: 'ssm-instance-role' }] : [],
      };
    },
  },
  {
    id: 'aws-cloudformation-stacks',
    title: 'AWS CloudFormation describe-stacks',
    key: 'Stacks',
    also: ['"StackName"'],
    doc: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html',
    entries: (doc) => list(doc, 'Stacks'),
    map(s) {
      const id = str(s.StackId);
      if (!id) return 'stack without StackId';
      return {
        nativeId: id,
        type: 'aws-cloudformation-stack',
        name: str(s.StackName) ?? id,
        ...(accountOf(id) ? { account: accountOf(id)! } : {}),
        tags: flatTags(s.Tags),
        attributes: {
          status: s.StackStatus,
          capabilities: s.Capabilities,
          createdAt: isoDate(s.CreationTime),
        },
        runsAs: str(s.RoleARN) ? [{ role: str(s.RoleARN)!, as: 'service-role' }] : [],
      };
    },
  },
  {
    id: 'aws-glue-dev-endpoints',
    title: 'AWS Glue get-dev-endpoints',
    key: 'DevEndpoints',
    doc: 'https://docs.aws.amazon.com/glue/latest/webapi/API_GetDevEndpoints.html',
    entries: (doc) => list(doc, 'DevEndpoints'),
    map(e) {
      const name = str(e.EndpointName);
      if (!name) return 'dev endpoint without EndpointName';
      const role = str(e.RoleArn);
      const account = accountOf(role);
      return {
        // The API returns no ARN; this is the documented ARN form without the region it lacks.
        nativeId: `arn:aws:glue::${account ?? ''}:devEndpoint/${name}`,
        type: 'aws-glue-dev-endpoint',
        name,
        ...(account ? { account } : {}),
        tags: {},
        attributes: {
          status: e.Status,
          publicAddress: e.PublicAddress,
          hasPublicKeys: Boolean(e.PublicKey ?? e.PublicKeys),
        },
        runsAs: role ? [{ role, as: 'service-role' }] : [],
      };
    },
  },
  {
    id: 'aws-sagemaker-notebooks',
    title: 'AWS SageMaker list-notebook-instances / describe-notebook-instance',
    key: 'NotebookInstances',
    altKeys: ['NotebookInstanceArn'],
    doc: 'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeNotebookInstance.html',
    entries: (doc) =>
      Array.isArray(doc.NotebookInstances) ? list(doc, 'NotebookInstances') : [{ at: '', value: doc }],
    map(n) {
      const arn = str(n.NotebookInstanceArn);
      if (!arn) return 'notebook instance without NotebookInstanceArn';
      return {
        nativeId: arn,
        type: 'aws-sagemaker-notebook-instance',
        name: str(n.NotebookInstanceName) ?? arn,
        ...(accountOf(arn) ? { account: accountOf(arn)! } : {}),
        tags: flatTags(n.Tags),
        attributes: {
          status: n.NotebookInstanceStatus,
          directInternetAccess: n.DirectInternetAccess,
          rootAccess: n.RootAccess,
          url: n.Url,
        },
        runsAs: str(n.RoleArn) ? [{ role: str(n.RoleArn)!, as: 'execution-role' }] : [],
      };
    },
  },
  {
    id: 'aws-codebuild-projects',
    title: 'AWS CodeBuild batch-get-projects',
    key: 'projects',
    also: ['"serviceRole"'],
    doc: 'https://docs.aws.amazon.com/codebuild/latest/APIReference/API_BatchGetProjects.html',
    entries: (doc) => list(doc, 'projects'),
    map(p) {
      const arn = str(p.arn);
      if (!arn) return 'project without arn';
      const env = isObject(p.environment) ? p.environment.environmentVariables : undefined;
      const plaintext = Array.isArray(env)
        ? env
            .filter((e) => isObject(e) && (e.type ?? 'PLAINTEXT') === 'PLAINTEXT')
            .map((e) => (e as Json).name)
        : [];
      return {
        nativeId: arn,
        type: 'aws-codebuild-project',
        name: str(p.name) ?? arn,
        ...(accountOf(arn) ? { account: accountOf(arn)! } : {}),
        tags: flatTags(p.tags),
        attributes: {
          environmentVariableNames: envNames(env),
          // Plain-text variables are visible to anyone who can read the project: names only here.
          plaintextVariableNames: plaintext,
          sourceType: isObject(p.source) ? p.source.type : undefined,
          sourceLocation: isObject(p.source) ? p.source.location : undefined,
        },
        runsAs: str(p.serviceRole) ? [{ role: str(p.serviceRole)!, as: 'service-role' }] : [],
      };
    },
  },
  {
    id: 'aws-ecs-task-definition',
    title: 'AWS ECS describe-task-definition',
    key: 'taskDefinition',
    doc: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html',
    entries: (doc) =>
      isObject(doc.taskDefinition)
        ? [{ at: '/taskDefinition', value: { ...doc.taskDefinition, _tags: doc.tags } }]
        : [],
    map(t) {
      const arn = str(t.taskDefinitionArn);
      if (!arn) return 'task definition without taskDefinitionArn';
      const containers = Array.isArray(t.containerDefinitions) ? t.containerDefinitions.filter(isObject) : [];
      const runsAs: ListedResource['runsAs'] = [];
      if (str(t.taskRoleArn)) runsAs.push({ role: str(t.taskRoleArn)!, as: 'task-role' });
      if (str(t.executionRoleArn)) runsAs.push({ role: str(t.executionRoleArn)!, as: 'execution-role' });
      return {
        nativeId: arn,
        type: 'aws-ecs-task-definition',
        name: str(t.family) ? `${t.family as string}:${String(t.revision ?? '')}` : arn,
        ...(accountOf(arn) ? { account: accountOf(arn)! } : {}),
        tags: flatTags(t._tags),
        attributes: {
          containers: containers.map((c) => ({
            name: c.name,
            image: c.image,
            environmentVariableNames: envNames(c.environment),
            // References to Secrets Manager / SSM parameters the task reads at start.
            secrets: Array.isArray(c.secrets)
              ? c.secrets.filter(isObject).map((s) => ({ name: s.name, valueFrom: s.valueFrom }))
              : [],
          })),
          networkMode: t.networkMode,
        },
        runsAs,
      };
    },
  },
  {
    id: 'aws-secretsmanager-secrets',
    title: 'AWS Secrets Manager list-secrets',
    key: 'SecretList',
    doc: 'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html',
    entries: (doc) => list(doc, 'SecretList'),
    map(s) {
      const arn = str(s.ARN);
      if (!arn) return 'secret without ARN';
      return {
        nativeId: arn,
        type: 'aws-secretsmanager-secret',
        name: str(s.Name) ?? arn,
        ...(accountOf(arn) ? { account: accountOf(arn)! } : {}),
        sensitivity: 'high',
        tags: flatTags(s.Tags),
        attributes: {
          rotationEnabled: s.RotationEnabled === true,
          rotationLambdaArn: s.RotationLambdaARN,
          rotationDays: isObject(s.RotationRules) ? s.RotationRules.AutomaticallyAfterDays : undefined,
          lastRotatedAt: isoDate(s.LastRotatedDate),
          lastChangedAt: isoDate(s.LastChangedDate),
          lastAccessedAt: isoDate(s.LastAccessedDate),
          createdAt: isoDate(s.CreatedDate),
          kmsKeyId: s.KmsKeyId,
          owningService: s.OwningService,
        },
        runsAs: [],
      };
    },
  },
];
