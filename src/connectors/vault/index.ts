import type { Connector } from '../core/types.js';
import { vaultRoleConnector } from './vault-role-connector.js';

/**
 * HashiCorp Vault / OpenBao: auth roles (AppRole, Kubernetes, JWT/OIDC) from `vault read` and
 * `vault list` with `-format=json`, so a vault-issued identity is inventoried with its lifetime.
 * See vault-role-connector.ts for the attributes and vault-paths.ts for how a role's name and
 * mount are taken from the file path.
 *
 * @example
 * vault read -format=json auth/approle/role/ci-runner > exports/vault/auth/approle/role/ci-runner.json
 * warden import exports/vault
 */
export const connectors: Connector[] = [vaultRoleConnector];
