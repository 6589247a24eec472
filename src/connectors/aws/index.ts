import type { Connector } from '../core/types.js';
import { accessKeysConnector } from './access-keys-connector.js';
import { authorizationDetailsConnector } from './authorization-details-connector.js';
import { cloudTrailConnector } from './cloudtrail-connector.js';
import { cloudTrailLookupConnector } from './cloudtrail-lookup-connector.js';
import { credentialReportConnector } from './credential-report-connector.js';
import { resourceListingConnectors } from './resource-listings-connector.js';
import { resourcePolicyConnector } from './resource-policy-connector.js';

export { TrailPool, type TrailOutcome } from './cloudtrail-pool.js';

/**
 * AWS connectors. Provider id `aws`; every identity's `account` is the 12-digit account id.
 *
 * Records and the attributes posture and graph rules may rely on:
 * - `cloud-user` / `cloud-role` (nativeId = ARN, path included), from authorization details:
 *   `attributes.{path, accountId, tags (flat), attachedPolicies (ARNs), inlinePolicies (names),
 *   permissionsBoundary (ARN), userId | roleId}`; users `groups` (names); roles `trustPolicy`
 *   (decoded document), `trustedPrincipals` (AWS principals), `trustedServices`,
 *   `trustedFederated` (OIDC/SAML providers), `trustedAccounts`, `trustsAnyone`,
 *   `instanceProfiles [{name, arn, id}]`, `lastUsedRegion`; `lastUsedAt` = RoleLastUsed.
 *   `ownerRef` from an `owner`/`created_by`-style tag.
 * - From the credential report, on users: `attributes.{root, passwordEnabled, passwordLastUsed,
 *   passwordLastUsedUnknown, passwordLastChanged, passwordNextRotation, mfaActive,
 *   humanUse {password, lastUsed}, signingCertificates}`.
 * - `access-key`: nativeId = the access key id (AKIA… long-term, ASIA… temporary) when known
 *   (list-access-keys, or a credential-report slot matched to it in the same run by user and
 *   creation time), else `${userArn}#access_key_${1|2}` (credential report alone).
 *   `attributes.{parent (user ARN), userName, slot, keyIdKnown, longTerm, lastUsedRegion,
 *   lastUsedService}`; `createdAt` = `lastRotatedAt` = the key's creation; a `member-of` edge
 *   key -> user with `attributes.relation = 'access-key-of'`.
 * - Grants: one per statement of every policy that applies to a principal (inline, attached
 *   managed at its default version, and both of its groups); key `${origin}#${statementIndex}`
 *   where origin is `inline/NAME`, the policy ARN, `group/G/inline/NAME` or `group/G/ARN`; `via`
 *   says where it comes from. NotAction / NotResource make `actions`/`resources` `['*']` and are
 *   kept in `conditions.NotAction` / `conditions.NotResource`; the IAM Condition block is
 *   `conditions.Condition`, the Sid `conditions.Sid`.
 * - Resources: `aws-iam-policy` (every version's document, default version, AWS-managed flag,
 *   attachment counts; `has-permission` edges from principals and groups), `aws-iam-group`
 *   (`member-of` edges from users), workloads (`aws-lambda-function`, `aws-ec2-instance` keyed by
 *   instance id so EC2 and SSM meet, `aws-ssm-managed-instance`, `aws-cloudformation-stack`,
 *   `aws-glue-dev-endpoint`, `aws-sagemaker-notebook-instance`, `aws-codebuild-project`,
 *   `aws-ecs-task-definition`) with `runs-as` edges (key/`attributes.as` = execution-role,
 *   instance-profile, task-role, service-role…) and `aws-secretsmanager-secret` (sensitivity high).
 *   Environment variables: names only, never values.
 * - Resource-based policies (`resource-policy-connector.ts`): bucket, key, function, secret,
 *   queue and topic policies as resources with `attributes.{resourcePolicy, exposure, ...}` and a
 *   grant per statement for each IAM user or role they name.
 * - Events (CloudTrail log files, and `aws cloudtrail lookup-events` output, whose `CloudTrailEvent`
 *   strings are the same records): identity = the IAM user or the role behind an assumed-role session;
 *   `attributes.{identityType, accessKeyId, sessionName, region, account, eventType, readOnly,
 *   errorCode, humanUse: 'console-login', mfaUsed}`.
 * - `can-assume` edges principal -> role from trust policies (principals of the same export).
 * - Links: `tag` (agent tag on a workload -> the role it runs as; tags on identities are linked by
 *   the import service), `cloudtrail` (session name / user agent matching `links.patterns`).
 *
 * Connectors of one `warden import` run share what they learn (see RunFacts in aws-common.ts):
 * import authorization details together with access keys, credential report and listings.
 *
 * @example
 * await importPaths({ store, config, connectors: CONNECTORS, paths: ['exports/aws'] });
 */
export const connectors: Connector[] = [
  authorizationDetailsConnector,
  accessKeysConnector,
  credentialReportConnector,
  cloudTrailConnector,
  cloudTrailLookupConnector,
  ...resourceListingConnectors,
  resourcePolicyConnector,
];
