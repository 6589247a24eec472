/** Resource listings in the AWS CLI's output shapes (one builder per command, docs in resource-listing-specs.ts). */
import type { Doc } from './aws-fixtures.js';

export function listings(account: string, secretValue: string): Record<string, Doc> {
  const role = (n: string) => `arn:aws:iam::${account}:role/${n}`;
  return {
    'lambda-list-functions.json': {
      Functions: [
        {
          FunctionName: 'support-bot-handler',
          FunctionArn: `arn:aws:lambda:eu-west-1:${account}:function:support-bot-handler`,
          Runtime: 'python3.12',
          Role: role('service-role/agent-runner'),
          Handler: 'app.handler',
          CodeSize: 1024,
          Timeout: 30,
          MemorySize: 256,
          LastModified: '2026-10-01T10:00:00.000+0000',
          Version: '$LATEST',
          Environment: { Variables: { DB_PASSWORD: secretValue, LOG_LEVEL: 'info' } },
          PackageType: 'Zip',
          Architectures: ['x86_64'],
        },
        { FunctionName: 'no-arn', Role: role('x') },
      ],
    },
    'lambda-get-function.json': {
      Configuration: {
        FunctionName: 'support-bot-handler',
        FunctionArn: `arn:aws:lambda:eu-west-1:${account}:function:support-bot-handler`,
        Role: role('service-role/agent-runner'),
        Runtime: 'python3.12',
      },
      Code: { RepositoryType: 'S3', Location: 'https://example.invalid/code' },
      Tags: { agent: 'support-bot', team: 'cx' },
    },
    'ec2-describe-instances.json': {
      Reservations: [
        {
          ReservationId: 'r-0123456789abcdef0',
          OwnerId: account,
          Groups: [],
          Instances: [
            {
              InstanceId: 'i-0abc1234def567890',
              InstanceType: 't3.medium',
              LaunchTime: '2026-09-01T08:00:00+00:00',
              Placement: { AvailabilityZone: 'eu-west-1b', Tenancy: 'default' },
              PrivateIpAddress: '10.0.1.10',
              State: { Code: 16, Name: 'running' },
              IamInstanceProfile: {
                Arn: `arn:aws:iam::${account}:instance-profile/agent-runner-profile`,
                Id: 'AIPAEXAMPLEPROFILE01',
              },
              MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' },
              Tags: [
                { Key: 'Name', Value: 'rag-worker' },
                { Key: 'warden.io/agent', Value: 'rag-indexer' },
              ],
            },
          ],
        },
      ],
    },
    'ssm-describe-instance-information.json': {
      InstanceInformationList: [
        {
          InstanceId: 'i-0abc1234def567890',
          PingStatus: 'Online',
          LastPingDateTime: '2026-11-25T10:00:00+00:00',
          PlatformType: 'Linux',
          PlatformName: 'Amazon Linux',
          ResourceType: 'EC2Instance',
          IPAddress: '10.0.1.10',
          ComputerName: 'ip-10-0-1-10',
          IamRole: 'agent-runner',
        },
      ],
    },
    'cloudformation-describe-stacks.json': {
      Stacks: [
        {
          StackId: `arn:aws:cloudformation:eu-west-1:${account}:stack/agents/1a2b3c4d-0000-1111-2222-333344445555`,
          StackName: 'agents',
          CreationTime: '2026-01-01T00:00:00+00:00',
          StackStatus: 'UPDATE_COMPLETE',
          Capabilities: ['CAPABILITY_NAMED_IAM'],
          RoleARN: role('cfn-deployer'),
          Tags: [],
        },
      ],
    },
    'glue-get-dev-endpoints.json': {
      DevEndpoints: [
        {
          EndpointName: 'etl-dev',
          RoleArn: role('glue-dev'),
          Status: 'READY',
          PublicAddress: '203.0.113.7',
          PublicKey: 'ssh-rsa AAAA',
        },
      ],
    },
    'sagemaker-describe-notebook-instance.json': {
      NotebookInstanceArn: `arn:aws:sagemaker:eu-west-1:${account}:notebook-instance/research`,
      NotebookInstanceName: 'research',
      NotebookInstanceStatus: 'InService',
      RoleArn: role('sagemaker-exec'),
      DirectInternetAccess: 'Enabled',
      RootAccess: 'Enabled',
    },
    'codebuild-batch-get-projects.json': {
      projects: [
        {
          name: 'agent-deploy',
          arn: `arn:aws:codebuild:eu-west-1:${account}:project/agent-deploy`,
          source: { type: 'GITHUB', location: 'https://github.com/acme/agents' },
          environment: {
            type: 'LINUX_CONTAINER',
            image: 'aws/codebuild/standard:7.0',
            environmentVariables: [
              { name: 'DEPLOY_TOKEN', value: secretValue, type: 'PLAINTEXT' },
              { name: 'DB', value: 'prod/db', type: 'SECRETS_MANAGER' },
            ],
          },
          serviceRole: role('codebuild-agent-deploy'),
          tags: [{ key: 'agent', value: 'deploy-bot' }],
        },
      ],
      projectsNotFound: [],
    },
    'ecs-describe-task-definition.json': {
      taskDefinition: {
        taskDefinitionArn: `arn:aws:ecs:eu-west-1:${account}:task-definition/chat:7`,
        family: 'chat',
        revision: 7,
        taskRoleArn: role('chat-task'),
        executionRoleArn: role('ecsTaskExecutionRole'),
        networkMode: 'awsvpc',
        containerDefinitions: [
          {
            name: 'chat',
            image: 'acme/chat:1',
            environment: [{ name: 'API_KEY', value: secretValue }],
            secrets: [
              { name: 'DB', valueFrom: `arn:aws:secretsmanager:eu-west-1:${account}:secret:prod/db-AbCdEf` },
            ],
          },
        ],
      },
      tags: [{ key: 'agent', value: 'chat-assistant' }],
    },
    'secretsmanager-list-secrets.json': {
      SecretList: [
        {
          ARN: `arn:aws:secretsmanager:eu-west-1:${account}:secret:prod/db-AbCdEf`,
          Name: 'prod/db',
          RotationEnabled: false,
          LastChangedDate: '2025-01-01T00:00:00+00:00',
          LastAccessedDate: '2026-11-25T00:00:00+00:00',
          Tags: [{ Key: 'agent', Value: 'support-bot' }],
          SecretVersionsToStages: { v1: ['AWSCURRENT'] },
          CreatedDate: '2024-01-01T00:00:00+00:00',
        },
      ],
    },
  };
}
