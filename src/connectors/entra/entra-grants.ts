import type { GrantInput, ImportItem } from '../../store/index.js';
import {
  isBroadScope,
  maxLevel,
  maxSensitivity,
  permissionLevel,
  permissionName,
} from './graph-permissions.js';
import { str, type Json } from './graph-page.js';
import type { Resolver } from './entra-resolver.js';

/*
 * Permissions actually granted: oauth2PermissionGrants (delegated, https://learn.microsoft.com/en-us/graph/api/resources/oauth2permissiongrant)
 * and appRoleAssignments (application, https://learn.microsoft.com/en-us/graph/api/resources/approleassignment).
 */
/** Per client SP: the union of its delegated scopes over the file's grants. */
export interface ScopeSummary {
  scopes: Set<string>;
  tenantWide: boolean;
}

export function permissionGrantItems(
  g: Json,
  pointer: string,
  resolver: Resolver,
  summary: Map<string, ScopeSummary>,
): ImportItem[] {
  const clientId = str(g.clientId);
  const scope = typeof g.scope === 'string' ? g.scope : undefined;
  if (!clientId || scope === undefined)
    return [{ type: 'skip', value: { pointer, reason: 'oauth2PermissionGrant needs clientId and scope' } }];
  const client = resolver.sp(clientId);
  const scopes = scope.split(/\s+/).filter(Boolean);
  const resourceId = str(g.resourceId);
  const resourceName = resourceId ? resolver.nameOf(resourceId) : undefined;
  const tenantWide = g.consentType === 'AllPrincipals';
  const levels = scopes.map((s) => permissionLevel(s));
  const conditions: Json = {
    permissionType: 'delegated',
    consentType: g.consentType ?? 'unknown',
    tenantWide,
  };
  if (!tenantWide && str(g.principalId)) conditions.principalId = g.principalId;
  if (resourceId) conditions.resourceId = resourceId;
  const grant: GrantInput = {
    identity: { provider: client.provider, nativeId: client.nativeId },
    key: `oauth2:${str(g.id) ?? `${clientId}/${resourceId}/${String(g.principalId ?? 'all')}`}`,
    effect: 'allow',
    actions: scopes,
    resources: [resourceName ?? resourceId ?? 'unknown'],
    conditions,
    level: maxLevel(levels.map((l) => l.level)),
    via: tenantWide
      ? 'oauth2PermissionGrant (admin consent, all users)'
      : 'oauth2PermissionGrant (one user consented)',
  };
  const sensitivity = maxSensitivity(levels.map((l) => l.sensitivity));
  if (sensitivity) grant.sensitivity = sensitivity;
  const key = `${client.provider}\0${client.nativeId}`;
  const s = summary.get(key) ?? { scopes: new Set<string>(), tenantWide: false };
  for (const sc of scopes) s.scopes.add(sc);
  s.tenantWide ||= tenantWide;
  summary.set(key, s);
  return [{ type: 'grant', value: grant }];
}

export function assignmentItems(a: Json, pointer: string, resolver: Resolver): ImportItem[] {
  const principalId = str(a.principalId);
  const appRoleId = str(a.appRoleId);
  if (!principalId || !appRoleId)
    return [
      { type: 'skip', value: { pointer, reason: 'appRoleAssignment needs principalId and appRoleId' } },
    ];
  if (a.principalType !== undefined && a.principalType !== 'ServicePrincipal') {
    return [
      {
        type: 'note',
        value: {
          pointer,
          reason: `assignment to a ${String(a.principalType)} (${str(a.principalDisplayName) ?? principalId}): a person or group allowed to use the app, not an NHI permission`,
        },
      },
    ];
  }
  const principal = resolver.sp(principalId);
  const resourceId = str(a.resourceId);
  const resourceName = str(a.resourceDisplayName) ?? (resourceId ? resolver.nameOf(resourceId) : undefined);
  const isDefault = appRoleId === '00000000-0000-0000-0000-000000000000';
  const name = isDefault ? 'default-access' : permissionName(appRoleId, 'Role');
  const { level, sensitivity } = isDefault
    ? { level: 'list' as const, sensitivity: undefined }
    : permissionLevel(name);
  const grant: GrantInput = {
    identity: { provider: principal.provider, nativeId: principal.nativeId },
    key: `approle:${str(a.id) ?? `${principalId}/${resourceId}/${appRoleId}`}`,
    effect: 'allow',
    actions: [name],
    resources: [resourceName ?? resourceId ?? 'unknown'],
    conditions: { permissionType: 'application', appRoleId, ...(resourceId ? { resourceId } : {}) },
    level,
    via: 'appRoleAssignment (application permission, admin consented)',
  };
  if (sensitivity) grant.sensitivity = sensitivity;
  return [{ type: 'grant', value: grant }];
}

export function scopeSummaryItems(summary: Map<string, ScopeSummary>): ImportItem[] {
  const out: ImportItem[] = [];
  for (const [key, s] of summary) {
    const [provider, nativeId] = key.split('\0') as [string, string];
    const scopes = [...s.scopes].sort();
    const broad = scopes.filter(isBroadScope);
    const attributes: Json = { scopes, tenantWideConsent: s.tenantWide };
    if (broad.length > 0) attributes.broadScopes = broad;
    out.push({ type: 'identity', value: { provider, nativeId, attributes } });
  }
  return out;
}
