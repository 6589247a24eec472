/**
 * Recognises the raw AWS CLI JSON shapes the analysis needs and merges them into one
 * `AwsEnvironment`. One bad record is reported (source, JSON pointer, reason) and skipped; it never
 * aborts the rest.
 *
 * Shapes (AWS CLI output, pages merged or not), one reader file per kind of input:
 * - `aws iam get-account-authorization-details`: `parse-auth-details.ts`
 *   https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 * - `aws iam get-credential-report` (`{Content: base64 CSV}`) or the CSV text itself,
 *   `aws iam list-access-keys`, `aws iam get-login-profile`: `parse-credentials.ts`
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
 * - `aws organizations describe-policy` (SCP) and `describe-organization` (management account):
 *   `parse-organizations.ts`
 *   https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribePolicy.html
 * - `aws lambda list-functions` / `get-function`, `aws ec2 describe-instances`,
 *   `aws ssm describe-instance-information`, `aws cloudformation describe-stacks`,
 *   `aws glue get-dev-endpoints`, `aws sagemaker describe-notebook-instance` / `list-notebook-instances`,
 *   `aws codebuild batch-get-projects`, `aws ecs describe-task-definition`: `parse-role-resources.ts`
 * - resource-based policies and inventories (bucket, key, function, secret, queue and topic
 *   policies; list-buckets, list-keys, describe-key, list-secrets): see `parse-resource-policies.ts`.
 */
import type { AwsEnvironment } from './types.js';
import {
  finishResourcePolicies,
  readInventory,
  readResourcePolicy,
  type ReadCtx,
} from './parse-resource-policies.js';
import { isAuthDetails, readAuthDetails } from './parse-auth-details.js';
import {
  isCredentialReportCsv,
  readAccessKeys,
  readCredentialReport,
  readCredentialReportObject,
  readLoginProfile,
} from './parse-credentials.js';
import { isObj, issue, type Obj, type ParseCtx } from './parse-helpers.js';
import { readOrganization, readServiceControlPolicy } from './parse-organizations.js';
import { readRoleResources, resolveInstanceRoles } from './parse-role-resources.js';

export { accountOfArn } from './parse-helpers.js';

/** Creates an empty environment (useful to build one by hand in tests). */
export function emptyAwsEnvironment(): AwsEnvironment {
  return {
    users: [],
    roles: [],
    groups: [],
    policies: [],
    scps: [],
    managementAccounts: [],
    accessKeyCounts: new Map(),
    passwordEnabled: new Map(),
    resources: [],
    issues: [],
  };
}

/**
 * Text is either the credential report CSV or JSON (a file read without parsing). An exception
 * while reading the parsed value is reported the same way as unparsable text.
 */
function readText(input: string, c: ParseCtx): void {
  if (isCredentialReportCsv(input)) return readCredentialReport(input, c);
  try {
    return readOne(JSON.parse(input), c);
  } catch {
    return issue(c, '', 'text input is neither JSON nor a credential report CSV');
  }
}

/** Resource policies and inventories (`parse-resource-policies.ts`), after role-bearing listings. */
function readResourceShapes(o: Obj, c: ParseCtx): boolean {
  const rc: ReadCtx = { env: c.env, source: c.source, issue: (ptr, msg) => issue(c, ptr, msg) };
  if (readResourcePolicy(o, rc)) return true;
  if (readRoleResources(o, c)) {
    readInventory(o, rc); // a listing may also name plain resources (secrets)
    return true;
  }
  return readInventory(o, rc);
}

/** Reads one input; the first reader that recognises its shape takes it. */
function readOne(input: unknown, c: ParseCtx): void {
  if (typeof input === 'string') return readText(input, c);
  if (Array.isArray(input)) {
    input.forEach((x, i) => readOne(x, { ...c, source: `${c.source}/${i}` }));
    return;
  }
  if (!isObj(input)) return issue(c, '', 'input is not a JSON object');
  if (isAuthDetails(input)) return readAuthDetails(input, c);
  if (
    readCredentialReportObject(input, c) ||
    readAccessKeys(input, c) ||
    readLoginProfile(input, c) ||
    readServiceControlPolicy(input, c) ||
    readOrganization(input, c) ||
    readResourceShapes(input, c)
  )
    return;
  issue(c, '', 'unrecognised AWS JSON shape');
}

/**
 * Parses raw AWS CLI JSON values (already `JSON.parse`d, or text) into one environment.
 *
 * @example
 * const env = parseAwsEnvironment([authDetails, accessKeys, credentialReport], ['auth.json', 'keys.json', 'report.json']);
 * for (const i of env.issues) console.error(`${i.source}${i.pointer}: ${i.message}`);
 */
export function parseAwsEnvironment(jsons: readonly unknown[], labels?: readonly string[]): AwsEnvironment {
  const env = emptyAwsEnvironment();
  const ssm = new Map<string, boolean>();
  const logins = new Set<string>();
  jsons.forEach((j, i) => readOne(j, { env, source: labels?.[i] ?? `input[${i}]`, ssm, logins }));
  for (const u of env.users) if (logins.has(u.name)) env.passwordEnabled.set(u.arn, true);
  resolveInstanceRoles(env, ssm);
  finishResourcePolicies(env);
  return env;
}
