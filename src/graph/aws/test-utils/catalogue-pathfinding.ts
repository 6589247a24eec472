/**
 * pathfinding.cloud paths (required permissions as data/paths/aws/<service>/<id>.yaml documents
 * them) and near-miss negatives for the catalogue corpus, plus the resource listings that the
 * existing-resource paths need, in the shape the AWS CLI prints them.
 * https://pathfinding.cloud/  https://github.com/DataDog/pathfinding.cloud
 */
import {
  ADMIN_POLICY,
  CORPUS_ACCOUNT as A,
  allow,
  doc,
  roleArn,
  trustAws,
  trustService,
  userArn,
  type CorpusBuilder,
} from './catalogue-corpus.js';
import { FN, credentialReport } from './catalogue-listings.js';

const NO = { escalates: false } as const;
const hop1 = (technique: string | readonly string[]) => ({ escalates: true, technique, hops: 1 }) as const;

/** A user holding one inline policy (pathfinding.cloud's starting principal). */
function starter(b: CorpusBuilder, name: string, statements: Record<string, unknown>[], extra = {}): string {
  return b.user(name, { inline: [doc(...statements)], ...extra });
}

export function pathfinding(b: CorpusBuilder): Record<string, unknown> {
  const x = (name: string, st: Record<string, unknown>[], e: object, why: string, extra = {}): void => {
    const p = starter(b, name, st, extra);
    b.expect({ principal: p, why, ...(e as { escalates: boolean }) });
  };
  // iam-003: two keys already; DeleteAccessKey frees a slot.
  const twoKeys = b.user('two-keys-admin', { attached: [ADMIN_POLICY] });
  b.expect({
    principal: twoKeys,
    why: 'admin with two keys',
    escalates: true,
    technique: 'already-admin',
    hops: 0,
  });
  x(
    'pf-iam-003-user',
    [allow(['iam:CreateAccessKey', 'iam:DeleteAccessKey'], twoKeys)],
    hop1('CreateAccessKey'),
    'iam-003 CreateAccessKey + DeleteAccessKey on a user with two keys',
  );
  x(
    'pf-iam-002-full-user',
    [allow('iam:CreateAccessKey', twoKeys)],
    NO,
    'iam-002 near miss: the target already has two keys',
  );
  // iam-004 / iam-006 with the credential report: two-keys-admin has a password.
  x(
    'pf-iam-004-haspw-user',
    [allow('iam:CreateLoginProfile', twoKeys)],
    NO,
    'iam-004 near miss: the target has a password',
  );
  x(
    'pf-iam-006-haspw-user',
    [allow('iam:UpdateLoginProfile', twoKeys)],
    hop1('UpdateLoginProfile'),
    'iam-006 UpdateLoginProfile on a user with a password',
  );
  const nopw = b.user('no-password-admin', { attached: [ADMIN_POLICY], path: '/ops/' });
  b.expect({
    principal: nopw,
    why: 'admin with a path',
    escalates: true,
    technique: 'already-admin',
    hops: 0,
  });
  x(
    'pf-iam-004-user',
    [allow('iam:CreateLoginProfile', nopw)],
    hop1('CreateLoginProfile'),
    'iam-004 CreateLoginProfile on a user without a password (ARN path)',
  );
  x(
    'pf-iam-006-nopw-user',
    [allow('iam:UpdateLoginProfile', nopw)],
    NO,
    'iam-006 near miss: the target has no password',
  );
  // No credential report row for the deployer: its login profile state is unknown.
  x(
    'pf-iam-004-unknown-user',
    [allow('iam:CreateLoginProfile', userArn('iam-vulnerable-deployer'))],
    hop1('CreateLoginProfile'),
    'iam-004 on a user whose password state is unknown',
  );
  x(
    'pf-iam-002-user',
    [allow('iam:CreateAccessKey', userArn('iam-vulnerable-deployer'))],
    hop1('CreateAccessKey'),
    'iam-002 on a user whose key count is unknown',
  );
  // iam-014 / iam-016: empower a role, then assume it.
  const t14 = 'pf-iam-014-target-role';
  x(
    'pf-iam-014-user',
    [allow(['iam:AttachRolePolicy', 'sts:AssumeRole'], roleArn(t14))],
    { escalates: true, technique: 'AssumeRole -> AttachRolePolicy', hops: 2 },
    'iam-014 AttachRolePolicy + AssumeRole',
  );
  b.role(t14, trustAws(userArn('pf-iam-014-user')));
  const p16 = b.policy('pf-iam-016-policy', [doc(allow('s3:ListAllMyBuckets'))]);
  const t16 = b.role('pf-iam-016-target-role', trustAws(userArn('pf-iam-016-user')), { attached: [p16] });
  x(
    'pf-iam-016-user',
    [allow('iam:CreatePolicyVersion', p16), allow('sts:AssumeRole', t16)],
    { escalates: true, technique: 'AssumeRole -> CreateNewPolicyVersion', hops: 2 },
    'iam-016 CreatePolicyVersion + AssumeRole',
  );
  // Empower a principal without policies, then become it (iam-012, iam-015, iam-018, iam-019).
  const plainUser = b.user('pf-plain-user');
  const plainRole = b.role('pf-plain-role', trustService('ec2.amazonaws.com'));
  b.expect({ principal: plainUser, why: 'user without policies', escalates: false });
  b.expect({ principal: plainRole, why: 'role without policies', escalates: false });
  x(
    'pf-iam-012-user',
    [allow('iam:UpdateAssumeRolePolicy', roleArn('codebuild-admin-role'))],
    hop1('UpdateRolePolicyToAssumeIt'),
    'iam-012 UpdateAssumeRolePolicy alone (the new trust names the caller)',
  );
  x(
    'pf-iam-015-user',
    [allow(['iam:AttachUserPolicy', 'iam:CreateAccessKey'], plainUser)],
    { escalates: true, technique: 'CreateAccessKey -> AttachUserPolicy', hops: 2 },
    'iam-015 AttachUserPolicy + CreateAccessKey',
  );
  x(
    'pf-iam-018-user',
    [allow(['iam:PutUserPolicy', 'iam:CreateAccessKey'], plainUser)],
    { escalates: true, technique: 'CreateAccessKey -> PutUserPolicy', hops: 2 },
    'iam-018 PutUserPolicy + CreateAccessKey',
  );
  x(
    'pf-iam-019-user',
    [allow(['iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy'], plainRole)],
    { escalates: true, technique: 'UpdateRolePolicyToAssumeIt -> AttachRolePolicy', hops: 2 },
    'AttachRolePolicy + UpdateAssumeRolePolicy',
  );
  const slr = b.role('AWSServiceRoleForWardenTest', trustService('support.amazonaws.com'), {
    attached: [ADMIN_POLICY],
    path: '/aws-service-role/support.amazonaws.com/',
  });
  b.expect({
    principal: slr,
    why: 'service-linked role (admin for the test)',
    escalates: true,
    technique: 'already-admin',
    hops: 0,
  });
  x(
    'nm-service-linked-user',
    [allow('iam:UpdateAssumeRolePolicy', slr)],
    NO,
    'the trust policy of a service-linked role cannot be updated',
  );
  x(
    'nm-iam-018-half-user',
    [allow('iam:PutUserPolicy', plainUser)],
    NO,
    'PutUserPolicy on another user without a way to become it',
  );
  // AddUserToGroup into a group that is not administrator-equivalent but grants iam:* (sre.tf).
  x(
    'pf-addtosre-user',
    [allow('iam:AddUserToGroup', `arn:aws:iam::${A}:group/privesc-sre-group`)],
    {
      escalates: true,
      technique: ['AddUserToGroup -> PutUserPolicy', 'AddUserToGroup -> AttachUserPolicy'],
      hops: 2,
    },
    'AddUserToGroup into an iam:* group',
  );
  x(
    'nm-addtogroup-empty-user',
    [allow('iam:AddUserToGroup', `arn:aws:iam::${A}:group/privesc8-AttachGroupPolicy-group`)],
    NO,
    'AddUserToGroup into a group without permissions',
  );
  // New service resources (pathfinding.cloud new-passrole paths).
  x(
    'rhino-lambda-new-dynamo-user',
    [
      allow([
        'iam:PassRole',
        'lambda:CreateFunction',
        'lambda:CreateEventSourceMapping',
        'dynamodb:CreateTable',
        'dynamodb:PutItem',
      ]),
    ],
    hop1([
      'PassExistingRoleToNewLambdaThenTriggerWithNewDynamo',
      'PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo',
    ]),
    'Rhino: Lambda triggered from a new DynamoDB table',
  );
  x(
    'pf-lambda-006-user',
    [allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:AddPermission'])],
    hop1('PassExistingRoleToNewLambdaThenAddPermission'),
    'lambda-006',
  );
  x(
    'pf-ec2-004-user',
    [allow(['iam:PassRole', 'ec2:RequestSpotInstances'])],
    hop1('PassExistingRoleToNewEC2SpotInstance'),
    'ec2-004 spot instances',
  );
  x(
    'pf-ecs-004-user',
    [allow(['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'])],
    hop1(['PassExistingRoleToNewECSTask', 'RunExistingECSTaskDefinitionWithOverride']),
    'ecs-004',
  );
  x(
    'pf-ecs-003-user',
    [allow(['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:CreateService'])],
    hop1('PassExistingRoleToNewECSService'),
    'ecs-003',
  );
  x(
    'pf-ecs-005-user',
    [allow(['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:StartTask'])],
    hop1(['PassExistingRoleToNewECSTaskOnInstance', 'StartExistingECSTaskDefinitionWithOverride']),
    'ecs-005',
  );
  x(
    'pf-apprunner-001-user',
    [allow(['iam:PassRole', 'apprunner:CreateService'])],
    hop1('PassExistingRoleToNewAppRunnerService'),
    'apprunner-001',
  );
  x(
    'pf-glue-003-user',
    [allow(['iam:PassRole', 'glue:CreateJob', 'glue:StartJobRun'])],
    hop1('PassExistingRoleToNewGlueJob'),
    'glue-003',
  );
  x(
    'pf-glue-004-user',
    [allow(['iam:PassRole', 'glue:CreateJob', 'glue:CreateTrigger'])],
    hop1('PassExistingRoleToNewGlueJobWithTrigger'),
    'glue-004',
  );
  x(
    'pf-codebuild-004-user',
    [allow(['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuildBatch'])],
    hop1('PassExistingRoleToNewCodeBuildProjectBatch'),
    'codebuild-004',
  );
  x(
    'pf-cloudformation-003-user',
    [allow(['iam:PassRole', 'cloudformation:CreateStackSet', 'cloudformation:CreateStackInstances'])],
    hop1('PassExistingRoleToNewCloudFormationStackSet'),
    'cloudformation-003',
  );
  x(
    'pf-lambda-004-user',
    [allow(['lambda:UpdateFunctionCode', 'lambda:InvokeFunction'], FN)],
    hop1('EditExistingLambdaFunctionWithRole'),
    'lambda-004 on the listed function',
  );
  // ecs-008 / ecs-009: an existing task definition (running as a low role) run with an override.
  b.role('ecs-app-role', trustService('ecs-tasks.amazonaws.com'), { inline: [doc(allow('s3:GetObject'))] });
  b.expect({ principal: roleArn('ecs-app-role'), why: 'low ECS task role', escalates: false });
  x(
    'pf-ecs-008-user',
    [allow(['iam:PassRole', 'ecs:RunTask'])],
    hop1('RunExistingECSTaskDefinitionWithOverride'),
    'ecs-008 RunTask with a task role override',
  );
  x(
    'pf-ecs-009-user',
    [allow(['iam:PassRole', 'ecs:StartTask'])],
    hop1('StartExistingECSTaskDefinitionWithOverride'),
    'ecs-009 StartTask with a task role override',
  );
  x(
    'nm-ecs-008-user',
    [allow('ecs:RunTask'), allow('iam:PassRole', roleArn('ecs-app-role'))],
    NO,
    'ecs-008 near miss: only the low task role can be passed',
  );
  for (const [role, svc] of [
    ['bedrock-agentcore-admin-role', 'bedrock-agentcore.amazonaws.com'],
    ['braket-admin-role', 'braket.amazonaws.com'],
    ['amplify-admin-role', 'amplify.amazonaws.com'],
    ['ssm-automation-admin-role', 'ssm.amazonaws.com'],
  ] as const) {
    b.role(role, trustService(svc), { attached: [ADMIN_POLICY] });
    b.expect({
      principal: roleArn(role),
      why: `${svc} admin role`,
      escalates: true,
      technique: 'already-admin',
      hops: 0,
    });
  }
  x(
    'pf-sagemaker-001-user',
    [allow(['iam:PassRole', 'sagemaker:CreateNotebookInstance'])],
    hop1('PassExistingRoleToNewSageMakerNotebook'),
    'sagemaker-001 PassRole + CreateNotebookInstance',
  );
  x(
    'pf-sagemaker-005-user',
    [
      allow([
        'sagemaker:CreateNotebookInstanceLifecycleConfig',
        'sagemaker:StopNotebookInstance',
        'sagemaker:UpdateNotebookInstance',
        'sagemaker:StartNotebookInstance',
      ]),
    ],
    hop1('UpdateExistingSageMakerNotebookLifecycle'),
    'sagemaker-005 lifecycle configuration on the listed notebook',
  );
  x(
    'pf-ssm-003-user',
    [allow(['iam:PassRole', 'ssm:CreateDocument', 'ssm:StartAutomationExecution'])],
    hop1('PassExistingRoleToNewSSMAutomation'),
    'ssm-003 SSM Automation',
  );
  x(
    'pf-batch-001-user',
    [allow(['iam:PassRole', 'batch:RegisterJobDefinition', 'batch:SubmitJob'])],
    hop1('PassExistingRoleToNewBatchJob'),
    'batch-001',
  );
  x(
    'pf-braket-001-user',
    [allow(['iam:PassRole', 'braket:CreateJob'])],
    hop1('PassExistingRoleToNewBraketJob'),
    'braket-001',
  );
  x(
    'pf-amplify-001-user',
    [allow(['iam:PassRole', 'amplify:CreateApp', 'amplify:CreateBranch', 'amplify:StartJob'])],
    hop1('PassExistingRoleToNewAmplifyApp'),
    'amplify-001',
  );
  x(
    'pf-bedrock-001-user',
    [
      allow([
        'iam:PassRole',
        'bedrock-agentcore:CreateCodeInterpreter',
        'bedrock-agentcore:StartCodeInterpreterSession',
        'bedrock-agentcore:InvokeCodeInterpreter',
      ]),
    ],
    hop1('PassExistingRoleToNewBedrockCodeInterpreter'),
    'bedrock-001',
  );
  x(
    'pf-bedrock-003-user',
    [allow(['iam:PassRole', 'bedrock-agentcore:CreateAgentRuntime'])],
    hop1('PassExistingRoleToNewBedrockAgentRuntime'),
    'bedrock-003',
  );
  x(
    'nm-bedrock-001-user',
    [
      allow([
        'iam:PassRole',
        'bedrock-agentcore:CreateCodeInterpreter',
        'bedrock-agentcore:StartCodeInterpreterSession',
      ]),
    ],
    NO,
    'bedrock-001 near miss: no InvokeCodeInterpreter',
  );
  // AttachUserPolicy limited by iam:PolicyARN: a customer managed administrator policy will do.
  const breakGlass = b.policy('break-glass-admin', [doc(allow('*', '*'))]);
  x(
    'pf-attach-named-user',
    [
      allow('iam:AttachUserPolicy', userArn('pf-attach-named-user'), {
        Condition: { ArnEquals: { 'iam:PolicyARN': breakGlass } },
      }),
    ],
    hop1('AttachUserPolicy'),
    'AttachUserPolicy limited to a customer managed administrator policy',
  );
  x(
    'nm-attach-readonly-user',
    [
      allow('iam:AttachUserPolicy', userArn('nm-attach-readonly-user'), {
        Condition: { ArnEquals: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
      }),
    ],
    NO,
    'AttachUserPolicy limited to ReadOnlyAccess',
  );
  // New principals: create a user (or role), make it administrator, use it.
  const newUsers = `arn:aws:iam::${A}:user/contractors/*`;
  x(
    'pf-createuser-user',
    [allow(['iam:CreateUser', 'iam:AttachUserPolicy', 'iam:CreateAccessKey'], newUsers)],
    hop1('CreateNewUserWithAdmin'),
    'CreateUser + AttachUserPolicy + CreateAccessKey on a path',
  );
  x(
    'nm-createuser-nokey-user',
    [allow(['iam:CreateUser', 'iam:AttachUserPolicy'], newUsers)],
    NO,
    'CreateUser + AttachUserPolicy without a way to sign in',
  );
  x(
    'pf-createrole-user',
    [allow(['iam:CreateRole', 'iam:PutRolePolicy'], `arn:aws:iam::${A}:role/*`)],
    hop1(['CreateNewRoleWithAdmin', 'PutRolePolicy']),
    'CreateRole + PutRolePolicy (trust names the caller)',
  );
  x(
    'nm-createrole-boundary-user',
    [
      allow('iam:CreateRole', '*', {
        Condition: {
          StringEquals: { 'iam:PermissionsBoundary': `arn:aws:iam::${A}:policy/s3-only-boundary` },
        },
      }),
      allow('iam:PutRolePolicy', `arn:aws:iam::${A}:role/app-*`),
    ],
    NO,
    'CreateRole only with a permissions boundary',
  );
  // Near misses.
  x(
    'nm-lambda-wrong-role-user',
    [
      allow(['lambda:CreateFunction', 'lambda:InvokeFunction']),
      allow('iam:PassRole', roleArn('ec2-admin-role')),
    ],
    NO,
    'PassRole only on a role that does not trust Lambda',
  );
  x(
    'nm-lambda-half-user',
    [allow(['lambda:CreateFunction', 'iam:PassRole'])],
    NO,
    'CreateFunction + PassRole without a way to run it',
  );
  x(
    'nm-lambda-deny-user',
    [
      allow(['lambda:CreateFunction', 'iam:PassRole', 'lambda:InvokeFunction']),
      { Effect: 'Deny', Action: 'iam:PassRole', Resource: `arn:aws:iam::${A}:role/*admin*` },
    ],
    NO,
    'explicit Deny of PassRole on the admin roles',
  );
  x(
    'nm-passedtoservice-user',
    [
      allow(['lambda:CreateFunction', 'lambda:InvokeFunction']),
      allow('iam:PassRole', '*', {
        Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      }),
    ],
    NO,
    'iam:PassedToService restricted to EC2',
  );
  const bound = b.policy('s3-only-boundary', [doc(allow('s3:*'))]);
  x(
    'nm-boundary-user',
    [allow('iam:PutUserPolicy', userArn('nm-boundary-user'))],
    NO,
    'PutUserPolicy on self under an S3-only boundary',
    { boundary: bound },
  );
  x(
    'nm-scoped-user',
    [allow('iam:PutUserPolicy', userArn('someone-else'))],
    NO,
    'PutUserPolicy scoped to another (missing) user',
  );
  x(
    'nm-mfa-user',
    [
      allow('iam:PutUserPolicy', userArn('nm-mfa-user'), {
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      }),
    ],
    NO,
    'conditional grant (MFA): never reported as an escalation',
  );
  x(
    'nm-managed-policy-user',
    [allow('iam:CreatePolicyVersion', 'arn:aws:iam::aws:policy/*')],
    NO,
    'AWS managed policies cannot be edited',
  );
  x(
    'nm-untrusted-user',
    [allow('sts:AssumeRole', roleArn('lambda-admin-role'))],
    NO,
    'AssumeRole on a role that trusts only a service',
  );
  const full = b.policy(
    'pf-five-versions',
    [0, 1, 2, 3, 4].map((i) => doc(allow('s3:GetObject', `arn:aws:s3:::bucket-${i}/*`))),
  );
  x(
    'nm-five-versions-user',
    [allow('iam:CreatePolicyVersion', full)],
    NO,
    'a policy with five versions needs DeletePolicyVersion',
    { attached: [full] },
  );
  x(
    'pf-five-versions-user',
    [allow(['iam:CreatePolicyVersion', 'iam:DeletePolicyVersion'], full)],
    hop1('CreateNewPolicyVersion'),
    'five versions and DeletePolicyVersion',
    { attached: [full] },
  );
  const notAdmin = b.policy('pf-old-version-not-admin', [
    doc(allow('s3:*')),
    doc(allow('iam:SetDefaultPolicyVersion')),
  ]);
  x('nm-setdefault-user', [], NO, 'SetDefaultPolicyVersion with no administrator-equivalent old version', {
    attached: [notAdmin],
  });
  b.role('pf-ec2-no-profile-role', trustService('ec2.amazonaws.com'), { attached: [ADMIN_POLICY] });
  b.expect({
    principal: roleArn('pf-ec2-no-profile-role'),
    why: 'admin role without profile',
    escalates: true,
    technique: 'already-admin',
    hops: 0,
  });
  x(
    'nm-ec2-no-profile-user',
    [allow('ec2:RunInstances'), allow('iam:PassRole', roleArn('pf-ec2-no-profile-role'))],
    NO,
    'EC2 needs an instance profile',
  );
  return {
    'credential-report.json': credentialReport([
      ['two-keys-admin', true, 2],
      ['no-password-admin', false, 0],
    ]),
  };
}
