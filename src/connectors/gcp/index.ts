import type { Connector } from '../core/types.js';
import { gcpServiceAccountKeysConnector, gcpServiceAccountsConnector } from './gcp-accounts-connector.js';
import { gcpIamPolicyConnector } from './gcp-policy-connector.js';

/**
 * Google Cloud connectors, all reading `gcloud ... --format=json` output:
 *
 * - `gcloud iam service-accounts list` -> identities `{provider: 'gcp', kind: 'service-account',
 *   nativeId: EMAIL, account: PROJECT, status active|disabled}`; attributes `type`
 *   (user-managed | default | service-agent), `uniqueId`, `oauth2ClientId`, `resourceName`.
 * - `gcloud iam service-accounts keys list --iam-account EMAIL` -> identities `{kind: 'access-key',
 *   nativeId: 'projects/P/serviceAccounts/EMAIL/keys/ID'}` (the SA email comes from the key's name),
 *   `createdAt` = validAfterTime, `expiresAt` = validBeforeTime unless it is gcloud's 9999-12-31
 *   "never" (then `attributes.noExpiry: true`); `attributes.systemManaged` for Google-rotated
 *   SYSTEM_MANAGED keys, `attributes.parent` = the SA email, plus an edge key `member-of` SA.
 * - `gcloud projects get-iam-policy P` (or an SA's policy) -> for each NHI member one grant per
 *   binding: `actions [role, ...impersonation permissions]`, `resources ['projects/P']`, level from
 *   the role (owner admin, editor write, *Admin admin, viewer read), `conditions {conditional: true,
 *   expression, title}` for conditional bindings. Members: `serviceAccount:` -> gcp SA;
 *   `serviceAccount:P.svc.id.goog[NS/KSA]` -> the Kubernetes SA `system:serviceaccount:NS:KSA`;
 *   `principal(Set)://` -> `workload-identity`; `user:` -> an owner record (a person); `group:` and
 *   `domain:` are kept in the project resource's `attributes.people` by role; `allUsers` -> a note.
 *   Impersonation roles (serviceAccountTokenCreator, serviceAccountUser, serviceAccountKeyAdmin,
 *   serviceAccountAdmin, workloadIdentityUser, owner, editor) also give an edge `can-assume`
 *   (technique `gcp-impersonation`) to the SA (SA policy) or to the project resource meaning "every
 *   SA of the project" (project policy), and `attributes.canImpersonate` on the member.
 *   The project comes from the file name (`P.iam-policy.json`), else from the members (a note).
 *
 * @example
 * // gcloud iam service-accounts keys list --iam-account bot@acme-prod.iam.gserviceaccount.com --format=json > keys.json
 * await importPaths({ store, config, connectors: CONNECTORS, paths: ['keys.json'] });
 */
export const connectors: Connector[] = [
  gcpServiceAccountsConnector,
  gcpServiceAccountKeysConnector,
  gcpIamPolicyConnector,
];
export { roleMeaning } from './gcp-roles.js';
