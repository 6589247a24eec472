/**
 * Access level of an AWS action, from the verb that starts its name, and the probe actions used
 * to find the level a principal holds on a resource of a service.
 *
 * AWS documents one access level per action in the Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html):
 * List, Read, Write, Permissions management, Tagging. Warden maps them to its vocabulary by verb
 * prefix, which holds across services because AWS names actions `Verb` + `Noun`:
 *
 * | verb prefix (case-insensitive)                                      | level  |
 * |---------------------------------------------------------------------|--------|
 * | `Put|Delete|Set|Update|Attach|Detach` + `*Policy`, `*Acl`, `*PublicAccessBlock` (`PutBucketPolicy`, `PutKeyPolicy`, `PutResourcePolicy`, `PutObjectAcl` ...), `AddPermission`, `RemovePermission`, `CreateGrant` | admin (permissions management: whoever holds it can grant anything on the resource) |
 * | `List*`, `Describe*` (as the connectors' grant levels do)             | list   |
 * | `Get*`, `Head*`, `Select*`, `BatchGet*`, `Query`, `Scan`, `Receive*`, `Decrypt`, `Download*`, `Read*`, `View*`, `Lookup*` | read |
 * | anything else (`Put*`, `Create*`, `Delete*`, `Update*`, `Invoke*`, `Send*`, `Publish`, `Encrypt`, `Tag*` ...) | write |
 *
 * Deliberate choices: `kms:Decrypt` and `sqs:ReceiveMessage` are Write in AWS's table but read
 * data, so they are read here (the level says what an attacker gets); `kms:GenerateDataKey*` and
 * `lambda:InvokeFunction` are write.
 */
import type { AccessLevel } from '../../model/index.js';
import { SERVICE_SCOPE_RX } from '../graph-codes.js';

export type GrantLevel = Exclude<AccessLevel, 'none'>;

/** Numeric order of levels (0 none .. 4 admin), same as the graph's. */
export const LEVEL_RANK: Readonly<Record<AccessLevel, number>> = {
  none: 0,
  list: 1,
  read: 2,
  write: 3,
  admin: 4,
};
export const RANK_LEVEL: readonly AccessLevel[] = ['none', 'list', 'read', 'write', 'admin'];

const ADMIN_RX =
  /^(?:(?:put|delete|set|update|attach|detach)\w*(?:policy|acl|publicaccessblock)|addpermission|removepermission|creategrant)$/;
const READ_RX = /^(?:get|head|select|batchget|query$|scan$|receive|decrypt$|download|read|view|lookup)/;

/** Level of one action name (`s3:GetObject` or `GetObject`, any case). `*` and `svc:*` are admin. */
export function actionLevel(action: string): GrantLevel {
  const c = action.indexOf(':');
  const verb = (c < 0 ? action : action.slice(c + 1)).toLowerCase();
  if (verb === '*' || verb === '') return 'admin';
  if (ADMIN_RX.test(verb)) return 'admin';
  if (verb.startsWith('list') || verb.startsWith('describe')) return 'list';
  if (READ_RX.test(verb)) return 'read';
  return 'write';
}

/**
 * One probe: an action that stands for its level on a resource of the service. `on: 'object'`
 * asks on an object inside the resource (S3 object-level actions take `arn:aws:s3:::bucket/key`).
 */
export interface LevelProbe {
  readonly action: string;
  readonly level: GrantLevel;
  readonly on: 'self' | 'object';
}

const P = (action: string, on: 'self' | 'object' = 'self'): LevelProbe => ({
  action,
  level: actionLevel(action),
  on,
});

/**
 * Probe actions per service, highest level first, so the first allowed probe gives the level.
 * Services not listed here are not given levels (their resources keep whatever the store says).
 */
export const LEVEL_PROBES: Readonly<Record<string, readonly LevelProbe[]>> = {
  s3: [
    P('s3:PutBucketPolicy'),
    P('s3:PutBucketAcl'),
    P('s3:PutObjectAcl', 'object'),
    P('s3:PutObject', 'object'),
    P('s3:DeleteObject', 'object'),
    P('s3:GetObject', 'object'),
    P('s3:ListBucket'),
  ],
  kms: [
    P('kms:PutKeyPolicy'),
    P('kms:CreateGrant'),
    P('kms:Encrypt'),
    P('kms:Decrypt'),
    P('kms:DescribeKey'),
  ],
  lambda: [
    P('lambda:AddPermission'),
    P('lambda:UpdateFunctionCode'),
    P('lambda:InvokeFunction'),
    P('lambda:GetFunction'),
    P('lambda:ListVersionsByFunction'),
  ],
  secretsmanager: [
    P('secretsmanager:PutResourcePolicy'),
    P('secretsmanager:PutSecretValue'),
    P('secretsmanager:GetSecretValue'),
    P('secretsmanager:ListSecretVersionIds'),
  ],
  sqs: [P('sqs:AddPermission'), P('sqs:SendMessage'), P('sqs:ReceiveMessage'), P('sqs:ListQueueTags')],
  sns: [
    P('sns:AddPermission'),
    P('sns:Publish'),
    P('sns:GetTopicAttributes'),
    P('sns:ListSubscriptionsByTopic'),
  ],
  dynamodb: [
    P('dynamodb:PutResourcePolicy'),
    P('dynamodb:PutItem'),
    P('dynamodb:GetItem'),
    P('dynamodb:ListTagsOfResource'),
  ],
  ssm: [P('ssm:PutParameter'), P('ssm:GetParameter')],
};

/** Services whose resources get levels (keys of `LEVEL_PROBES`). */
export const LEVEL_SERVICES: readonly string[] = Object.keys(LEVEL_PROBES);

/**
 * A probe ARN of the service in an account: a resource name no policy names literally, so only a
 * grant on every resource of the service (in that account, any region) matches it. S3 bucket
 * ARNs carry no account or region.
 */
export function probeArn(service: string, account: string, tag: string): string {
  switch (service) {
    case 's3':
      return `arn:aws:s3:::warden-probe-${tag}`;
    case 'kms':
      return `arn:aws:kms:us-east-1:${account}:key/warden-probe-${tag}`;
    case 'lambda':
      return `arn:aws:lambda:us-east-1:${account}:function:warden-probe-${tag}`;
    case 'secretsmanager':
      return `arn:aws:secretsmanager:us-east-1:${account}:secret:warden-probe-${tag}-AbCdEf`;
    case 'dynamodb':
      return `arn:aws:dynamodb:us-east-1:${account}:table/warden-probe-${tag}`;
    case 'ssm':
      return `arn:aws:ssm:us-east-1:${account}:parameter/warden-probe-${tag}`;
    default:
      return `arn:aws:${service}:us-east-1:${account}:warden-probe-${tag}`;
  }
}

/** The ARN a probe is asked on: the resource itself, or an object inside it. */
export function probeTarget(probe: LevelProbe, resourceArn: string): string {
  return probe.on === 'object' ? `${resourceArn}/warden-probe-object` : resourceArn;
}

/** Native id of the per-account service scope node (`aws:111122223333:s3:*`). */
export function scopeNodeId(account: string, service: string): string {
  return `aws:${account}:${service}:*`;
}

/** Account and service of a scope node id, or null. */
export function parseScopeNodeId(id: string): { account: string; service: string } | null {
  const m = SERVICE_SCOPE_RX.exec(id);
  return m ? { account: m[1]!, service: m[2]! } : null;
}
