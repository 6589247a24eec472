/**
 * What the CloudTrail scanners keep of a record (cloudtrail-scan.ts in JavaScript, and
 * wasm/cloudtrail-scan.ts through cloudtrail-scan-wasm.ts): the keys they match at each level, in
 * the order that gives each its code, and the recent strings of each kind of field, shared by both
 * so a thread's repeated values are one string whichever scanner read them.
 */
import { recent } from './cloudtrail-json-cursor.js';
import { PARAM_KEYS, type NOT_OBJECT, type TrailRecord } from './cloudtrail-record.js';

/** A scanned file's records, in order. */
export type Scanned = (TrailRecord | typeof NOT_OBJECT)[];

export const RECORD_KEYS = [
  'eventVersion',
  'eventID',
  'eventTime',
  'eventSource',
  'eventName',
  'eventType',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'errorCode',
  'recipientAccountId',
  'readOnly',
  'userIdentity',
  'resources',
  'requestParameters',
  'responseElements',
  'additionalEventData',
] as const;
export const IDENTITY_KEYS = [
  'type',
  'arn',
  'principalId',
  'accessKeyId',
  'invokedBy',
  'userName',
  'sessionContext',
] as const;

/**
 * The keys matched at each level of a log file, in the WebAssembly scanner's table order (its
 * T_TOP is 1, T_RECORD 2, ...): a key's code is its place in its list, from 1.
 */
export const LEVEL_KEYS = [
  ['Records'],
  RECORD_KEYS,
  IDENTITY_KEYS,
  ['sessionIssuer'],
  ['arn'],
  ['ARN'],
  ['ConsoleLogin'],
  ['MFAUsed'],
  PARAM_KEYS,
] as const;

/** Recent values by kind of field (see JsonCursor.str): names and codes, addresses, user agents, ARNs. */
export const META = recent(1024);
export const ADDRESSES = recent(1024);
export const AGENTS = recent(1024);
export const IDENTITIES = recent(4096);
export const RESOURCES = recent(4096);
