import type { Connector } from '../core/types.js';
import { entraGraphConnector } from './entra-connector.js';

/**
 * Microsoft Entra ID from Microsoft Graph JSON (`{"@odata.context", "value": [...]}` pages, a bare
 * array, or one object): `applications`, `servicePrincipals`, `oauth2PermissionGrants`,
 * `servicePrincipals/{id}/appRoleAssignments` and `/appRoleAssignedTo`, `applications/{id}/owners`.
 *
 * Records (provider `azure`):
 * - an application and its service principal are ONE identity, `nativeId = appId` (kind `oauth-app`,
 *   `workload-identity` for `servicePrincipalType: ManagedIdentity`); the application's object id is
 *   `attributes.applicationObjectId`, the service principal's is `attributes.objectId`; `account` = the
 *   home tenant; `thirdParty` when the SP's `appOwnerOrganizationId` is another tenant (Microsoft's own
 *   first-party tenants excepted: `attributes.microsoftFirstParty`); `status` from `accountEnabled`.
 * - password / key credentials -> identities `api-key` / `certificate`, nativeId
 *   `${appId}/password/${keyId}` or `${appId}/certificate/${keyId}`, `expiresAt` = endDateTime,
 *   `attributes.hint = {prefix}`, `attributes.parent = appId`, plus an edge credential `member-of` app.
 * - `requiredResourceAccess` -> grants with `conditions.requestedOnly: true` (what the app asks for);
 *   `appRoleAssignments` -> application-permission grants; `oauth2PermissionGrants` -> delegated grants
 *   (`conditions.tenantWide` for consentType AllPrincipals); the client's `attributes.scopes` and
 *   `attributes.broadScopes` (Mail.ReadWrite, Files.ReadWrite.All, Directory.ReadWrite.All, ...).
 *   Well-known Microsoft Graph permission ids are named (graph-permissions.ts); others stay ids.
 * - owners (`$expand=owners` or an owners file) -> owner records, `ownerRef`, edges `owns`.
 *
 * Object ids and the cross-file join: grants and assignments name service principals by OBJECT id,
 * identities are keyed by appId. The connector resolves the id from the same file, then from every
 * other Graph file of the same import (its `prepare` step indexes object id -> appId before any file
 * is read). What is still unknown is kept on a placeholder identity `sp-object:<objectId>` with
 * `attributes.objectId` and `unresolvedObjectId: true`, plus a note; the SP identity carries the same
 * `attributes.objectId`, so the graph joins them (import the servicePrincipals export together with
 * the grants to avoid placeholders). An owners file of an unknown application uses `app-object:<id>`.
 *
 * @example
 * // az rest --url 'https://graph.microsoft.com/v1.0/servicePrincipals' > sps.json
 * await importPaths({ store, config, connectors: CONNECTORS, paths: ['entra/'] });
 */
export const connectors: Connector[] = [entraGraphConnector];
export { GRAPH_APP_ROLES, GRAPH_SCOPES, permissionName, isBroadScope } from './graph-permissions.js';
