import { toUtc, type IdentityRef } from '../../model/index.js';
import type { GrantInput, IdentityInput, ImportItem } from '../../store/index.js';
import {
  MICROSOFT_GRAPH_APP_ID,
  MICROSOFT_TENANTS,
  permissionLevel,
  permissionName,
} from './graph-permissions.js';
import { isRecord, str, type Json } from './graph-page.js';

/*
 * Applications and service principals: https://learn.microsoft.com/en-us/graph/api/resources/application ,
 * https://learn.microsoft.com/en-us/graph/api/resources/serviceprincipal (passwordCredential:
 * https://learn.microsoft.com/en-us/graph/api/resources/passwordcredential , keyCredential:
 * https://learn.microsoft.com/en-us/graph/api/resources/keycredential).
 */

/** `tags` of a service principal (strings) as a flat map: `key=value` / `key:value` split, else `tag: true`. */
function flatTags(tags: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(tags)) return out;
  for (const t of tags) {
    if (typeof t !== 'string') continue;
    const m = /^([^=:]+)[=:](.+)$/.exec(t);
    if (m) out[m[1]!.trim()] = m[2]!.trim();
    else out[t] = 'true';
  }
  return out;
}

function credentials(
  owner: Json,
  appId: string,
  on: 'application' | 'servicePrincipal',
  account: string | undefined,
  now: string,
  pointer: string,
): ImportItem[] {
  const out: ImportItem[] = [];
  for (const [field, kind, seg] of [
    ['passwordCredentials', 'api-key', 'password'],
    ['keyCredentials', 'certificate', 'certificate'],
  ] as const) {
    const list = owner[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      out.push({
        type: 'skip',
        value: { pointer: `${pointer}/${field}`, reason: `${field} must be an array` },
      });
      continue;
    }
    for (const [i, c] of list.entries()) {
      const keyId = isRecord(c) ? str(c.keyId) : undefined;
      if (!isRecord(c) || !keyId) {
        out.push({
          type: 'skip',
          value: { pointer: `${pointer}/${field}/${i}`, reason: 'credential without a keyId' },
        });
        continue;
      }
      const expiresAt = toUtc(c.endDateTime);
      const createdAt = toUtc(c.startDateTime);
      const attributes: Json = { parent: appId, keyId, credentialOn: on };
      if (str(c.hint)) attributes.hint = { prefix: c.hint };
      for (const k of ['type', 'usage', 'customKeyIdentifier'] as const) if (str(c[k])) attributes[k] = c[k];
      const nativeId = `${appId}/${seg}/${keyId}`;
      const idn: IdentityInput = {
        provider: 'azure',
        nativeId,
        kind,
        name: str(c.displayName) ?? (str(c.hint) ? `${String(c.hint)}…` : keyId),
        status: expiresAt && expiresAt < now ? 'expired' : 'active',
        attributes,
      };
      if (account) idn.account = account;
      if (createdAt) idn.createdAt = createdAt;
      if (expiresAt) idn.expiresAt = expiresAt;
      out.push({ type: 'identity', value: idn });
      out.push({
        type: 'edge',
        value: {
          kind: 'member-of',
          from: { type: 'identity', provider: 'azure', nativeId },
          to: { type: 'identity', provider: 'azure', nativeId: appId },
          attributes: { relation: 'credential-of' },
        },
      });
    }
  }
  return out;
}

/** Owners expanded inline (`$expand=owners`) or listed in an owners file. */
export function ownerItems(
  owners: unknown[],
  target: IdentityRef,
  pointer: string,
): { items: ImportItem[]; refs: string[] } {
  const items: ImportItem[] = [];
  const refs: string[] = [];
  for (const [i, o] of owners.entries()) {
    if (!isRecord(o)) {
      items.push({ type: 'skip', value: { pointer: `${pointer}/${i}`, reason: 'owner is not an object' } });
      continue;
    }
    const type = str(o['@odata.type']);
    if (type === '#microsoft.graph.servicePrincipal' && str(o.appId)) {
      // An app owned by another app: that app can add credentials to this one (graph: escalation).
      items.push({
        type: 'edge',
        value: {
          kind: 'owns',
          from: { type: 'identity', provider: 'azure', nativeId: String(o.appId) },
          to: { type: 'identity', ...target },
        },
      });
      continue;
    }
    const ref = str(o.mail) ?? str(o.userPrincipalName);
    if (!ref) {
      items.push({
        type: 'skip',
        value: { pointer: `${pointer}/${i}`, reason: 'owner without mail or userPrincipalName' },
      });
      continue;
    }
    refs.push(ref);
    const owner: { ref: string; name?: string; email?: string; attributes: Json } = {
      ref,
      attributes: { entraObjectId: o.id },
    };
    if (str(o.displayName)) owner.name = String(o.displayName);
    if (str(o.mail)) owner.email = String(o.mail);
    items.push({ type: 'owner', value: owner });
    items.push({
      type: 'edge',
      value: { kind: 'owns', from: { type: 'owner', ref }, to: { type: 'identity', ...target } },
    });
  }
  return { items, refs };
}

export function applicationItems(
  app: Json,
  pointer: string,
  tenant: string | undefined,
  now: string,
): ImportItem[] {
  const appId = str(app.appId);
  if (!appId)
    return [{ type: 'skip', value: { pointer: `${pointer}/appId`, reason: 'application without an appId' } }];
  const attributes: Json = { applicationObjectId: app.id };
  for (const k of ['signInAudience', 'publisherDomain'] as const) if (str(app[k])) attributes[k] = app[k];
  const items: ImportItem[] = [];
  const idn: IdentityInput = { provider: 'azure', nativeId: appId, kind: 'oauth-app', attributes };
  if (str(app.displayName)) idn.name = String(app.displayName);
  if (tenant) idn.account = tenant;
  const created = toUtc(app.createdDateTime);
  if (created) idn.createdAt = created;
  const tags = flatTags(app.tags);
  if (Object.keys(tags).length > 0) attributes.tags = tags;
  if (Array.isArray(app.owners)) {
    const { items: o, refs } = ownerItems(
      app.owners,
      { provider: 'azure', nativeId: appId },
      `${pointer}/owners`,
    );
    items.push(...o);
    if (refs[0]) idn.ownerRef = refs[0];
    attributes.owners = refs;
  }
  const requested: string[] = [];
  const rra = app.requiredResourceAccess;
  if (Array.isArray(rra)) {
    for (const [ri, r] of rra.entries()) {
      if (!isRecord(r) || !str(r.resourceAppId) || !Array.isArray(r.resourceAccess)) {
        items.push({
          type: 'skip',
          value: {
            pointer: `${pointer}/requiredResourceAccess/${ri}`,
            reason: 'expected {resourceAppId, resourceAccess: [...]}',
          },
        });
        continue;
      }
      const resourceAppId = String(r.resourceAppId);
      const isGraph = resourceAppId === MICROSOFT_GRAPH_APP_ID;
      for (const [ai, a] of r.resourceAccess.entries()) {
        if (!isRecord(a) || !str(a.id) || (a.type !== 'Role' && a.type !== 'Scope')) {
          items.push({
            type: 'skip',
            value: {
              pointer: `${pointer}/requiredResourceAccess/${ri}/resourceAccess/${ai}`,
              reason: 'expected {id, type: Role|Scope}',
            },
          });
          continue;
        }
        const id = String(a.id);
        const name = isGraph ? permissionName(id, a.type) : id;
        requested.push(name);
        const { level, sensitivity } = permissionLevel(name);
        const grant: GrantInput = {
          identity: { provider: 'azure', nativeId: appId },
          key: `required:${resourceAppId}/${a.type}/${id}`,
          effect: 'allow',
          actions: [name],
          resources: [isGraph ? 'Microsoft Graph' : resourceAppId],
          conditions: {
            permissionType: a.type === 'Role' ? 'application' : 'delegated',
            requestedOnly: true,
            permissionId: id,
            resourceAppId,
          },
          level,
          via: 'application requiredResourceAccess (requested; consent shown by appRoleAssignments / oauth2PermissionGrants)',
        };
        if (sensitivity) grant.sensitivity = sensitivity;
        items.push({ type: 'grant', value: grant });
      }
    }
  }
  if (requested.length > 0) attributes.requestedPermissions = requested;
  items.unshift({ type: 'identity', value: idn });
  items.push(...credentials(app, appId, 'application', tenant, now, pointer));
  return items;
}

export function servicePrincipalItems(
  sp: Json,
  pointer: string,
  tenant: string | undefined,
  now: string,
): ImportItem[] {
  const appId = str(sp.appId);
  if (!appId)
    return [
      { type: 'skip', value: { pointer: `${pointer}/appId`, reason: 'service principal without an appId' } },
    ];
  const type = str(sp.servicePrincipalType) ?? 'Application';
  const org = str(sp.appOwnerOrganizationId)?.toLowerCase();
  const attributes: Json = { objectId: sp.id, servicePrincipalType: type };
  if (org) attributes.appOwnerOrganizationId = org;
  if (str(sp.publisherName)) attributes.publisherName = sp.publisherName;
  if (org && MICROSOFT_TENANTS.has(org)) attributes.microsoftFirstParty = true;
  const tags = flatTags(sp.tags);
  if (Object.keys(tags).length > 0) attributes.tags = tags;
  if (type === 'ManagedIdentity' && Array.isArray(sp.alternativeNames)) {
    // alternativeNames holds `isExplicit=True|False` (user- vs system-assigned) and the ARM resource id.
    attributes.managedIdentity = {
      userAssigned: sp.alternativeNames.includes('isExplicit=True'),
      resourceIds: sp.alternativeNames.filter(
        (n): n is string => typeof n === 'string' && n.startsWith('/subscriptions/'),
      ),
    };
  }
  const idn: IdentityInput = {
    provider: 'azure',
    nativeId: appId,
    kind: type === 'ManagedIdentity' ? 'workload-identity' : 'oauth-app',
    status: sp.accountEnabled === false ? 'disabled' : 'active',
    attributes,
  };
  if (str(sp.displayName)) idn.name = String(sp.displayName);
  const account = tenant;
  if (account) idn.account = account;
  if (tenant && org) idn.thirdParty = org !== tenant && !MICROSOFT_TENANTS.has(org);
  const items: ImportItem[] = [{ type: 'identity', value: idn }];
  if (Array.isArray(sp.owners)) {
    const { items: o, refs } = ownerItems(
      sp.owners,
      { provider: 'azure', nativeId: appId },
      `${pointer}/owners`,
    );
    items.push(...o);
    if (refs[0]) idn.ownerRef = refs[0];
    attributes.spOwners = refs;
  }
  items.push(...credentials(sp, appId, 'servicePrincipal', account, now, pointer));
  return items;
}
