import type { Snapshot } from '../snapshot.js';
import { adminKey, adminNativeId } from '../snapshot.js';
import { emptyDerived, type Derived } from './derived.js';

/*
 * Microsoft Entra ID escalation from what the Entra connector stores:
 * - `owns` edges (a person or another app owning an application or service principal): an owner
 *   can add a password or certificate to it and sign in as it
 *   (https://learn.microsoft.com/en-us/graph/api/application-addpassword).
 * - application permissions granted by appRoleAssignments (grants with conditions.permissionType
 *   'application', not `requestedOnly`) that amount to tenant administration:
 *   RoleManagement.ReadWrite.Directory (assign any directory role, Global Administrator included)
 *   and AppRoleAssignment.ReadWrite.All (grant oneself any permission, then the former);
 *   Application.ReadWrite.All can add credentials to every application of the tenant.
 *   https://learn.microsoft.com/en-us/graph/permissions-reference
 */
const TENANT_ADMIN: Record<string, string> = {
  'RoleManagement.ReadWrite.Directory': 'entra-role-management',
  'AppRoleAssignment.ReadWrite.All': 'entra-app-role-assignment',
};
const ALL_APPS = 'Application.ReadWrite.All';
/** Directory roles (when a source stores them in attributes.directoryRoles) that are tenant admin. */
const ADMIN_ROLES = new Set([
  'Global Administrator',
  'Privileged Role Administrator',
  'Privileged Authentication Administrator',
]);
const APP_ADMIN_ROLES = new Set(['Application Administrator', 'Cloud Application Administrator']);

export function entraEscalations(s: Snapshot): Derived {
  const out = emptyDerived();
  const azure = new Map(s.identities.filter((i) => i.provider === 'azure').map((i) => [i.id, i]));
  const apps = [...azure.values()].filter(
    (i) => i.kind === 'oauth-app' || i.kind === 'service-account' || i.kind === 'workload-identity',
  );
  const admins = new Set<string>();
  const adminNode = (tenant: string | undefined) => {
    const key = adminKey('azure', tenant);
    if (!admins.has(key)) {
      admins.add(key);
      out.nodes.push({
        key,
        kind: 'admin',
        nativeId: adminNativeId('azure', tenant),
        provider: 'azure',
        ...(tenant ? { account: tenant } : {}),
        type: 'tenant-admin',
        admin: true,
        sensitivity: 'critical',
      });
    }
    return key;
  };
  for (const e of s.edges) {
    if (e.kind !== 'owns' || !azure.has(e.toId)) continue;
    out.edges.push({
      from: e.fromId,
      to: e.toId,
      kind: 'escalates-to',
      technique: 'entra-owner-add-credential',
      confidence: e.confidence,
      note: `owner of ${azure.get(e.toId)!.nativeId} can add a credential to it`,
    });
  }
  const allApps = (from: string, tenant: string | undefined, why: string, technique: string) => {
    for (const app of apps) {
      if (app.id === from || (tenant && app.account && app.account !== tenant) || app.thirdParty) continue;
      out.edges.push({ from, to: app.id, kind: 'escalates-to', technique, note: why });
    }
  };
  for (const g of s.grants) {
    const who = azure.get(g.identityId);
    if (!who || g.effect !== 'allow') continue;
    const requested = g.conditions?.requestedOnly === true;
    for (const a of g.actions) {
      const t = TENANT_ADMIN[a];
      if (!t && a !== ALL_APPS) continue;
      if (requested) {
        out.notes.push(
          `${who.nativeId} requests ${a} but no consent was seen (appRoleAssignments): not counted`,
        );
        continue;
      }
      if (t)
        out.edges.push({
          from: g.identityId,
          to: adminNode(who.account),
          kind: 'escalates-to',
          technique: t,
          note: `${a} (${g.via ?? 'application permission'})`,
        });
      else
        allApps(
          g.identityId,
          who.account,
          `${a} can add credentials to any application`,
          'entra-application-readwrite',
        );
    }
  }
  for (const i of azure.values()) {
    const roles = Array.isArray(i.attributes?.directoryRoles)
      ? (i.attributes.directoryRoles as unknown[]).filter((r): r is string => typeof r === 'string')
      : [];
    for (const r of roles) {
      if (ADMIN_ROLES.has(r))
        out.edges.push({
          from: i.id,
          to: adminNode(i.account),
          kind: r === 'Global Administrator' ? 'has-permission' : 'escalates-to',
          ...(r === 'Global Administrator'
            ? { level: 'admin' as const }
            : { technique: 'entra-privileged-role' }),
          note: `directory role ${r}`,
        });
      else if (APP_ADMIN_ROLES.has(r))
        allApps(
          i.id,
          i.account,
          `directory role ${r} manages every application's credentials`,
          'entra-application-administrator',
        );
    }
  }
  return out;
}
