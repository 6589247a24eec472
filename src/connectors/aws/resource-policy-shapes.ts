import { isObject, str, strings, type Json } from './aws-common.js';

/**
 * Which resource a resource-based policy output belongs to. The AWS CLI prints:
 * - `aws s3api get-bucket-policy` -> `{"Policy": "<JSON text>"}`
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html)
 * - `aws kms get-key-policy` -> `{"Policy": "<JSON text>", "PolicyName": "default"}`
 *   (https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html)
 * - `aws lambda get-policy` -> `{"Policy": "<JSON text>", "RevisionId": "..."}`
 *   (https://docs.aws.amazon.com/lambda/latest/api/API_GetPolicy.html)
 * - `aws secretsmanager get-resource-policy` -> `{"ARN", "Name", "ResourcePolicy"}`
 *   (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetResourcePolicy.html)
 * - `aws sqs get-queue-attributes --attribute-names Policy QueueArn` / `aws sns get-topic-attributes`
 *   -> `{"Attributes": {"Policy": "<JSON text>", "QueueArn" | "TopicArn": ...}}`
 *
 * The bucket and key outputs do not name their resource: it comes from a `Bucket` / `KeyId` /
 * `KeyArn` field beside `Policy` (a collection script may add one), else the file name
 * (`s3-bucket-policy-<bucket>.json`, `<bucket>.bucket-policy.json`, `kms-key-policy-<key-id>.json`),
 * else the policy's own Resource ARNs when they name one bucket (function, queue, topic). The
 * graph's parser (`src/graph/aws/parse-resource-policies.ts`) applies the same rules.
 */
export interface PolicyShape {
  service: 's3' | 'kms' | 'lambda' | 'secretsmanager' | 'sqs' | 'sns';
  /** JSON pointer of the policy text. */
  at: string;
  /** The policy as given (JSON text, or an object). */
  policy: unknown;
  command: string;
  extra: Json;
}

/** Recognises the output (not its resource); null when it is not a resource-policy output. */
export function shapeOf(doc: Json, fileName: string): PolicyShape | string | null {
  if ('ResourcePolicy' in doc && ('ARN' in doc || 'Name' in doc))
    return {
      service: 'secretsmanager',
      at: '/ResourcePolicy',
      policy: doc.ResourcePolicy,
      command: 'aws secretsmanager get-resource-policy',
      extra: {},
    };
  if (isObject(doc.Attributes)) {
    const at = doc.Attributes;
    const topic = 'TopicArn' in at || 'SubscriptionsConfirmed' in at;
    if (at.Policy === undefined) return 'no Policy attribute (ask for --attribute-names Policy)';
    return {
      service: topic ? 'sns' : 'sqs',
      at: '/Attributes/Policy',
      policy: at.Policy,
      command: topic ? 'aws sns get-topic-attributes' : 'aws sqs get-queue-attributes',
      extra: {},
    };
  }
  if (!('Policy' in doc) || isObject(doc.Policy)) return null;
  const f = fileName.toLowerCase();
  const service: PolicyShape['service'] | null =
    'PolicyName' in doc || 'KeyId' in doc || 'KeyArn' in doc || /key-policy|kms/.test(f)
      ? 'kms'
      : 'RevisionId' in doc || /lambda/.test(f)
        ? 'lambda'
        : 'Bucket' in doc || /bucket|s3/.test(f)
          ? 's3'
          : null;
  const commands = {
    s3: 'aws s3api get-bucket-policy',
    kms: 'aws kms get-key-policy',
    lambda: 'aws lambda get-policy',
  } as const;
  const guess = service ?? serviceOfActions(doc.Policy);
  if (!guess) return 'cannot tell which service this resource policy belongs to (bucket, key or function)';
  return {
    service: guess,
    at: '/Policy',
    policy: doc.Policy,
    command: commands[guess],
    extra: {
      ...(str(doc.PolicyName) ? { policyName: doc.PolicyName } : {}),
      ...(str(doc.RevisionId) ? { revisionId: doc.RevisionId } : {}),
    },
  };
}

function serviceOfActions(policy: unknown): 's3' | 'kms' | 'lambda' | null {
  if (typeof policy !== 'string') return null;
  try {
    const d = JSON.parse(policy) as Json;
    const svcs = new Set<string>();
    for (const s of Array.isArray(d.Statement) ? d.Statement : [d.Statement])
      if (isObject(s)) for (const a of strings(s.Action)) svcs.add(a.split(':')[0]!.toLowerCase());
    const [only] = svcs;
    return svcs.size === 1 && (only === 's3' || only === 'kms' || only === 'lambda') ? only : null;
  } catch {
    return null;
  }
}

/** The name a file name carries after (or before) a marker such as `bucket-policy`. */
export function nameFromFile(fileName: string, marker: string): string | undefined {
  const b = fileName.replace(/\.gz$/i, '').replace(/\.json$/i, '');
  const i = b.toLowerCase().indexOf(marker);
  if (i < 0) return undefined;
  const after = b.slice(i + marker.length).replace(/^[-_.]/, '');
  if (after) return after;
  return b.slice(0, i).replace(/[-_.]$/, '') || undefined;
}

const ARN_RX = {
  s3: /^(arn:aws[a-z-]*:s3:::[^/*?]+)(?:\/.*)?$/,
  lambda: /^(arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:[^:*?]+)(?::[^:]+)?$/,
  sqs: /^(arn:aws[a-z-]*:sqs:[^:]+:\d{12}:[^:*?]+)$/,
  sns: /^(arn:aws[a-z-]*:sns:[^:]+:\d{12}:[^:*?]+)$/,
} as const;

/** The one ARN of the service the statements' Resource elements name, if exactly one. */
export function singleResource(doc: Json, service: keyof typeof ARN_RX): string | undefined {
  const found = new Set<string>();
  for (const s of Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) {
    if (!isObject(s)) continue;
    for (const r of strings(s.Resource)) {
      const m = ARN_RX[service].exec(r);
      if (m) found.add(m[1]!);
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** Accounts of the AWS principals the policy names (`arn:aws:iam::A:root`, role ARNs, bare ids). */
export function principalAccounts(doc: Json, rootsOnly: boolean): string[] {
  const out = new Set<string>();
  for (const s of Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) {
    if (!isObject(s) || !isObject(s.Principal)) continue;
    for (const p of strings(s.Principal.AWS)) {
      const root = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(p)?.[1] ?? (/^\d{12}$/.test(p) ? p : undefined);
      const any = p.split(':')[4];
      if (root) out.add(root);
      else if (!rootsOnly && any && /^\d{12}$/.test(any)) out.add(any);
    }
  }
  return [...out];
}
