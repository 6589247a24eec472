/**
 * Resource-based policies and plain resource inventories, as the AWS CLI prints them:
 *
 * - `aws s3api get-bucket-policy --bucket B` -> `{"Policy": "<JSON text>"}`
 *   https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html
 * - `aws kms get-key-policy --key-id K` -> `{"Policy": "<JSON text>", "PolicyName": "default"}`
 *   https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html
 * - `aws lambda get-policy --function-name F` -> `{"Policy": "<JSON text>", "RevisionId": "..."}`
 *   https://docs.aws.amazon.com/lambda/latest/api/API_GetPolicy.html
 * - `aws secretsmanager get-resource-policy --secret-id S` -> `{"ARN", "Name", "ResourcePolicy"}`
 *   https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetResourcePolicy.html
 * - `aws sqs get-queue-attributes --attribute-names Policy QueueArn` and
 *   `aws sns get-topic-attributes` -> `{"Attributes": {"Policy": "...", "QueueArn"|"TopicArn": ...}}`
 *   https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
 *   https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html
 * - inventories: `aws s3api list-buckets` (`Buckets[]`), `aws kms list-keys` (`Keys[]`),
 *   `aws kms describe-key` (`KeyMetadata`), `aws secretsmanager list-secrets` (`SecretList[]`).
 *
 * The S3 and KMS outputs do not say which bucket or key they belong to. The resource is named,
 * in this order, by: a `Bucket` / `KeyId` / `KeyArn` field written beside `Policy` (a wrapper a
 * collection script may add); the file name (`s3-bucket-policy-<bucket>.json`,
 * `<bucket>.bucket-policy.json`, `kms-key-policy-<key-id>.json`, `lambda-policy-<function>.json`:
 * the part after `bucket-policy` / `key-policy` / `lambda-policy` and one `-`, `_` or `.`); the
 * ARNs in the policy's own `Resource` elements when they name exactly one bucket, function, queue
 * or topic. A KMS key whose region is unknown gets `arn:aws:kms::ACCOUNT:key/ID` (empty region)
 * unless `list-keys` / `describe-key` in the same inputs give its ARN; its account comes from the
 * key policy's `arn:aws:iam::ACCOUNT:root` principal (the default key policy always names it).
 */
import type { AwsEnvironment, AwsInventoryResource, AwsResourcePolicy } from './types.js';
import { decodePolicyDocument } from './policy-compiler.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

export interface ReadCtx {
  env: AwsEnvironment;
  /** Label of the input (file path when given). */
  source: string;
  issue(pointer: string, message: string): void;
}

/** Base name of a label without directories and `.json` / `.json.gz`. */
function baseName(label: string): string {
  const b = label.slice(Math.max(label.lastIndexOf('/'), label.lastIndexOf('\\')) + 1);
  return b.replace(/\.gz$/i, '').replace(/\.json$/i, '');
}

/** The resource name a file name carries after (or before) a marker such as `bucket-policy`. */
export function nameFromFile(label: string, marker: string): string | null {
  const b = baseName(label);
  const i = b.toLowerCase().indexOf(marker);
  if (i < 0) return null;
  const after = b.slice(i + marker.length).replace(/^[-_.]/, '');
  if (after) return after;
  const before = b.slice(0, i).replace(/[-_.]$/, '');
  return before || null;
}

function statementResources(doc: Obj | null): string[] {
  if (!doc) return [];
  const out: string[] = [];
  for (const s of list(doc.Statement))
    if (isObj(s)) for (const r of list(s.Resource)) if (typeof r === 'string') out.push(r);
  return out;
}

function rootAccounts(doc: Obj | null): string[] {
  if (!doc) return [];
  const out = new Set<string>();
  for (const s of list(doc.Statement)) {
    if (!isObj(s) || !isObj(s.Principal)) continue;
    for (const p of list(s.Principal.AWS)) {
      const m = typeof p === 'string' ? /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(p) : null;
      if (m) out.add(m[1]!);
    }
  }
  return [...out];
}

/** Accounts of every AWS principal ARN the policy names (roots included). */
function principalAccounts(doc: Obj | null): string[] {
  if (!doc) return [];
  const out = new Set<string>();
  for (const s of list(doc.Statement)) {
    if (!isObj(s) || !isObj(s.Principal)) continue;
    for (const p of list(s.Principal.AWS)) {
      const a = typeof p === 'string' ? (p.split(':')[4] ?? '') : '';
      if (/^\d{12}$/.test(a)) out.add(a);
    }
  }
  return [...out];
}

/** The single ARN of `service` that every Resource names (ignoring `/*` object suffixes). */
function singleArn(doc: Obj | null, rx: RegExp): string | null {
  const found = new Set<string>();
  for (const r of statementResources(doc)) {
    const m = rx.exec(r);
    if (m) found.add(m[1]!);
  }
  return found.size === 1 ? [...found][0]! : null;
}

const BUCKET_RX = /^(arn:aws[a-z-]*:s3:::[^/*?]+)(?:\/.*)?$/;
const FUNCTION_RX = /^(arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:[^:*?]+)(?::[^:]+)?$/;
const QUEUE_RX = /^(arn:aws[a-z-]*:sqs:[^:]+:\d{12}:[^:*?]+)$/;
const TOPIC_RX = /^(arn:aws[a-z-]*:sns:[^:]+:\d{12}:[^:*?]+)$/;

function actionsService(doc: Obj | null): string | null {
  if (!doc) return null;
  const svcs = new Set<string>();
  for (const s of list(doc.Statement))
    if (isObj(s))
      for (const a of list(s.Action))
        if (typeof a === 'string' && a.includes(':')) svcs.add(a.slice(0, a.indexOf(':')).toLowerCase());
  return svcs.size === 1 ? [...svcs][0]! : null;
}

function add(c: ReadCtx, rp: Omit<AwsResourcePolicy, 'source'>): void {
  (c.env as { resourcePolicies?: AwsResourcePolicy[] }).resourcePolicies ??= [];
  c.env.resourcePolicies!.push({ ...rp, source: c.source });
  addInventory(c.env, {
    arn: rp.arn,
    service: rp.service,
    type: rp.type,
    name: rp.name,
    account: rp.account,
  });
}

/** Adds a resource to the environment's inventory (first entry per ARN wins; sensitivity merges). */
export function addInventory(env: AwsEnvironment, r: AwsInventoryResource): void {
  (env as { inventory?: AwsInventoryResource[] }).inventory ??= [];
  env.inventory!.push(r);
}

/**
 * Reads one resource-policy output; false when `o` is not one. A policy that is not JSON, or
 * whose resource cannot be named, is reported as an issue and skipped.
 */
export function readResourcePolicy(o: Obj, c: ReadCtx): boolean {
  // Secrets Manager.
  if ('ResourcePolicy' in o && (typeof o.ARN === 'string' || typeof o.Name === 'string')) {
    const arn = str(o.ARN);
    if (!arn) return (c.issue('/ARN', 'secret resource policy without ARN skipped'), true);
    if (typeof o.ResourcePolicy !== 'string' && !isObj(o.ResourcePolicy))
      return (c.issue('/ResourcePolicy', 'ResourcePolicy is neither JSON text nor an object: skipped'), true);
    const { error } = decodePolicyDocument(o.ResourcePolicy);
    if (error) return (c.issue('/ResourcePolicy', `${error}: skipped`), true);
    add(c, {
      arn,
      service: 'secretsmanager',
      type: 'aws-secretsmanager-secret',
      name: str(o.Name) ?? arn,
      account: arn.split(':')[4] || null,
      document: o.ResourcePolicy,
    });
    return true;
  }
  // SQS / SNS attributes.
  if (
    isObj(o.Attributes) &&
    ('Policy' in o.Attributes || 'QueueArn' in o.Attributes || 'TopicArn' in o.Attributes)
  ) {
    const at = o.Attributes;
    const isTopic = 'TopicArn' in at || 'SubscriptionsConfirmed' in at;
    if (at.Policy === undefined)
      return (c.issue('/Attributes', 'no Policy attribute: nothing to evaluate'), true);
    const { doc, error } = decodePolicyDocument(at.Policy);
    if (error) return (c.issue('/Attributes/Policy', `${error}: skipped`), true);
    const arn = str(isTopic ? at.TopicArn : at.QueueArn) ?? singleArn(doc, isTopic ? TOPIC_RX : QUEUE_RX);
    if (!arn)
      return (
        c.issue(
          '/Attributes',
          `cannot tell which ${isTopic ? 'topic' : 'queue'} this policy belongs to (ask for QueueArn too)`,
        ),
        true
      );
    add(c, {
      arn,
      service: isTopic ? 'sns' : 'sqs',
      type: isTopic ? 'aws-sns-topic' : 'aws-sqs-queue',
      name: arn.slice(arn.lastIndexOf(':') + 1),
      account: arn.split(':')[4] || null,
      document: at.Policy,
    });
    return true;
  }
  if (!('Policy' in o) || isObj(o.Policy)) return false; // an object Policy is IAM / Organizations
  if (typeof o.Policy !== 'string') return (c.issue('/Policy', 'Policy is not JSON text: skipped'), true);
  const { doc, error } = decodePolicyDocument(o.Policy);
  const label = c.source.toLowerCase();
  const svc =
    'PolicyName' in o || 'KeyId' in o || 'KeyArn' in o || /key-policy|kms/.test(label)
      ? 'kms'
      : 'RevisionId' in o || /lambda/.test(label)
        ? 'lambda'
        : 'Bucket' in o || /bucket|s3/.test(label)
          ? 's3'
          : actionsService(doc);
  if (error) return (c.issue('/Policy', `${error}: skipped`), true);
  if (svc === 's3') {
    const name =
      str(o.Bucket) ??
      nameFromFile(c.source, 'bucket-policy') ??
      singleArn(doc, BUCKET_RX)?.slice(13) ??
      null;
    if (!name)
      return (
        c.issue('', 'bucket policy: cannot tell the bucket (name the file s3-bucket-policy-<bucket>.json)'),
        true
      );
    const accounts = rootAccounts(doc);
    add(c, {
      arn: `arn:aws:s3:::${name}`,
      service: 's3',
      type: 'aws-s3-bucket',
      name,
      account:
        str(o.ExpectedBucketOwner) ?? str(o.AccountId) ?? (accounts.length === 1 ? accounts[0]! : null),
      document: o.Policy,
    });
    return true;
  }
  if (svc === 'kms') {
    const keyArn = str(o.KeyArn);
    const keyId = keyArn
      ? keyArn.slice(keyArn.lastIndexOf('/') + 1)
      : (str(o.KeyId) ?? nameFromFile(c.source, 'key-policy'));
    if (!keyId)
      return (
        c.issue('', 'key policy: cannot tell the key (name the file kms-key-policy-<key-id>.json)'),
        true
      );
    const accounts = rootAccounts(doc);
    const named = principalAccounts(doc);
    const account = keyArn
      ? (keyArn.split(':')[4] ?? null)
      : accounts.length === 1
        ? accounts[0]!
        : named.length === 1
          ? named[0]!
          : null;
    add(c, {
      arn: keyArn ?? `arn:aws:kms::${account ?? ''}:key/${keyId}`,
      service: 'kms',
      type: 'aws-kms-key',
      name: keyId,
      account,
      document: o.Policy,
    });
    return true;
  }
  if (svc === 'lambda') {
    const arn = singleArn(doc, FUNCTION_RX);
    if (!arn)
      return (
        c.issue('/Policy', 'function policy: its Resource does not name one function ARN: skipped'),
        true
      );
    add(c, {
      arn,
      service: 'lambda',
      type: 'aws-lambda-function',
      name: arn.slice(arn.lastIndexOf(':') + 1),
      account: arn.split(':')[4] || null,
      document: o.Policy,
    });
    return true;
  }
  c.issue('', 'resource policy: cannot tell which service it belongs to (bucket, key or function)');
  return true;
}

/** Inventory-only listings (no policy, no role): buckets, keys, secrets. False when not one. */
export function readInventory(o: Obj, c: ReadCtx): boolean {
  if (Array.isArray(o.Buckets)) {
    o.Buckets.forEach((b, i) => {
      const name = isObj(b) ? str(b.Name) : null;
      if (!name) return c.issue(`/Buckets/${i}`, 'bucket without Name skipped');
      addInventory(c.env, {
        arn: `arn:aws:s3:::${name}`,
        service: 's3',
        type: 'aws-s3-bucket',
        name,
        account: null,
      });
    });
    return true;
  }
  const keys = Array.isArray(o.Keys) ? o.Keys : isObj(o.KeyMetadata) ? [o.KeyMetadata] : null;
  if (keys) {
    keys.forEach((k, i) => {
      const arn = isObj(k) ? (str(k.KeyArn) ?? str(k.Arn)) : null;
      if (!arn) return c.issue(`/Keys/${i}`, 'key without KeyArn skipped');
      addInventory(c.env, {
        arn,
        service: 'kms',
        type: 'aws-kms-key',
        name: arn.slice(arn.lastIndexOf('/') + 1),
        account: arn.split(':')[4] || null,
        sensitivity: 'high',
      });
    });
    return true;
  }
  if (Array.isArray(o.SecretList)) {
    o.SecretList.forEach((s, i) => {
      const arn = isObj(s) ? str(s.ARN) : null;
      if (!arn) return c.issue(`/SecretList/${i}`, 'secret without ARN skipped');
      addInventory(c.env, {
        arn,
        service: 'secretsmanager',
        type: 'aws-secretsmanager-secret',
        name: (isObj(s) && str(s.Name)) || arn,
        account: arn.split(':')[4] || null,
        sensitivity: 'high',
        ...(isObj(s) && str(s.KmsKeyId) ? { kmsKeyId: str(s.KmsKeyId)! } : {}),
      });
    });
    return true;
  }
  return false;
}

/**
 * After every input is read: KMS keys named by id only take the ARN a key listing gives, and
 * buckets whose account is unknown take the export's account when it holds exactly one.
 */
export function finishResourcePolicies(env: AwsEnvironment): void {
  const inv = env.inventory ?? [];
  const keyArn = new Map<string, string>();
  for (const r of inv) if (r.service === 'kms' && r.arn.split(':')[3]) keyArn.set(r.name, r.arn);
  const accounts = new Set<string>([...env.users, ...env.roles].map((p) => p.account));
  const only = accounts.size === 1 ? [...accounts][0]! : null;
  const fix = <T extends { arn: string; service: string; name: string; account: string | null }>(r: T): T => {
    let out = r;
    if (r.service === 'kms' && !r.arn.split(':')[3] && keyArn.has(r.name)) {
      const arn = keyArn.get(r.name)!;
      out = { ...out, arn, account: arn.split(':')[4] ?? r.account };
    }
    if (r.service === 's3' && !r.account && only) out = { ...out, account: only };
    return out;
  };
  if (env.resourcePolicies) {
    const fixed = env.resourcePolicies.map(fix).filter((r) => {
      if (r.service !== 'kms' || r.account) return true;
      env.issues.push({
        source: r.source,
        pointer: '',
        message: `key policy of ${r.name}: the key's account is unknown (no KeyArn, no list-keys entry, no account principal): skipped`,
      });
      return false;
    });
    env.resourcePolicies.splice(0, env.resourcePolicies.length, ...fixed);
  }
  // One entry per ARN; a later entry fills what an earlier one lacked.
  const byArn = new Map<string, AwsInventoryResource>();
  for (const r0 of inv) {
    const r = fix(r0);
    if (r.service === 'kms' && !r.account) continue;
    const prev = byArn.get(r.arn);
    if (!prev) byArn.set(r.arn, r);
    else
      byArn.set(r.arn, {
        ...prev,
        account: prev.account ?? r.account,
        ...((prev.sensitivity ?? r.sensitivity) ? { sensitivity: (prev.sensitivity ?? r.sensitivity)! } : {}),
        ...((prev.kmsKeyId ?? r.kmsKeyId) ? { kmsKeyId: (prev.kmsKeyId ?? r.kmsKeyId)! } : {}),
        ...(prev.holds || r.holds
          ? { holds: [...new Set([...(prev.holds ?? []), ...(r.holds ?? [])])] }
          : {}),
      });
  }
  for (const r of env.resources)
    if (!byArn.has(r.arn) && !r.arn.includes('*'))
      byArn.set(r.arn, {
        arn: r.arn,
        service: r.arn.split(':')[2] ?? '',
        type: r.type,
        name: r.name,
        account: r.account,
      });
  if (byArn.size > 0 || env.inventory)
    (env as { inventory?: AwsInventoryResource[] }).inventory = [...byArn.values()];
}
