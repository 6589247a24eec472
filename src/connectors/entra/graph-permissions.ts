import type { AccessLevel, Sensitivity } from '../../model/index.js';

/**
 * Microsoft Graph permission ids Warden names without a tenant lookup. The ids are the same in every
 * tenant; they are published in the Microsoft Graph permissions reference:
 * https://learn.microsoft.com/en-us/graph/permissions-reference (section "All permissions", columns
 * "Application" and "Delegated" identifiers). Application permissions are app roles
 * (`appRoleAssignments.appRoleId`, `resourceAccess.type = Role`); delegated ones are OAuth2 scopes
 * (`resourceAccess.type = Scope`). Unknown ids are kept as ids.
 */
export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Application permissions (app roles of Microsoft Graph), the ones that matter most for risk. */
export const GRAPH_APP_ROLES: Readonly<Record<string, string>> = {
  '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8': 'RoleManagement.ReadWrite.Directory',
  '06b708a9-e830-4db3-a914-8e69da51d44f': 'AppRoleAssignment.ReadWrite.All',
  '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9': 'Application.ReadWrite.All',
  '18a4783c-866b-4cc7-a460-3d5e5662c884': 'Application.ReadWrite.OwnedBy',
  '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30': 'Application.Read.All',
  '19dbc75e-c2e2-444c-a770-ec69d8559fc7': 'Directory.ReadWrite.All',
  '7ab1d382-f21e-4acd-a863-ba3e13f7da61': 'Directory.Read.All',
  'e2a3a72e-5f79-4c64-b1b1-878b674786c9': 'Mail.ReadWrite',
  '810c84a8-4a9e-49e6-bf7d-12d183f40d01': 'Mail.Read',
  'b633e1c5-b582-4048-a93e-9f11b44c7e96': 'Mail.Send',
  '75359482-378d-4052-8f01-80520e7db3cd': 'Files.ReadWrite.All',
  '01d4889c-1287-42c6-ac1f-5d1e02578ef6': 'Files.Read.All',
  '9492366f-7969-46a4-8d15-ed1a20078fff': 'Sites.ReadWrite.All',
  '741f803b-c850-494e-b5df-cde7c675a1ca': 'User.ReadWrite.All',
  'df021288-bdef-4463-88db-98f22de89214': 'User.Read.All',
  '62a82d76-70ea-41e2-9197-370581804d09': 'Group.ReadWrite.All',
  '5b567255-7703-4780-807c-7be8301ae99b': 'Group.Read.All',
  'ef54d2bf-783f-4e0f-bca1-3210c0444d99': 'Calendars.ReadWrite',
  '798ee544-9d2d-430c-a058-570e29e34338': 'Calendars.Read',
  '294ce7c9-31ba-490a-ad7d-97a7d075e4ed': 'Chat.ReadWrite.All',
  'b0afded3-3588-46d8-8b3d-9842eff778da': 'AuditLog.Read.All',
};

/** Delegated permissions (OAuth2 scopes of Microsoft Graph). */
export const GRAPH_SCOPES: Readonly<Record<string, string>> = {
  'e1fe6dd8-ba31-4d61-89e7-88639da4683d': 'User.Read',
  '37f7f235-527c-4136-accd-4a02d197296e': 'openid',
  '7427e0e9-2fba-42fe-b0c0-848c9e6a8182': 'offline_access',
  '570282fd-fa5c-430d-a7fd-fc8dc98a9dca': 'Mail.Read',
  '024d486e-b451-40bb-833d-3e66d98c5c73': 'Mail.ReadWrite',
  'e383f46e-2787-4529-855e-0e479a3ffac0': 'Mail.Send',
  '863451e7-0667-486c-a5d6-d135439485f0': 'Files.ReadWrite.All',
  '89fe6a52-be36-487e-b7d8-d061c450a026': 'Sites.ReadWrite.All',
  'c5366453-9fb0-48a5-a156-24f0c49a4b84': 'Directory.ReadWrite.All',
  '0e263e50-5827-48a4-b97c-d940288653c7': 'Directory.AccessAsUser.All',
};

/** Permissions that let an app grant itself or others more: tenant takeover. */
const ESCALATING = new Set([
  'RoleManagement.ReadWrite.Directory',
  'AppRoleAssignment.ReadWrite.All',
  'Application.ReadWrite.All',
  'Directory.ReadWrite.All',
  'Directory.AccessAsUser.All',
]);

/**
 * Broad scopes: write access to every mailbox, file, site or user, or the whole directory. Flagged
 * on identities as `attributes.broadScopes` (third-party OAuth grants rule).
 */
const BROAD = new Set([
  ...ESCALATING,
  'Mail.ReadWrite',
  'Mail.Send',
  'Files.ReadWrite.All',
  'Sites.ReadWrite.All',
  'Sites.FullControl.All',
  'User.ReadWrite.All',
  'Group.ReadWrite.All',
  'Calendars.ReadWrite',
  'Chat.ReadWrite.All',
  'Mail.Read',
  'Files.Read.All',
]);

export function isBroadScope(name: string): boolean {
  return BROAD.has(name);
}

/** The permission's name, or its id when Warden does not know it. */
export function permissionName(id: string, type: 'Role' | 'Scope'): string {
  return (type === 'Role' ? GRAPH_APP_ROLES[id] : GRAPH_SCOPES[id]) ?? id;
}

const OPENID = new Set(['openid', 'profile', 'email', 'offline_access']);

/** Level and sensitivity of a Graph permission by its name (`X.Read`, `X.ReadWrite.All`, ...). */
export function permissionLevel(name: string): { level: AccessLevel; sensitivity?: Sensitivity } {
  if (ESCALATING.has(name)) return { level: 'admin', sensitivity: 'critical' };
  if (OPENID.has(name)) return { level: 'list' };
  if (/^[0-9a-f-]{36}$/i.test(name)) return { level: 'write' };
  const broad = BROAD.has(name);
  if (/ReadWrite|\.Write|Send|FullControl|Manage/i.test(name))
    return broad ? { level: 'write', sensitivity: 'high' } : { level: 'write' };
  if (/Read/i.test(name)) return broad ? { level: 'read', sensitivity: 'high' } : { level: 'read' };
  return { level: 'write' };
}

const ORDER: AccessLevel[] = ['none', 'list', 'read', 'write', 'admin'];
export function maxLevel(levels: AccessLevel[]): AccessLevel {
  return levels.reduce<AccessLevel>((a, b) => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a), 'none');
}
const SENS: Sensitivity[] = ['low', 'medium', 'high', 'critical'];
export function maxSensitivity(values: (Sensitivity | undefined)[]): Sensitivity | undefined {
  let best: Sensitivity | undefined;
  for (const v of values) if (v && (!best || SENS.indexOf(v) > SENS.indexOf(best))) best = v;
  return best;
}

/**
 * Tenants whose apps are Microsoft's own first-party services (not third parties in the OWASP NHI3
 * sense): "Microsoft Services" and the Microsoft corporate tenant, as seen in
 * `appOwnerOrganizationId` of first-party service principals.
 */
export const MICROSOFT_TENANTS = new Set([
  'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
  '72f988bf-86f1-41af-91ab-2d7cd011db47',
]);
