/**
 * Techniques that pass an existing role to a new service resource whose code the caller controls
 * (category `new-passrole`): the caller needs iam:PassRole on a role that trusts the service, and
 * the actions that create and run the resource. Required actions as the public catalogues list
 * them (Rhino Security Labs, BishopFox iam-vulnerable, DataDog pathfinding.cloud: see
 * `technique-refs.ts`), checked against the Service Authorization Reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
import type { Technique } from './techniques.js';
import { BF, PF, RHINO } from './technique-refs.js';

const passNew = (
  name: string,
  trusts: string,
  actions: string[],
  newResource: string,
  refs: string[],
  extra: Partial<Technique> = {},
): Technique => ({
  name,
  category: 'new-passrole',
  mechanism: 'passrole-new',
  requires: [
    { action: 'iam:PassRole', on: 'passed-role' },
    ...actions.map((a) => ({ action: a, on: 'new' as const })),
  ],
  trusts,
  newResource,
  gains: `the permissions of a role trusting ${trusts}, passed to a new resource whose code the caller controls`,
  references: refs,
  ...extra,
});

export const NEW_PASSROLE_TECHNIQUES: readonly Technique[] = [
  passNew(
    'CreateEC2WithExistingIP',
    'ec2.amazonaws.com',
    ['ec2:RunInstances'],
    'arn:aws:ec2:*:{account}:instance/*',
    [RHINO, BF, PF],
    { instanceProfile: true },
  ),
  passNew(
    'PassExistingRoleToNewEC2SpotInstance',
    'ec2.amazonaws.com',
    ['ec2:RequestSpotInstances'],
    'arn:aws:ec2:*:{account}:spot-instances-request/*',
    [PF],
    { instanceProfile: true },
  ),
  passNew(
    'PassExistingRoleToNewAutoScalingGroup',
    'ec2.amazonaws.com',
    ['autoscaling:CreateLaunchConfiguration', 'autoscaling:CreateAutoScalingGroup'],
    'arn:aws:autoscaling:*:{account}:autoScalingGroup:*',
    [PF],
    { instanceProfile: true },
  ),
  passNew(
    'PassExistingRoleToNewLambdaThenInvoke',
    'lambda.amazonaws.com',
    ['lambda:CreateFunction', 'lambda:InvokeFunction'],
    'arn:aws:lambda:*:{account}:function:*',
    [RHINO, BF, PF],
  ),
  passNew(
    'PassExistingRoleToNewLambdaThenTriggerWithNewDynamo',
    'lambda.amazonaws.com',
    ['lambda:CreateFunction', 'lambda:CreateEventSourceMapping', 'dynamodb:CreateTable', 'dynamodb:PutItem'],
    'arn:aws:lambda:*:{account}:function:*',
    [RHINO, BF, PF],
  ),
  // Rhino's variant with an event source that already exists (a DynamoDB or Kinesis stream, an
  // SQS queue): pathfinding lambda-002 and iam-vulnerable privesc16 grant these three actions only.
  passNew(
    'PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo',
    'lambda.amazonaws.com',
    ['lambda:CreateFunction', 'lambda:CreateEventSourceMapping'],
    'arn:aws:lambda:*:{account}:function:*',
    [RHINO, BF, PF],
  ),
  passNew(
    'PassExistingRoleToNewLambdaThenAddPermission',
    'lambda.amazonaws.com',
    ['lambda:CreateFunction', 'lambda:AddPermission'],
    'arn:aws:lambda:*:{account}:function:*',
    [PF],
  ),
  // pathfinding glue-004: a trigger created with --start-on-creation runs the job.
  passNew(
    'PassExistingRoleToNewGlueJobWithTrigger',
    'glue.amazonaws.com',
    ['glue:CreateJob', 'glue:CreateTrigger'],
    'arn:aws:glue:*:{account}:job/*',
    [PF],
  ),
  passNew(
    'PassExistingRoleToNewGlueDevEndpoint',
    'glue.amazonaws.com',
    ['glue:CreateDevEndpoint'],
    'arn:aws:glue:*:{account}:devEndpoint/*',
    [RHINO, BF, PF],
  ),
  passNew(
    'PassExistingRoleToNewGlueJob',
    'glue.amazonaws.com',
    ['glue:CreateJob', 'glue:StartJobRun'],
    'arn:aws:glue:*:{account}:job/*',
    [BF, PF],
  ),
  passNew(
    'PassExistingRoleToCloudFormation',
    'cloudformation.amazonaws.com',
    ['cloudformation:CreateStack'],
    'arn:aws:cloudformation:*:{account}:stack/*',
    [RHINO, BF, PF],
  ),
  // pathfinding cloudformation-003: a stack set's administration role runs the stack instances.
  passNew(
    'PassExistingRoleToNewCloudFormationStackSet',
    'cloudformation.amazonaws.com',
    ['cloudformation:CreateStackSet', 'cloudformation:CreateStackInstances'],
    'arn:aws:cloudformation:*:{account}:stackset/*',
    [PF],
  ),
  passNew(
    'PassExistingRoleToNewDataPipeline',
    'datapipeline.amazonaws.com',
    ['datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition', 'datapipeline:ActivatePipeline'],
    'arn:aws:datapipeline:*:{account}:pipeline/*',
    [RHINO, BF],
  ),
  passNew(
    'PassExistingRoleToNewCodeStarProject',
    'codestar.amazonaws.com',
    ['codestar:CreateProject'],
    'arn:aws:codestar:*:{account}:project/*',
    [RHINO, BF],
  ),
  passNew(
    'PassExistingRoleToNewSageMakerNotebook',
    'sagemaker.amazonaws.com',
    // pathfinding sagemaker-001 requires these two only: the notebook's lifecycle configuration
    // (or its Jupyter terminal, through a presigned URL) runs as the role.
    ['sagemaker:CreateNotebookInstance'],
    'arn:aws:sagemaker:*:{account}:notebook-instance/*',
    [BF, PF],
  ),
  passNew(
    'PassExistingRoleToNewSageMakerTrainingJob',
    'sagemaker.amazonaws.com',
    ['sagemaker:CreateTrainingJob'],
    'arn:aws:sagemaker:*:{account}:training-job/*',
    [PF],
  ),
  passNew(
    'PassExistingRoleToNewSageMakerProcessingJob',
    'sagemaker.amazonaws.com',
    ['sagemaker:CreateProcessingJob'],
    'arn:aws:sagemaker:*:{account}:processing-job/*',
    [PF],
  ),
  passNew(
    'PassExistingRoleToNewCodeBuildProject',
    'codebuild.amazonaws.com',
    ['codebuild:CreateProject', 'codebuild:StartBuild'],
    'arn:aws:codebuild:*:{account}:project/*',
    [BF, PF],
  ),
  // pathfinding codebuild-004: a batch build of the new project.
  passNew(
    'PassExistingRoleToNewCodeBuildProjectBatch',
    'codebuild.amazonaws.com',
    ['codebuild:CreateProject', 'codebuild:StartBuildBatch'],
    'arn:aws:codebuild:*:{account}:project/*',
    [PF],
  ),
  passNew(
    'PassExistingRoleToNewECSTask',
    'ecs-tasks.amazonaws.com',
    ['ecs:RegisterTaskDefinition', 'ecs:RunTask'],
    'arn:aws:ecs:*:{account}:task-definition/*',
    [PF],
  ),
  // pathfinding ecs-001 / ecs-003 (a service runs the new task definition) and ecs-005 (StartTask
  // on a container instance); ecs:CreateCluster is only needed when no cluster exists.
  passNew(
    'PassExistingRoleToNewECSService',
    'ecs-tasks.amazonaws.com',
    ['ecs:RegisterTaskDefinition', 'ecs:CreateService'],
    'arn:aws:ecs:*:{account}:task-definition/*',
    [PF],
  ),
  passNew(
    'PassExistingRoleToNewECSTaskOnInstance',
    'ecs-tasks.amazonaws.com',
    ['ecs:RegisterTaskDefinition', 'ecs:StartTask'],
    'arn:aws:ecs:*:{account}:task-definition/*',
    [PF],
  ),
  passNew(
    'PassExistingRoleToNewAppRunnerService',
    'tasks.apprunner.amazonaws.com',
    ['apprunner:CreateService'],
    'arn:aws:apprunner:*:{account}:service/*',
    [PF],
  ),
  // pathfinding ssm-003: an Automation document's aws:executeScript step runs as the
  // AutomationAssumeRole passed to the execution (no instance needed).
  passNew(
    'PassExistingRoleToNewSSMAutomation',
    'ssm.amazonaws.com',
    ['ssm:CreateDocument', 'ssm:StartAutomationExecution'],
    'arn:aws:ssm:*:{account}:document/*',
    [PF],
  ),
  // pathfinding batch-001: a Batch job definition's job role (container jobs run as ECS tasks).
  passNew(
    'PassExistingRoleToNewBatchJob',
    'ecs-tasks.amazonaws.com',
    ['batch:RegisterJobDefinition', 'batch:SubmitJob'],
    'arn:aws:batch:*:{account}:job-definition/*',
    [PF],
  ),
  // pathfinding braket-001: a hybrid job runs the caller's algorithm script as the role.
  passNew(
    'PassExistingRoleToNewBraketJob',
    'braket.amazonaws.com',
    ['braket:CreateJob'],
    'arn:aws:braket:*:{account}:job/*',
    [PF],
  ),
  // pathfinding amplify-001: the build of a new app's branch runs as its service role.
  passNew(
    'PassExistingRoleToNewAmplifyApp',
    'amplify.amazonaws.com',
    ['amplify:CreateApp', 'amplify:CreateBranch', 'amplify:StartJob'],
    'arn:aws:amplify:*:{account}:apps/*',
    [PF],
  ),
  // pathfinding bedrock-001 / bedrock-003: Bedrock AgentCore code interpreters and agent runtimes
  // run with an execution role whose credentials the code can read from the metadata service.
  passNew(
    'PassExistingRoleToNewBedrockCodeInterpreter',
    'bedrock-agentcore.amazonaws.com',
    [
      'bedrock-agentcore:CreateCodeInterpreter',
      'bedrock-agentcore:StartCodeInterpreterSession',
      'bedrock-agentcore:InvokeCodeInterpreter',
    ],
    'arn:aws:bedrock-agentcore:*:{account}:code-interpreter-custom/*',
    [PF],
  ),
  passNew(
    'PassExistingRoleToNewBedrockAgentRuntime',
    'bedrock-agentcore.amazonaws.com',
    ['bedrock-agentcore:CreateAgentRuntime'],
    'arn:aws:bedrock-agentcore:*:{account}:runtime/*',
    [PF],
  ),
];
