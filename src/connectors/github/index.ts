import type { Connector } from '../core/types.js';
import { githubRestConnector } from './github-rest-connector.js';
import { githubWorkflowConnector } from './workflow-connector.js';

/**
 * GitHub connectors: organisation REST exports and Actions workflow files.
 *
 * Identities (provider `github`, account = org or repository owner):
 * - `oauth-app` `github:ORG/app-installation/ID` — GitHub App installation; attributes
 *   `permissions` (flat name -> read|write|admin), `level`, `repositorySelection`, `events`,
 *   `suspended`, `ciPivot` (write on workflows/secrets/actions); one grant per permission.
 * - `personal-access-token` `github:ORG/pat/ID` — fine-grained PAT granted to the org; ownerRef =
 *   owner login; `noExpiry` when `token_expires_at` is null; `level`, `permissions`.
 * - `personal-access-token` `github:ORG/pat/CREDENTIAL_ID` (classic PAT) | `ssh-key`
 *   `github:ORG/credential/CREDENTIAL_ID` — credentials
 *   authorised for SAML SSO; `scopes`, `level`, `hint.suffix` (token_last_eight), `classic`.
 * - `ssh-key` `github:OWNER/REPO/deploy-key/ID` — `readOnly`, `level` (write when read_only is
 *   false), `keyFingerprint` (SHA256 of the public key), `noExpiry`.
 * - `ci-secret` `github:ORG/secret/NAME`, `github:OWNER/REPO/secret/NAME`,
 *   `github:OWNER/REPO/env/ENV/secret/NAME` — `scope`, `visibility`, `looksLike`
 *   (aws-access-key, openai-api-key, ...), `cloud`, `llm`; credential-looking Actions variables as
 *   `github:.../variable/NAME` with `variable: true, plaintext: true`.
 * - `webhook` `github:ORG/hook/ID`, `github:OWNER/REPO/hook/ID` — `host`, `insecureSsl`,
 *   `secretSet` (never the secret), `credentialInUrl`.
 * Resources `workflow` `github:OWNER/REPO/workflow/.github/workflows/F.yml` with `idTokenWrite`,
 * `staticCloudKeys`, `cloudLogins`; edges `exposes` (workflow -> secret) and `can-assume`
 * (workflow -> AWS role ARN / GCP service account / Entra app id, `attributes.via` github-oidc or
 * static-keys).
 *
 * @example
 * warden import exports/github/orgs/acme/personal-access-tokens.json
 */
export const connectors: Connector[] = [githubRestConnector, githubWorkflowConnector];
