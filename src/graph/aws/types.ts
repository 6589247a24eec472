/**
 * Typed input of the AWS analysis, built by `parseAwsEnvironment` from the raw AWS CLI JSON.
 * Policy documents are kept raw (object, JSON text or URL-encoded JSON text) and compiled once by
 * the evaluator.
 */

export interface AwsInlinePolicy {
  readonly name: string;
  readonly document: unknown;
}

export interface AwsPrincipalBase {
  readonly arn: string;
  readonly name: string;
  /** Unique id (AIDA... for users, AROA... for roles); trust policies may name it after a delete. */
  readonly id: string;
  readonly path: string;
  readonly account: string;
  readonly inlinePolicies: readonly AwsInlinePolicy[];
  readonly attachedPolicyArns: readonly string[];
  readonly boundaryArn: string | null;
  readonly tags: Readonly<Record<string, string>>;
}

export interface AwsUser extends AwsPrincipalBase {
  readonly kind: 'user';
  readonly groupNames: readonly string[];
}

export interface AwsRole extends AwsPrincipalBase {
  readonly kind: 'role';
  readonly trustPolicy: unknown;
  readonly instanceProfileArns: readonly string[];
}

export interface AwsGroup {
  readonly arn: string;
  readonly name: string;
  readonly id: string;
  readonly account: string;
  readonly inlinePolicies: readonly AwsInlinePolicy[];
  readonly attachedPolicyArns: readonly string[];
}

export interface AwsPolicyVersion {
  readonly versionId: string;
  readonly isDefault: boolean;
  readonly document: unknown;
}

export interface AwsManagedPolicy {
  readonly arn: string;
  readonly name: string;
  readonly defaultVersionId: string;
  readonly versions: readonly AwsPolicyVersion[];
  /** `arn:aws:iam::aws:policy/...`: cannot be edited by anyone in the account. */
  readonly awsManaged: boolean;
}

export interface AwsScp {
  readonly id: string;
  readonly name: string;
  readonly document: unknown;
}

/** A compute resource that runs as a role, from the resource listings. */
export interface AwsRoleBearingResource {
  readonly type:
    | 'lambda-function'
    | 'ec2-instance'
    | 'cloudformation-stack'
    | 'glue-dev-endpoint'
    | 'sagemaker-notebook'
    | 'codebuild-project'
    | 'ecs-task-definition';
  /** The resource's ARN (built from documented ARN formats when the listing omits it). */
  readonly arn: string;
  readonly name: string;
  readonly account: string | null;
  /** Role ARN the resource runs as (instance profiles are resolved to their role). */
  readonly roleArn: string | null;
  /** EC2 only: managed by SSM and online (from `ssm describe-instance-information`). */
  readonly ssmOnline?: boolean;
  /** EC2 only: instance state name. */
  readonly state?: string;
  /** EC2 only: instance profile ARN as listed. */
  readonly instanceProfileArn?: string;
  /** EC2 only: public IPv4 address (`PublicIpAddress`), when it has one. */
  readonly publicIp?: string;
}

/**
 * A resource-based policy read from `aws s3api get-bucket-policy`, `aws kms get-key-policy`,
 * `aws lambda get-policy`, `aws secretsmanager get-resource-policy`, `aws sqs get-queue-attributes`
 * or `aws sns get-topic-attributes` (see `parse-resource-policies.ts` for how the resource is named).
 */
export interface AwsResourcePolicy {
  /** ARN of the resource the policy is attached to. */
  readonly arn: string;
  /** Service prefix (`s3`, `kms`, `lambda`, `secretsmanager`, `sqs`, `sns`). */
  readonly service: string;
  readonly type: string;
  readonly name: string;
  /** Owning account; null when unknown (an S3 bucket ARN carries none). */
  readonly account: string | null;
  /** The policy document (JSON text as the CLI returns it, or an object). */
  readonly document: unknown;
  /** Input the policy came from (file label), for reasons. */
  readonly source: string;
}

/** A resource known to exist (listings, resource-policy files), that has-permission edges may target. */
export interface AwsInventoryResource {
  readonly arn: string;
  readonly service: string;
  readonly type: string;
  readonly name: string;
  readonly account: string | null;
  readonly sensitivity?: 'low' | 'medium' | 'high' | 'critical';
  /**
   * Secrets Manager secrets: the KMS key that encrypts it, as `list-secrets` gives it (key id, key
   * ARN or alias); absent means the AWS managed key `aws/secretsmanager`.
   * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_SecretListEntry.html
   */
  readonly kmsKeyId?: string;
  /**
   * Secrets: ARNs (or unique ids) of the users and roles whose credential the secret holds, as
   * another source says (AWS does not): see `setSecretHolders`. Reading the secret is then the
   * `ReadSecretHoldingCredential` technique.
   */
  readonly holds?: readonly string[];
}

export interface AwsParseIssue {
  /** Which input (index in the array given to the parser, or the label given with it). */
  readonly source: string;
  /** JSON pointer inside that input. */
  readonly pointer: string;
  readonly message: string;
}

export interface AwsEnvironment {
  readonly users: AwsUser[];
  readonly roles: AwsRole[];
  readonly groups: AwsGroup[];
  readonly policies: AwsManagedPolicy[];
  /** Service control policies applying to every account of the export (one level, see README). */
  readonly scps: AwsScp[];
  /** Organizations management account ids: SCPs never restrict them. */
  readonly managementAccounts: string[];
  /** Access key count per user name (active and inactive keys both count toward the limit of 2). */
  readonly accessKeyCounts: Map<string, number>;
  /** Console password present per user ARN (from the credential report). */
  readonly passwordEnabled: Map<string, boolean>;
  readonly resources: AwsRoleBearingResource[];
  /** Resource-based policies (absent in environments built by hand before they existed). */
  readonly resourcePolicies?: AwsResourcePolicy[];
  /** Every resource known by ARN (role-bearing ones, listed secrets/buckets/keys, policy holders). */
  readonly inventory?: AwsInventoryResource[];
  readonly issues: AwsParseIssue[];
}
