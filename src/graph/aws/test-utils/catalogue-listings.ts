/**
 * Resource listings and the credential report of the catalogue corpus, in the shape the AWS CLI
 * prints them (lambda list-functions, glue get-dev-endpoints, cloudformation describe-stacks, ec2
 * describe-instances, ssm describe-instance-information, ecs describe-task-definition, sagemaker
 * describe-notebook-instance, iam get-credential-report).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
 */
import { CORPUS_ACCOUNT as A, roleArn, userArn } from './catalogue-corpus.js';

export const FN = `arn:aws:lambda:us-east-1:${A}:function:iam-vulnerable-fn`;
const INSTANCE = 'i-0a1b2c3d4e5f60718';

/** `aws iam get-credential-report` output for the named users (others stay unknown). */
export function credentialReport(users: Array<[name: string, password: boolean, keys: number]>): unknown {
  const header =
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const key = (has: boolean): string =>
    has ? 'true,2024-03-01T10:00:00+00:00,N/A,N/A,N/A' : 'false,N/A,N/A,N/A,N/A';
  const lines = [header];
  for (const [name, pw, keys] of users) {
    const arn = name === 'no-password-admin' ? userArn(name, '/ops/') : userArn(name);
    lines.push(
      `${name},${arn},2024-03-01T10:00:00+00:00,${pw},${pw ? '2024-05-01T10:00:00+00:00' : 'N/A'},${pw ? '2024-03-01T10:00:00+00:00' : 'N/A'},N/A,false,${key(keys >= 1)},${key(keys >= 2)},false,N/A,false,N/A`,
    );
  }
  return {
    Content: Buffer.from(lines.join('\n') + '\n').toString('base64'),
    ReportFormat: 'text/csv',
    GeneratedTime: '2024-06-01T00:00:00+00:00',
  };
}

/** Listings of existing resources that run as the administrator service roles. */
export function listings(): Record<string, unknown> {
  return {
    'lambda-list-functions.json': {
      Functions: [
        {
          FunctionName: 'iam-vulnerable-fn',
          FunctionArn: FN,
          Runtime: 'python3.12',
          Role: roleArn('lambda-admin-role'),
          Handler: 'index.handler',
          CodeSize: 312,
          Description: '',
          Timeout: 3,
          MemorySize: 128,
          LastModified: '2024-03-01T10:00:00.000+0000',
          CodeSha256: 'wDQ0Xb1Vn3yTmE3Rk2u0x1K9y6yZ8lL1nqg7c9Jt1xA=',
          Version: '$LATEST',
          TracingConfig: { Mode: 'PassThrough' },
          RevisionId: '5f0e7d1e-2f4c-4b8a-9a8e-0d1c2b3a4f5e',
          PackageType: 'Zip',
          Architectures: ['x86_64'],
          EphemeralStorage: { Size: 512 },
        },
      ],
    },
    'glue-get-dev-endpoints.json': {
      DevEndpoints: [
        {
          EndpointName: 'iam-vulnerable-endpoint',
          RoleArn: roleArn('glue-admin-role'),
          SecurityGroupIds: [],
          Status: 'READY',
          GlueVersion: '1.0',
          NumberOfNodes: 2,
          PublicAddress: 'ec2-198-51-100-7.compute-1.amazonaws.com',
          CreatedTimestamp: '2024-03-01T10:00:00+00:00',
          LastModifiedTimestamp: '2024-03-01T10:00:00+00:00',
        },
      ],
    },
    'cloudformation-describe-stacks.json': {
      Stacks: [
        {
          StackId: `arn:aws:cloudformation:us-east-1:${A}:stack/iam-vulnerable-stack/0b1e4a10-d7a1-11ee-9a0c-0a1b2c3d4e5f`,
          StackName: 'iam-vulnerable-stack',
          CreationTime: '2024-03-01T10:00:00.000000+00:00',
          RollbackConfiguration: {},
          StackStatus: 'CREATE_COMPLETE',
          DisableRollback: false,
          NotificationARNs: [],
          Capabilities: ['CAPABILITY_IAM'],
          RoleARN: roleArn('cloudformation-admin-role'),
          Tags: [],
          EnableTerminationProtection: false,
          DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
        },
      ],
    },
    'ec2-describe-instances.json': {
      Reservations: [
        {
          Groups: [],
          Instances: [
            {
              AmiLaunchIndex: 0,
              ImageId: 'ami-0abcdef1234567890',
              InstanceId: INSTANCE,
              InstanceType: 't3.micro',
              LaunchTime: '2024-03-01T10:00:00+00:00',
              Placement: { AvailabilityZone: 'us-east-1a', GroupName: '', Tenancy: 'default' },
              PrivateIpAddress: '10.0.1.25',
              PublicIpAddress: '203.0.113.25',
              State: { Code: 16, Name: 'running' },
              IamInstanceProfile: {
                Arn: `arn:aws:iam::${A}:instance-profile/ec2-admin-role`,
                Id: 'AIPAEXAMPLEPROFILE01',
              },
              MetadataOptions: { State: 'applied', HttpTokens: 'required', HttpEndpoint: 'enabled' },
              Tags: [{ Key: 'Name', Value: 'iam-vulnerable-instance' }],
            },
          ],
          OwnerId: A,
          ReservationId: 'r-0a1b2c3d4e5f60718',
        },
      ],
    },
    'ssm-describe-instance-information.json': {
      InstanceInformationList: [
        {
          InstanceId: INSTANCE,
          PingStatus: 'Online',
          LastPingDateTime: '2024-06-01T10:00:00+00:00',
          AgentVersion: '3.3.40.0',
          IsLatestVersion: false,
          PlatformType: 'Linux',
          PlatformName: 'Amazon Linux',
          PlatformVersion: '2023',
          ResourceType: 'EC2Instance',
          IPAddress: '10.0.1.25',
          ComputerName: 'ip-10-0-1-25.ec2.internal',
        },
      ],
    },
    'ecs-describe-task-definition.json': {
      taskDefinition: {
        taskDefinitionArn: `arn:aws:ecs:us-east-1:${A}:task-definition/app:3`,
        containerDefinitions: [
          { name: 'app', image: 'public.ecr.aws/docker/library/busybox:latest', cpu: 0, essential: true },
        ],
        family: 'app',
        taskRoleArn: roleArn('ecs-app-role'),
        networkMode: 'awsvpc',
        revision: 3,
        volumes: [],
        status: 'ACTIVE',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        registeredAt: '2024-03-01T10:00:00+00:00',
      },
    },
    'sagemaker-describe-notebook-instance.json': {
      NotebookInstanceArn: `arn:aws:sagemaker:us-east-1:${A}:notebook-instance/iam-vulnerable-notebook`,
      NotebookInstanceName: 'iam-vulnerable-notebook',
      NotebookInstanceStatus: 'InService',
      Url: 'iam-vulnerable-notebook.notebook.us-east-1.sagemaker.aws',
      InstanceType: 'ml.t3.medium',
      RoleArn: roleArn('sagemaker-admin-role'),
      LastModifiedTime: '2024-03-01T10:00:00+00:00',
      CreationTime: '2024-03-01T10:00:00+00:00',
      DirectInternetAccess: 'Enabled',
      VolumeSizeInGB: 5,
      RootAccess: 'Enabled',
      PlatformIdentifier: 'notebook-al2-v2',
    },
  };
}
