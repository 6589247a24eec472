import type { GrantInput, ImportItem } from '../../store/index.js';
import type { Connector } from '../core/types.js';
import type { SourceFile } from '../core/source-file.js';
import { invalid, isObject, PROVIDER, skip, str, strings, type Json } from './aws-common.js';
import { decodePolicyDocument, parsePolicy, statementLevel, statementSensitivity } from './iam-policy.js';
import {
  nameFromFile,
  principalAccounts,
  shapeOf,
  singleResource,
  type PolicyShape,
} from './resource-policy-shapes.js';

/**
 * Resource-based policies (S3 bucket, KMS key, Lambda function, Secrets Manager secret, SQS queue,
 * SNS topic), one CLI output per file, see `resource-policy-shapes.ts` for the formats and how the
 * resource is named. Each becomes:
 * - a `resource` (types `aws-s3-bucket`, `aws-kms-key`, `aws-lambda-function`,
 *   `aws-secretsmanager-secret`, `aws-sqs-queue`, `aws-sns-topic`; the same natural key as the
 *   listings, so both merge) with `attributes.{resourcePolicy (decoded document), policySource
 *   (the CLI command), exposure ('public' | 'conditional' | 'cross-account' | 'account' | 'none'),
 *   publicStatements [{sid, conditions}], principals (AWS principal ARNs and accounts),
 *   servicePrincipals, crossAccounts, hasDeny}` plus `policyName` (KMS) / `revisionId` (Lambda);
 * - one `grant` per statement for every IAM user or role ARN it names (key
 *   `resource-policy/<resource ARN>#<statement index>`, `via` = "resource policy of <ARN>"), so the
 *   store-only graph sees what the policy grants; the exact cross-policy decision (Deny, KMS
 *   delegation, cross-account) is the graph's AWS evaluator's job.
 */
export const resourcePolicyConnector: Connector = {
  id: 'aws-resource-policy',
  title: 'AWS resource-based policy (get-bucket-policy, get-key-policy, lambda get-policy, ...)',
  detect(file) {
    if (file.firstChar() !== '{') return 0;
    const h = file.head();
    if (/"Policy"\s*:\s*(?:"|null)/.test(h)) return 0.9;
    if (/"ResourcePolicy"\s*:/.test(h) && /"(?:ARN|Name)"\s*:/.test(h)) return 0.9;
    if (/"Attributes"\s*:/.test(h) && /"(?:QueueArn|TopicArn)"\s*:/.test(h)) return 0.85;
    if (/"Attributes"\s*:\s*\{\s*"Policy"\s*:/.test(h)) return 0.85;
    return 0;
  },
  read: readResourcePolicy,
};

const TYPES: Record<PolicyShape['service'], string> = {
  s3: 'aws-s3-bucket',
  kms: 'aws-kms-key',
  lambda: 'aws-lambda-function',
  secretsmanager: 'aws-secretsmanager-secret',
  sqs: 'aws-sqs-queue',
  sns: 'aws-sns-topic',
};

function resourceOf(
  shape: PolicyShape,
  doc: Json,
  policy: Json,
  file: SourceFile,
): { arn: string; name: string; account?: string } | string {
  const acct = (a: string | undefined) => (a && /^\d{12}$/.test(a) ? { account: a } : {});
  switch (shape.service) {
    case 'secretsmanager': {
      const arn = str(doc.ARN);
      return arn ? { arn, name: str(doc.Name) ?? arn, ...acct(arn.split(':')[4]) } : 'no ARN';
    }
    case 'sqs':
    case 'sns': {
      const at = doc.Attributes as Json;
      const arn =
        str(shape.service === 'sns' ? at.TopicArn : at.QueueArn) ?? singleResource(policy, shape.service);
      if (!arn)
        return `cannot tell which ${shape.service === 'sns' ? 'topic' : 'queue'} (ask for QueueArn too)`;
      return { arn, name: arn.slice(arn.lastIndexOf(':') + 1), ...acct(arn.split(':')[4]) };
    }
    case 'lambda': {
      const arn = singleResource(policy, 'lambda');
      if (!arn) return 'the policy Resource does not name one function ARN';
      return { arn, name: arn.slice(arn.lastIndexOf(':') + 1), ...acct(arn.split(':')[4]) };
    }
    case 's3': {
      const name =
        str(doc.Bucket) ??
        nameFromFile(file.name, 'bucket-policy') ??
        singleResource(policy, 's3')?.slice(13);
      if (!name) return 'cannot tell the bucket: name the file s3-bucket-policy-<bucket>.json';
      const roots = principalAccounts(policy, true);
      return {
        arn: `arn:aws:s3:::${name}`,
        name,
        ...acct(
          str(doc.ExpectedBucketOwner) ?? str(doc.AccountId) ?? (roots.length === 1 ? roots[0] : undefined),
        ),
      };
    }
    case 'kms': {
      const keyArn = str(doc.KeyArn);
      const keyId = keyArn
        ? keyArn.slice(keyArn.lastIndexOf('/') + 1)
        : (str(doc.KeyId) ?? nameFromFile(file.name, 'key-policy'));
      if (!keyId) return 'cannot tell the key: name the file kms-key-policy-<key-id>.json';
      const roots = principalAccounts(policy, true);
      const any = principalAccounts(policy, false);
      const account =
        keyArn?.split(':')[4] ?? (roots.length === 1 ? roots[0] : any.length === 1 ? any[0] : undefined);
      if (!account) return `the account of key ${keyId} is unknown (no KeyArn, no account principal)`;
      // The region is not in the output: empty unless a KeyArn is given (documented in the shapes).
      return { arn: keyArn ?? `arn:aws:kms::${account}:key/${keyId}`, name: keyId, account };
    }
  }
}

/** Exposure of the policy: who outside the account (or anyone) its Allow statements name. */
function exposureOf(policy: ReturnType<typeof parsePolicy>, account: string | undefined) {
  const publicStatements: Json[] = [];
  const principals = new Set<string>();
  const services = new Set<string>();
  const crossAccounts = new Set<string>();
  for (const st of policy.statements) {
    if (st.effect !== 'allow' || st.notPrincipal !== undefined) continue;
    const p = st.principal;
    const aws = p === '*' ? ['*'] : isObject(p) ? strings(p.AWS) : [];
    if (isObject(p)) for (const s of strings(p.Service)) services.add(s);
    for (const a of aws) {
      if (a === '*') {
        publicStatements.push({ ...(st.sid ? { sid: st.sid } : {}), conditions: st.condition ?? null });
        continue;
      }
      principals.add(a);
      const acc = /^\d{12}$/.test(a) ? a : a.split(':')[4];
      if (acc && account && acc !== account) crossAccounts.add(acc);
    }
  }
  const exposure = publicStatements.some((s) => s.conditions === null)
    ? 'public'
    : publicStatements.length
      ? 'conditional'
      : crossAccounts.size
        ? 'cross-account'
        : principals.size
          ? 'account'
          : 'none';
  return {
    exposure,
    publicStatements,
    principals: [...principals],
    servicePrincipals: [...services],
    crossAccounts: [...crossAccounts],
  };
}

async function* readResourcePolicy(file: SourceFile): AsyncGenerator<ImportItem> {
  const doc = await file.json();
  if (!isObject(doc)) throw invalid(file, 'expected a JSON object (a resource-policy output of the AWS CLI)');
  const shape = shapeOf(doc, file.name);
  if (shape === null) throw invalid(file, 'no Policy / ResourcePolicy / Attributes.Policy field');
  if (typeof shape === 'string') return void (yield skip('', shape));
  if (typeof shape.policy !== 'string' && !isObject(shape.policy))
    return void (yield skip(shape.at, 'the policy is missing or not JSON text'));
  const policyDoc = decodePolicyDocument(shape.policy);
  if (!policyDoc) return void (yield skip(shape.at, 'the policy text is not valid JSON'));
  const res = resourceOf(shape, doc, policyDoc, file);
  if (typeof res === 'string') return void (yield skip('', res));
  const parsed = parsePolicy(policyDoc);
  for (const pr of parsed.problems) yield skip(`${shape.at} (Statement/${pr.index})`, pr.reason);
  const exp = exposureOf(parsed, res.account);
  const sensitive = shape.service === 'secretsmanager' || shape.service === 'kms';
  yield {
    type: 'resource',
    value: {
      provider: PROVIDER,
      nativeId: res.arn,
      type: TYPES[shape.service],
      name: res.name,
      ...(res.account ? { account: res.account } : {}),
      ...(sensitive ? { sensitivity: 'high' as const } : {}),
      attributes: {
        resourcePolicy: policyDoc,
        policySource: shape.command,
        hasDeny: parsed.statements.some((s) => s.effect === 'deny'),
        ...exp,
        ...shape.extra,
      },
    },
  };
  // Grants for the IAM users and roles the statements name.
  for (let i = 0; i < parsed.statements.length; i++) {
    const st = parsed.statements[i]!;
    if (st.notPrincipal !== undefined || !isObject(st.principal)) continue;
    const level = statementLevel(st);
    for (const a of strings(st.principal.AWS)) {
      if (!/^arn:aws[a-z-]*:iam::\d{12}:(?:user|role)\//.test(a)) continue;
      const g: GrantInput = {
        identity: { provider: PROVIDER, nativeId: a },
        key: `resource-policy/${res.arn}#${i}`,
        effect: st.effect,
        actions: st.notActions ? ['*'] : st.actions,
        resources: st.notResources ? ['*'] : st.resources.length ? st.resources : [res.arn],
        level,
        sensitivity: sensitive ? 'high' : statementSensitivity(st, level),
        via: `resource policy of ${res.arn}`,
      };
      if (st.condition) g.conditions = { Condition: st.condition };
      yield { type: 'grant', value: g };
    }
  }
}
