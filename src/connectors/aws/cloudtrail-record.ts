import { isObject } from './aws-common.js';

/**
 * The fields of one CloudTrail record that the connector reads
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
 * Both readers fill it: the single-pass scanner (cloudtrail-scan.ts) on well-formed files, and
 * {@link trailRecordOf} on records parsed by `JSON.parse` (the tolerant path for damaged files), so
 * the connector has one code path and the two readers can be compared field by field in tests.
 *
 * A field is `undefined` when the record lacks it or, for fields the connector only uses as text,
 * when it is not a string. `readOnly`, `userIdentity.type` and `userIdentity.principalId` keep any
 * JSON value, because the connector copies or prints them as they are.
 */
export class TrailRecord {
  eventVersion: string | undefined = undefined;
  eventID: string | undefined = undefined;
  eventTime: string | undefined = undefined;
  eventSource: string | undefined = undefined;
  eventName: string | undefined = undefined;
  eventType: string | undefined = undefined;
  awsRegion: string | undefined = undefined;
  sourceIPAddress: string | undefined = undefined;
  userAgent: string | undefined = undefined;
  errorCode: string | undefined = undefined;
  recipientAccountId: string | undefined = undefined;
  readOnly: unknown = undefined;
  /** `userIdentity` is an object. */
  hasIdentity = false;
  idType: unknown = undefined;
  idArn: string | undefined = undefined;
  idPrincipalId: unknown = undefined;
  idAccessKeyId: string | undefined = undefined;
  idInvokedBy: string | undefined = undefined;
  idUserName: string | undefined = undefined;
  /** `userIdentity.sessionContext.sessionIssuer.arn`. */
  issuerArn: string | undefined = undefined;
  /** `resources[0].ARN`. */
  resourceArn: string | undefined = undefined;
  /** `requestParameters`' resource-naming values, when it is an object. */
  params: ParamValues | undefined = undefined;
  /** `responseElements.ConsoleLogin`. */
  consoleLogin: string | undefined = undefined;
  /** `additionalEventData.MFAUsed`. */
  mfaUsed: string | undefined = undefined;

  /**
   * The resource named by `requestParameters` (see {@link resourceFromParams}), when it is an
   * object. Worked out when asked: `resources[0].ARN` comes first, and is there in most events
   * (every S3 data event), so building an S3 ARN for each would be wasted.
   */
  get paramResource(): string | undefined {
    return this.params ? resourceFromParams(this.params) : undefined;
  }
}

/** A record (array element) that is not a JSON object. */
export const NOT_OBJECT = Symbol('not an object');

/** The `requestParameters` keys that name the resource an event acted on, string values only. */
export interface ParamValues {
  roleArn?: string | undefined;
  policyArn?: string | undefined;
  secretId?: string | undefined;
  functionName?: string | undefined;
  name?: string | undefined;
  keyId?: string | undefined;
  tableName?: string | undefined;
  queueUrl?: string | undefined;
  topicArn?: string | undefined;
  bucketName?: string | undefined;
  key?: string | undefined;
  roleName?: string | undefined;
  userName?: string | undefined;
  groupName?: string | undefined;
}

export const PARAM_KEYS = [
  'roleArn',
  'policyArn',
  'secretId',
  'functionName',
  'name',
  'keyId',
  'tableName',
  'queueUrl',
  'topicArn',
  'bucketName',
  'key',
  'roleName',
  'userName',
  'groupName',
] as const satisfies readonly (keyof ParamValues)[];

/** The obvious request parameter naming the resource: an ARN or name, an S3 object, an IAM name. */
export function resourceFromParams(p: ParamValues): string | undefined {
  if (p.roleArn) return p.roleArn;
  if (p.policyArn) return p.policyArn;
  if (p.secretId) return p.secretId;
  if (p.functionName) return p.functionName;
  if (p.name) return p.name;
  if (p.keyId) return p.keyId;
  if (p.tableName) return p.tableName;
  if (p.queueUrl) return p.queueUrl;
  if (p.topicArn) return p.topicArn;
  if (p.bucketName !== undefined)
    return `arn:aws:s3:::${p.bucketName}${p.key !== undefined ? `/${p.key}` : ''}`;
  if (p.roleName) return `role/${p.roleName}`;
  if (p.userName) return `user/${p.userName}`;
  if (p.groupName) return `group/${p.groupName}`;
  return undefined;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The connector's view of a record already parsed by `JSON.parse`. */
export function trailRecordOf(r: unknown): TrailRecord | typeof NOT_OBJECT {
  if (!isObject(r)) return NOT_OBJECT;
  const t = new TrailRecord();
  t.eventVersion = text(r.eventVersion);
  t.eventID = text(r.eventID);
  t.eventTime = text(r.eventTime);
  t.eventSource = text(r.eventSource);
  t.eventName = text(r.eventName);
  t.eventType = text(r.eventType);
  t.awsRegion = text(r.awsRegion);
  t.sourceIPAddress = text(r.sourceIPAddress);
  t.userAgent = text(r.userAgent);
  t.errorCode = text(r.errorCode);
  t.recipientAccountId = text(r.recipientAccountId);
  t.readOnly = r.readOnly;
  const ui = r.userIdentity;
  if (isObject(ui)) {
    t.hasIdentity = true;
    t.idType = ui.type;
    t.idArn = text(ui.arn);
    t.idPrincipalId = ui.principalId;
    t.idAccessKeyId = text(ui.accessKeyId);
    t.idInvokedBy = text(ui.invokedBy);
    t.idUserName = text(ui.userName);
    const sc = ui.sessionContext;
    if (isObject(sc) && isObject(sc.sessionIssuer)) t.issuerArn = text(sc.sessionIssuer.arn);
  }
  const res = r.resources;
  if (Array.isArray(res) && res.length > 0 && isObject(res[0])) t.resourceArn = text(res[0].ARN);
  const p = r.requestParameters;
  if (isObject(p)) {
    const v: ParamValues = {};
    for (const k of PARAM_KEYS) v[k] = text(p[k]);
    t.params = v;
  }
  const re = r.responseElements;
  if (isObject(re)) t.consoleLogin = text(re.ConsoleLogin);
  const aed = r.additionalEventData;
  if (isObject(aed)) t.mfaUsed = text(aed.MFAUsed);
  return t;
}
