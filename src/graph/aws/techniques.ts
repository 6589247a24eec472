/**
 * The catalogue of AWS privilege-escalation techniques. Each entry is data: adding a technique is
 * adding an entry (the analysis interprets `mechanism`, `requires`, `trusts`, `resourceType`).
 *
 * Sources (public catalogues; names follow Rhino Security Labs where they have one):
 * - Rhino Security Labs, "AWS IAM Privilege Escalation – Methods and Mitigation":
 *   https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
 * - BishopFox iam-vulnerable: https://github.com/BishopFox/iam-vulnerable
 * - DataDog pathfinding.cloud (paths and labs): https://pathfinding.cloud/ ,
 *   https://github.com/DataDog/pathfinding-labs
 * Required actions were checked against the Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
 */
import { NEW_PASSROLE_TECHNIQUES } from './passrole-techniques.js';
import { BF, PF, RHINO } from './technique-refs.js';

export type TechniqueCategory =
  'self-escalation' | 'principal-access' | 'new-passrole' | 'existing-passrole' | 'credential-access';

export type Mechanism =
  /** Write an identity policy of a user, role or group (members gain it). */
  | 'policy-write'
  /** Create a new default version of a customer managed policy attached to the target. */
  | 'policy-version-create'
  /** Make an existing, more powerful version of an attached policy the default. */
  | 'policy-version-set-default'
  /** Add a user to a group whose policies are administrator-equivalent. */
  | 'add-user-to-group'
  /** Remove or replace the permissions boundary that caps a principal. */
  | 'boundary-removal'
  | 'assume-role'
  | 'update-trust'
  | 'create-access-key'
  | 'create-login-profile'
  | 'update-login-profile'
  /**
   * Create a new user (or role) the caller controls, make it administrator, and use it: a user
   * needs an access key or a console password, a role is created trusting the caller.
   */
  | 'create-principal'
  /** Pass an existing role to a new service resource whose code the caller controls. */
  | 'passrole-new'
  /** Take over an existing resource that runs as a role. */
  | 'existing-resource'
  /** Read a secret that holds another principal's credential (`AwsInventoryResource.holds`). */
  | 'secret-read';

/**
 * Where a required action applies:
 * - `target`: the target principal (user/role ARN) or, for groups, the group ARN;
 * - `policy`: the managed policy ARN; `group`: the group ARN;
 * - `passed-role`: the role passed (iam:PassRole, with iam:PassedToService set);
 * - `new`: a new resource the caller names itself (checked against `newResource`);
 * - `resource`: the existing resource (function, stack, instance, secret ...);
 * - `key`: the KMS key that encrypts the resource (a secret). Not needed from the identity
 *   policies when the key policy grants it (the AWS managed key `aws/secretsmanager` does, to
 *   its own account), so it does not gate which principals are looked at.
 *
 * Every `resource` and `key` action is decided with the resource's own policy when the export has
 * one (`AwsEvaluator.decide`): a Deny there blocks the technique, an Allow there enables it for a
 * principal of the resource's account without any identity grant, and for one of another account
 * together with its identity grant.
 */
export type ActionTarget = 'target' | 'policy' | 'group' | 'passed-role' | 'new' | 'resource' | 'key';

export interface RequiredAction {
  readonly action: string;
  readonly on: ActionTarget;
}

export interface Technique {
  readonly name: string;
  readonly category: TechniqueCategory;
  readonly mechanism: Mechanism;
  readonly targetKind?: 'user' | 'role' | 'group';
  readonly requires: readonly RequiredAction[];
  /** Service principal the passed role must trust (passrole-new). */
  readonly trusts?: string;
  /** The passed role must be in an instance profile (EC2 launches pass a profile). */
  readonly instanceProfile?: boolean;
  /** ARN template of the new resource; `{account}` is the caller's account. */
  readonly newResource?: string;
  readonly resourceType?:
    | 'lambda-function'
    | 'ec2-instance'
    | 'cloudformation-stack'
    | 'glue-dev-endpoint'
    | 'sagemaker-notebook'
    | 'codebuild-project'
    | 'ecs-task-definition';
  /**
   * The run names its role itself (`--overrides taskRoleArn`): every role trusting `trusts` that the
   * caller can pass is reached through any existing resource of the type.
   */
  readonly overrideRole?: boolean;
  /** Extra condition on an existing EC2 instance. */
  readonly instanceNeeds?: 'ssm-online' | 'running' | 'network';
  readonly gains: string;
  readonly references: readonly string[];
}

const existing = (
  name: string,
  resourceType: NonNullable<Technique['resourceType']>,
  actions: string[],
  refs: string[],
  extra: Partial<Technique> = {},
): Technique => ({
  name,
  category: 'existing-passrole',
  mechanism: 'existing-resource',
  requires: actions.map((a) => ({ action: a, on: 'resource' as const })),
  resourceType,
  gains: `the permissions of the role the existing ${resourceType} runs as`,
  references: refs,
  ...extra,
});

export const AWS_TECHNIQUES: readonly Technique[] = [
  // Self-escalation: change what a principal's identity policies grant.
  {
    name: 'CreateNewPolicyVersion',
    category: 'self-escalation',
    mechanism: 'policy-version-create',
    requires: [{ action: 'iam:CreatePolicyVersion', on: 'policy' }],
    gains:
      'any permission, through a new default version of a customer managed policy attached to the target (iam:DeletePolicyVersion is also needed when the policy already has 5 versions)',
    references: [RHINO, BF, PF],
  },
  {
    name: 'SetExistingDefaultPolicyVersion',
    category: 'self-escalation',
    mechanism: 'policy-version-set-default',
    requires: [{ action: 'iam:SetDefaultPolicyVersion', on: 'policy' }],
    gains: 'the permissions of a non-default, administrator-equivalent version of an attached policy',
    references: [RHINO, BF, PF],
  },
  {
    name: 'AttachUserPolicy',
    category: 'self-escalation',
    mechanism: 'policy-write',
    targetKind: 'user',
    requires: [{ action: 'iam:AttachUserPolicy', on: 'target' }],
    gains: 'AdministratorAccess attached to the user',
    references: [RHINO, BF, PF],
  },
  {
    name: 'AttachGroupPolicy',
    category: 'self-escalation',
    mechanism: 'policy-write',
    targetKind: 'group',
    requires: [{ action: 'iam:AttachGroupPolicy', on: 'group' }],
    gains: 'AdministratorAccess attached to a group of the target user',
    references: [RHINO, BF, PF],
  },
  {
    name: 'AttachRolePolicy',
    category: 'self-escalation',
    mechanism: 'policy-write',
    targetKind: 'role',
    requires: [{ action: 'iam:AttachRolePolicy', on: 'target' }],
    gains: 'AdministratorAccess attached to the role',
    references: [RHINO, BF, PF],
  },
  {
    name: 'PutUserPolicy',
    category: 'self-escalation',
    mechanism: 'policy-write',
    targetKind: 'user',
    requires: [{ action: 'iam:PutUserPolicy', on: 'target' }],
    gains: 'an inline policy granting *:* on the user',
    references: [RHINO, BF, PF],
  },
  {
    name: 'PutGroupPolicy',
    category: 'self-escalation',
    mechanism: 'policy-write',
    targetKind: 'group',
    requires: [{ action: 'iam:PutGroupPolicy', on: 'group' }],
    gains: 'an inline policy granting *:* on a group of the target user',
    references: [RHINO, BF, PF],
  },
  {
    name: 'PutRolePolicy',
    category: 'self-escalation',
    mechanism: 'policy-write',
    targetKind: 'role',
    requires: [{ action: 'iam:PutRolePolicy', on: 'target' }],
    gains: 'an inline policy granting *:* on the role',
    references: [RHINO, BF, PF],
  },
  {
    name: 'AddUserToGroup',
    category: 'self-escalation',
    mechanism: 'add-user-to-group',
    requires: [{ action: 'iam:AddUserToGroup', on: 'group' }],
    gains: 'membership of an administrator-equivalent group',
    references: [RHINO, BF, PF],
  },
  {
    name: 'DeleteUserPermissionsBoundary',
    category: 'self-escalation',
    mechanism: 'boundary-removal',
    targetKind: 'user',
    requires: [{ action: 'iam:DeleteUserPermissionsBoundary', on: 'target' }],
    gains: 'the uncapped identity permissions of the user',
    references: [PF],
  },
  {
    name: 'PutUserPermissionsBoundary',
    category: 'self-escalation',
    mechanism: 'boundary-removal',
    targetKind: 'user',
    requires: [{ action: 'iam:PutUserPermissionsBoundary', on: 'target' }],
    gains: 'the identity permissions of the user under a permissive boundary',
    references: [PF],
  },
  {
    name: 'DeleteRolePermissionsBoundary',
    category: 'self-escalation',
    mechanism: 'boundary-removal',
    targetKind: 'role',
    requires: [{ action: 'iam:DeleteRolePermissionsBoundary', on: 'target' }],
    gains: 'the uncapped identity permissions of the role',
    references: [PF],
  },
  {
    name: 'PutRolePermissionsBoundary',
    category: 'self-escalation',
    mechanism: 'boundary-removal',
    targetKind: 'role',
    requires: [{ action: 'iam:PutRolePermissionsBoundary', on: 'target' }],
    gains: 'the identity permissions of the role under a permissive boundary',
    references: [PF],
  },
  // Principal access: obtain another principal's credentials.
  {
    name: 'AssumeRole',
    category: 'principal-access',
    mechanism: 'assume-role',
    targetKind: 'role',
    requires: [{ action: 'sts:AssumeRole', on: 'target' }],
    gains: "the role's permissions (role chaining)",
    references: [BF, PF],
  },
  {
    name: 'UpdateRolePolicyToAssumeIt',
    category: 'principal-access',
    mechanism: 'update-trust',
    targetKind: 'role',
    requires: [{ action: 'iam:UpdateAssumeRolePolicy', on: 'target' }],
    gains: "the role's permissions, after rewriting its trust policy to trust the caller",
    references: [RHINO, BF, PF],
  },
  {
    name: 'CreateAccessKey',
    category: 'principal-access',
    mechanism: 'create-access-key',
    targetKind: 'user',
    requires: [{ action: 'iam:CreateAccessKey', on: 'target' }],
    gains: 'a new access key of a user that has fewer than two',
    references: [RHINO, BF, PF],
  },
  {
    name: 'CreateLoginProfile',
    category: 'principal-access',
    mechanism: 'create-login-profile',
    targetKind: 'user',
    requires: [{ action: 'iam:CreateLoginProfile', on: 'target' }],
    gains: 'a console password for a user that has none',
    references: [RHINO, BF, PF],
  },
  {
    name: 'UpdateLoginProfile',
    category: 'principal-access',
    mechanism: 'update-login-profile',
    targetKind: 'user',
    requires: [{ action: 'iam:UpdateLoginProfile', on: 'target' }],
    gains: 'a new console password for a user that has one',
    references: [RHINO, BF, PF],
  },
  // A new principal (pathfinding's earlier iam:CreateUser + AttachUserPolicy / PutUserPolicy /
  // AddUserToGroup + CreateAccessKey paths; HackTricks iam:CreateRole + iam:AttachRolePolicy).
  // `requires` names the creation; the admin grant and the way in are one of several actions each,
  // checked by the edge builder (see edge-policy-writes.ts, create-principal.ts).
  {
    name: 'CreateNewUserWithAdmin',
    category: 'principal-access',
    mechanism: 'create-principal',
    targetKind: 'user',
    requires: [{ action: 'iam:CreateUser', on: 'new' }],
    newResource: 'arn:aws:iam::{account}:user/*',
    gains:
      'a new user made administrator (PutUserPolicy, AttachUserPolicy or AddUserToGroup) with a new access key or console password',
    references: [
      PF,
      'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-iam-privesc/index.html',
    ],
  },
  {
    name: 'CreateNewRoleWithAdmin',
    category: 'principal-access',
    mechanism: 'create-principal',
    targetKind: 'role',
    requires: [{ action: 'iam:CreateRole', on: 'new' }],
    newResource: 'arn:aws:iam::{account}:role/*',
    gains: 'a new role trusting the caller, made administrator (PutRolePolicy or AttachRolePolicy)',
    references: [
      'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-iam-privesc/index.html',
    ],
  },
  // Pass an existing role to a new resource (see passrole-techniques.ts).
  ...NEW_PASSROLE_TECHNIQUES,
  // Take over an existing resource that runs as a role.
  existing(
    'EditExistingLambdaFunctionWithRole',
    'lambda-function',
    ['lambda:UpdateFunctionCode'],
    [RHINO, BF, PF],
  ),
  existing(
    'UpdateExistingLambdaConfigurationWithLayer',
    'lambda-function',
    ['lambda:UpdateFunctionConfiguration'],
    [PF],
  ),
  existing('UpdateExistingGlueDevEndpoint', 'glue-dev-endpoint', ['glue:UpdateDevEndpoint'], [RHINO, BF, PF]),
  existing('UpdateExistingCloudFormationStack', 'cloudformation-stack', ['cloudformation:UpdateStack'], [PF]),
  existing(
    'ExecuteChangeSetOnExistingCloudFormationStack',
    'cloudformation-stack',
    ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'],
    [PF],
  ),
  existing(
    'AccessExistingSageMakerNotebook',
    'sagemaker-notebook',
    ['sagemaker:CreatePresignedNotebookInstanceUrl'],
    [BF, PF],
  ),
  // pathfinding sagemaker-005: a lifecycle configuration attached to a stopped notebook runs as
  // its role when it starts again.
  existing(
    'UpdateExistingSageMakerNotebookLifecycle',
    'sagemaker-notebook',
    [
      'sagemaker:CreateNotebookInstanceLifecycleConfig',
      'sagemaker:StopNotebookInstance',
      'sagemaker:UpdateNotebookInstance',
      'sagemaker:StartNotebookInstance',
    ],
    [PF],
  ),
  existing('StartBuildWithBuildspecOverride', 'codebuild-project', ['codebuild:StartBuild'], [PF]),
  existing('StartBuildBatchWithBuildspecOverride', 'codebuild-project', ['codebuild:StartBuildBatch'], [PF]),
  existing(
    'UpdateExistingCodeBuildProjectThenStartBuild',
    'codebuild-project',
    ['codebuild:StartBuild', 'codebuild:UpdateProject'],
    [PF],
  ),
  // pathfinding ecs-008 (RunTask, Fargate) and ecs-009 (StartTask on a container instance): an
  // existing task definition run with `--overrides` naming the task role and the command.
  ...(['RunTask', 'StartTask'] as const).map((a): Technique => ({
    name: `${a === 'RunTask' ? 'Run' : 'Start'}ExistingECSTaskDefinitionWithOverride`,
    category: 'existing-passrole',
    mechanism: 'existing-resource',
    resourceType: 'ecs-task-definition',
    requires: [
      { action: `ecs:${a}`, on: 'resource' },
      { action: 'iam:PassRole', on: 'passed-role' },
    ],
    trusts: 'ecs-tasks.amazonaws.com',
    overrideRole: true,
    gains: 'the permissions of any passable role trusting ECS tasks, through an existing task definition',
    references: [PF],
  })),
  existing('SSMSendCommandOnInstance', 'ec2-instance', ['ssm:SendCommand'], [PF], {
    category: 'credential-access',
    instanceNeeds: 'ssm-online',
  }),
  existing('SSMStartSessionOnInstance', 'ec2-instance', ['ssm:StartSession'], [PF], {
    category: 'credential-access',
    instanceNeeds: 'ssm-online',
  }),
  existing(
    'EC2InstanceConnectSendSSHPublicKey',
    'ec2-instance',
    ['ec2-instance-connect:SendSSHPublicKey'],
    [PF],
    { category: 'credential-access', instanceNeeds: 'network' },
  ),
  existing(
    'ModifyInstanceAttributeUserData',
    'ec2-instance',
    ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances', 'ec2:StartInstances'],
    [PF],
    { category: 'credential-access' },
  ),
  // Read a secret that holds another principal's credential (an access key of an IAM user).
  // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
  // https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html
  {
    name: 'ReadSecretHoldingCredential',
    category: 'credential-access',
    mechanism: 'secret-read',
    requires: [
      { action: 'secretsmanager:GetSecretValue', on: 'resource' },
      { action: 'kms:Decrypt', on: 'key' },
    ],
    gains: 'the permissions of the principal whose credential the secret holds',
    references: [
      'https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html',
      PF,
    ],
  },
];

/** Looks a technique up by name (case-insensitive). */
export function findTechnique(name: string): Technique | undefined {
  const n = name.toLowerCase();
  return AWS_TECHNIQUES.find((t) => t.name.toLowerCase() === n);
}
