/**
 * The scenarios of the catalogue corpus (see `catalogue-corpus.ts`): iam-vulnerable's privesc
 * paths and tool-testing cases with the permissions its Terraform grants, pathfinding.cloud paths
 * with their documented required permissions, and near-miss negatives.
 * iam-vulnerable: https://github.com/BishopFox/iam-vulnerable/tree/main/modules/free-resources
 * pathfinding.cloud: https://pathfinding.cloud/ (data/paths/aws/*.yaml in DataDog/pathfinding.cloud)
 */
import {
  ADMIN_POLICY,
  CORPUS_ACCOUNT as A,
  CorpusBuilder,
  allow,
  baseEnvironment,
  doc,
  scenario,
  trustAws,
  type Expectation,
} from './catalogue-corpus.js';
import { listings } from './catalogue-listings.js';
import { pathfinding } from './catalogue-pathfinding.js';

const NO = { escalates: false } as const;
const hop1 = (technique: string | readonly string[]) => ({ escalates: true, technique, hops: 1 }) as const;
const ESM_ACTIONS = ['lambda:CreateFunction', 'iam:PassRole', 'lambda:CreateEventSourceMapping'];

/** iam-vulnerable privesc-paths: one user and one role per technique. */
function iamVulnerable(b: CorpusBuilder): void {
  scenario(
    b,
    'privesc1-CreateNewPolicyVersion',
    [allow('iam:CreatePolicyVersion')],
    hop1('CreateNewPolicyVersion'),
    hop1('CreateNewPolicyVersion'),
  );
  // privesc2: the policy has an administrator-equivalent older version (the Terraform comment says
  // exploitation needs one), the default allows iam:SetDefaultPolicyVersion.
  const p2 = b.policy('privesc2-SetExistingDefaultPolicyVersion', [
    doc(allow('*', '*')),
    doc(allow('iam:SetDefaultPolicyVersion')),
  ]);
  const u2 = b.user('privesc2-SetExistingDefaultPolicyVersion-user', { attached: [p2] });
  b.expect({ principal: u2, why: 'privesc2 (user)', ...hop1('SetExistingDefaultPolicyVersion') });
  scenario(
    b,
    'privesc3-CreateEC2WithExistingInstanceProfile',
    [
      allow([
        'iam:PassRole',
        'ec2:DescribeInstances',
        'ec2:RunInstances',
        'ec2:CreateKeyPair',
        'ec2:AssociateIamInstanceProfile',
      ]),
    ],
    hop1('CreateEC2WithExistingIP'),
    hop1('CreateEC2WithExistingIP'),
  );
  scenario(
    b,
    'privesc4-CreateAccessKey',
    [allow('iam:CreateAccessKey')],
    hop1('CreateAccessKey'),
    hop1('CreateAccessKey'),
  );
  // Without a credential report whether a user has a console password is unknown: an attacker
  // with the permission tries it (the iam-vulnerable deployer is the target).
  scenario(
    b,
    'privesc5-CreateLoginProfile',
    [allow('iam:CreateLoginProfile')],
    hop1('CreateLoginProfile'),
    hop1('CreateLoginProfile'),
  );
  scenario(
    b,
    'privesc6-UpdateLoginProfile',
    [allow('iam:UpdateLoginProfile')],
    hop1('UpdateLoginProfile'),
    hop1('UpdateLoginProfile'),
  );
  scenario(b, 'privesc7-AttachUserPolicy', [allow('iam:AttachUserPolicy')], hop1('AttachUserPolicy'), NO);
  b.group('privesc8-AttachGroupPolicy-group');
  scenario(b, 'privesc8-AttachGroupPolicy', [allow('iam:AttachGroupPolicy')], hop1('AttachGroupPolicy'), NO, {
    groups: ['privesc8-AttachGroupPolicy-group'],
  });
  scenario(b, 'privesc9-AttachRolePolicy', [allow('iam:AttachRolePolicy')], NO, hop1('AttachRolePolicy'));
  scenario(b, 'privesc10-PutUserPolicy', [allow('iam:PutUserPolicy')], hop1('PutUserPolicy'), NO);
  b.group('privesc11-PutGroupPolicy-group');
  scenario(b, 'privesc11-PutGroupPolicy', [allow('iam:PutGroupPolicy')], hop1('PutGroupPolicy'), NO, {
    groups: ['privesc11-PutGroupPolicy-group'],
  });
  scenario(b, 'privesc12-PutRolePolicy', [allow('iam:PutRolePolicy')], NO, hop1('PutRolePolicy'));
  b.group('privesc-admin-group', { attached: [ADMIN_POLICY] });
  scenario(b, 'privesc13-AddUserToGroup', [allow('iam:AddUserToGroup')], hop1('AddUserToGroup'), NO);
  scenario(
    b,
    'privesc14-UpdatingAssumeRolePolicy',
    [allow(['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'])],
    hop1('UpdateRolePolicyToAssumeIt'),
    hop1('UpdateRolePolicyToAssumeIt'),
  );
  const lambdaNew = hop1('PassExistingRoleToNewLambdaThenInvoke');
  scenario(
    b,
    'privesc15-PassExistingRoleToNewLambdaThenInvoke',
    [allow(['lambda:CreateFunction', 'iam:PassRole', 'lambda:InvokeFunction'])],
    lambdaNew,
    lambdaNew,
  );
  // privesc16 grants no DynamoDB action: the event source (a stream or queue) already exists.
  const esm = hop1('PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo');
  scenario(b, 'privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo', [allow(ESM_ACTIONS)], esm, esm);
  const editFn = hop1(['EditExistingLambdaFunctionWithRole', 'UpdateExistingLambdaConfigurationWithLayer']);
  scenario(
    b,
    'privesc17-EditExistingLambdaFunctionWithRole',
    [allow(['lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration'])],
    editFn,
    editFn,
  );
  const glueNew = hop1('PassExistingRoleToNewGlueDevEndpoint');
  scenario(
    b,
    'privesc18-PassExistingRoleToNewGlueDevEndpoint',
    [allow(['glue:CreateDevEndpoint', 'glue:GetDevEndpoint', 'iam:PassRole'])],
    glueNew,
    glueNew,
  );
  const glueUpd = hop1('UpdateExistingGlueDevEndpoint');
  scenario(
    b,
    'privesc19-UpdateExistingGlueDevEndpoint',
    [allow(['glue:UpdateDevEndpoint', 'glue:GetDevEndpoint'])],
    glueUpd,
    glueUpd,
  );
  const cfn = hop1('PassExistingRoleToCloudFormation');
  scenario(
    b,
    'privesc20-PassExistingRoleToCloudFormation',
    [
      allow(['iam:PassRole', 'cloudformation:CreateStack', 'cloudformation:DescribeStacks'], '*', {
        Sid: 'VisualEditor0',
      }),
    ],
    cfn,
    cfn,
  );
  const dp = hop1('PassExistingRoleToNewDataPipeline');
  scenario(
    b,
    'privesc21-PassExistingRoleToNewDataPipeline',
    [
      allow('iam:PassRole'),
      allow([
        'datapipeline:CreatePipeline',
        'datapipeline:PutPipelineDefinition',
        'datapipeline:ActivatePipeline',
      ]),
    ],
    dp,
    dp,
  );
  const cfnUpd = hop1('UpdateExistingCloudFormationStack');
  scenario(
    b,
    'privesc-CloudFormationUpdateStack',
    [allow(['cloudformation:UpdateStack', 'cloudformation:DescribeStacks'])],
    cfnUpd,
    cfnUpd,
  );
  const cb = hop1('PassExistingRoleToNewCodeBuildProject');
  scenario(
    b,
    'privesc-codeBuildCreateProjectPassRole-policy',
    [
      allow([
        'codebuild:CreateProject',
        'codebuild:StartBuild',
        'codebuild:StartBuildBatch',
        'iam:PassRole',
        'iam:ListRoles',
      ]),
    ],
    cb,
    cb,
  );
  const eic = hop1('EC2InstanceConnectSendSSHPublicKey');
  scenario(
    b,
    'privesc-ec2InstanceConnect-policy',
    [
      allow([
        'ec2:DescribeInstances',
        'ec2-instance-connect:SendSSHPublicKey',
        'ec2-instance-connect:SendSerialConsoleSSHPublicKey',
      ]),
    ],
    eic,
    eic,
  );
  // With a notebook listed, presigning its URL is as short as creating a new one.
  const nb = hop1(['PassExistingRoleToNewSageMakerNotebook', 'AccessExistingSageMakerNotebook']);
  scenario(
    b,
    'privesc-sageMakerCreateNotebookPassRole-policy',
    [
      allow([
        'sagemaker:CreateNotebookInstance',
        'sagemaker:CreatePresignedNotebookInstanceUrl',
        'sagemaker:ListNotebookInstances',
        'sagemaker:DescribeNotebookInstance',
        'sagemaker:StopNotebookInstance',
        'sagemaker:DeleteNotebookInstance',
        'iam:PassRole',
        'iam:ListRoles',
      ]),
    ],
    nb,
    nb,
  );
  const url = hop1('AccessExistingSageMakerNotebook');
  scenario(
    b,
    'privesc-sageMakerCreatePresignedNotebookURL-policy',
    [allow(['sagemaker:CreatePresignedNotebookInstanceUrl', 'sagemaker:ListNotebookInstances'])],
    url,
    url,
  );
  const tj = hop1('PassExistingRoleToNewSageMakerTrainingJob');
  scenario(
    b,
    'privesc-sageMakerCreateTrainingJobPassRole-policy',
    [allow(['sagemaker:CreateTrainingJob', 'iam:PassRole'])],
    tj,
    tj,
  );
  const pj = hop1('PassExistingRoleToNewSageMakerProcessingJob');
  scenario(
    b,
    'privesc-sageMakerCreateProcessingJobPassRole-policy',
    [allow(['sagemaker:CreateProcessingJob', 'iam:PassRole'])],
    pj,
    pj,
  );
  const ssmCmd = hop1('SSMSendCommandOnInstance');
  scenario(
    b,
    'privesc-ssmSendCommand-policy',
    [allow(['ec2:DescribeInstances', 'ssm:listCommands', 'ssm:listCommandInvocations', 'ssm:sendCommand'])],
    ssmCmd,
    ssmCmd,
  );
  const ssmSess = hop1('SSMStartSessionOnInstance');
  scenario(
    b,
    'privesc-ssmStartSession-policy',
    [
      allow([
        'ec2:DescribeInstances',
        'ssm:StartSession',
        'ssm:DescribeSessions',
        'ssm:GetConnectionStatus',
        'ssm:DescribeInstanceProperties',
        'ssm:TerminateSession',
        'ssm:ResumeSession',
      ]),
    ],
    ssmSess,
    ssmSess,
  );
  // privesc-AssumeRole: start user -> starting role -> intermediate role -> ending (admin) role,
  // each trust policy naming the previous principal (no identity policy needed in one account).
  const high = b.policy('privesc-AssumeRole-high-priv-policy', [doc(allow('*', '*'))]);
  const start = b.user('privesc-AssumeRole-start-user');
  const r1 = b.role('privesc-AssumeRole-starting-role', trustAws(start));
  const r2 = b.role('privesc-AssumeRole-intermediate-role', trustAws(r1));
  const r3 = b.role('privesc-AssumeRole-ending-role', trustAws(r2), { attached: [high] });
  const chain = ['AssumeRole', 'AssumeRole', 'AssumeRole'];
  b.expect({
    principal: start,
    why: 'privesc-AssumeRole chain (user)',
    escalates: true,
    technique: chain.join(' -> '),
    hops: 3,
  });
  b.expect({
    principal: r1,
    why: 'privesc-AssumeRole chain (starting role)',
    escalates: true,
    technique: chain.slice(1).join(' -> '),
    hops: 2,
  });
  b.expect({
    principal: r3,
    why: 'privesc-AssumeRole ending role',
    escalates: true,
    technique: 'already-admin',
    hops: 0,
  });
  // sre.tf: iam:*, ec2:*, s3:* through a group and a role; not administrator-equivalent itself.
  const sre = b.policy('privesc-sre-admin-policy', [doc(allow(['iam:*', 'ec2:*', 's3:*']))]);
  b.group('privesc-sre-group', { attached: [sre] });
  const sreUser = b.user('privesc-sre-user', { groups: ['privesc-sre-group'] });
  const sreRole = b.role('privesc-sre-role', trustAws(sreUser), { attached: [sre] });
  b.expect({ principal: sreUser, why: 'sre user (iam:* via group)', escalates: true, hops: 1 });
  b.expect({ principal: sreRole, why: 'sre role (iam:*)', escalates: true, hops: 1 });
}

/** iam-vulnerable tool-testing: fp* must not escalate, fn* must. */
function toolTesting(b: CorpusBuilder): void {
  scenario(
    b,
    'fp1-allow-and-deny',
    [allow('iam:*'), { Effect: 'Deny', Action: 'iam:*', Resource: '*' }],
    NO,
    NO,
  );
  const denyAll = b.policy('deny-all', [doc({ Effect: 'Deny', Action: '*', Resource: '*' })]);
  scenario(b, 'fp2-allow-all', [allow('*')], NO, NO, { extraPolicies: [denyAll] });
  scenario(b, 'fp3-deny-iam', [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }], NO, NO);
  scenario(
    b,
    'fp4-nonExploitableResourceConstraint',
    [allow('iam:CreatePolicyVersion', 'arn:aws:iam::aws:policy/fp4-*')],
    NO,
    NO,
  );
  const tokenBefore2020 = { Condition: { DateLessThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' } } };
  scenario(
    b,
    'fp5-nonExploitableConditionConstraint',
    [allow('iam:CreatePolicyVersion', '*', tokenBefore2020)],
    NO,
    NO,
  );
  const partial = b.policy('fn1-privesc3-partial', [
    doc(allow(['ec2:DescribeInstances', 'ec2:RunInstances'])),
  ]);
  const passStar = b.policy('fn1-passrole-star', [doc(allow(['iam:PassRole']))]);
  const fn1 = b.user('fn1-privesc3-partial-user', { attached: [partial, passStar] });
  b.expect({ principal: fn1, why: 'fn1 two policies (user)', ...hop1('CreateEC2WithExistingIP') });
  scenario(
    b,
    'fn2-exploitableResourceConstraint',
    [allow('iam:CreatePolicyVersion', 'arn:aws:iam::*:policy/fn2-*')],
    hop1('CreateNewPolicyVersion'),
    hop1('CreateNewPolicyVersion'),
  );
  const tokenAfter2020 = { Condition: { DateGreaterThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' } } };
  scenario(
    b,
    'fn3-exploitableConditionConstraint',
    [allow('iam:CreatePolicyVersion', '*', tokenAfter2020)],
    hop1('CreateNewPolicyVersion'),
    hop1('CreateNewPolicyVersion'),
  );
  scenario(
    b,
    'fn4-exploitableNotAction',
    [{ Effect: 'Allow', NotAction: ['iam:Update*', 'iam:Create*', 'iam:Attach*'], Resource: '*' }],
    { escalates: true, hops: 1 },
    { escalates: true, hops: 1 },
  );
  const permissive = b.role('privesc-permissive-role-trust', trustAws(`arn:aws:iam::${A}:root`));
  b.expect({ principal: permissive, why: 'role trusting the account root, no policy', ...NO });
}

export interface CatalogueCorpus {
  files: Record<string, unknown>;
  expectations: Expectation[];
}

/** The whole corpus: files to write into one folder, and the expected row per principal. */
export function buildCatalogueCorpus(): CatalogueCorpus {
  const b = new CorpusBuilder();
  baseEnvironment(b);
  iamVulnerable(b);
  toolTesting(b);
  const extra = pathfinding(b);
  return {
    files: {
      'authorization-details.json': b.authorizationDetails(),
      ...listings(),
      ...extra,
    },
    expectations: b.expectations,
  };
}
