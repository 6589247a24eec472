import type { AccessLevel, Sensitivity } from '../../model/index.js';

/**
 * What a Google Cloud IAM role means for Warden: a level, a sensitivity and whether it lets the
 * member act as service accounts (the graph turns those into impersonation edges).
 *
 * Roles reference: https://cloud.google.com/iam/docs/roles-overview (basic roles owner/editor/viewer)
 * and https://cloud.google.com/iam/docs/understanding-roles; impersonation roles:
 * https://cloud.google.com/iam/docs/service-account-impersonation and
 * https://cloud.google.com/iam/docs/service-accounts-actas
 */
export interface RoleMeaning {
  level: AccessLevel;
  sensitivity?: Sensitivity;
  /** Permissions that let the member become a service account (token, JWT, key, actAs). */
  impersonation?: string[];
}

/** Predefined roles that let a member obtain a service account's credentials or act as it. */
const IMPERSONATION: Record<string, string[]> = {
  'roles/iam.serviceAccountTokenCreator': [
    'iam.serviceAccounts.getAccessToken',
    'iam.serviceAccounts.getOpenIdToken',
    'iam.serviceAccounts.signBlob',
    'iam.serviceAccounts.signJwt',
    'iam.serviceAccounts.implicitDelegation',
  ],
  'roles/iam.serviceAccountUser': ['iam.serviceAccounts.actAs'],
  'roles/iam.serviceAccountKeyAdmin': ['iam.serviceAccountKeys.create', 'iam.serviceAccountKeys.delete'],
  'roles/iam.serviceAccountAdmin': ['iam.serviceAccounts.setIamPolicy'],
  'roles/iam.workloadIdentityUser': [
    'iam.serviceAccounts.getAccessToken',
    'iam.serviceAccounts.getOpenIdToken',
  ],
  'roles/iam.serviceAccountOpenIdTokenCreator': ['iam.serviceAccounts.getOpenIdToken'],
  // Basic roles include every iam.serviceAccounts.* permission that matters for impersonation.
  'roles/owner': [
    'iam.serviceAccounts.actAs',
    'iam.serviceAccountKeys.create',
    'iam.serviceAccounts.setIamPolicy',
  ],
  'roles/editor': ['iam.serviceAccounts.actAs', 'iam.serviceAccountKeys.create'],
};

/** Roles that can change IAM policy itself (privilege escalation by granting oneself more). */
const POLICY_ADMIN = new Set([
  'roles/resourcemanager.projectIamAdmin',
  'roles/resourcemanager.organizationAdmin',
  'roles/resourcemanager.folderAdmin',
  'roles/iam.securityAdmin',
  'roles/iam.roleAdmin',
]);

/** Roles that read secret material: low "level" but high sensitivity. */
const SECRET_READERS = new Set(['roles/secretmanager.secretAccessor', 'roles/cloudkms.cryptoKeyDecrypter']);

/**
 * Maps a role name (`roles/x`, `projects/P/roles/x`, `organizations/O/roles/x`) to its meaning.
 * Custom roles have no public definition: they are judged by their name, and unknown ones count as
 * `write` (pessimistic) so that nothing is under-reported.
 *
 * @example roleMeaning('roles/editor') // { level: 'write', sensitivity: 'high', impersonation: [...] }
 */
export function roleMeaning(role: string): RoleMeaning {
  const impersonation = IMPERSONATION[role];
  const withImp = (m: RoleMeaning): RoleMeaning => (impersonation ? { ...m, impersonation } : m);
  if (role === 'roles/owner') return withImp({ level: 'admin', sensitivity: 'critical' });
  if (role === 'roles/editor') return withImp({ level: 'write', sensitivity: 'high' });
  if (role === 'roles/viewer') return { level: 'read', sensitivity: 'medium' };
  if (role === 'roles/browser') return { level: 'list' };
  if (POLICY_ADMIN.has(role)) return withImp({ level: 'admin', sensitivity: 'critical' });
  if (impersonation) return { level: 'admin', sensitivity: 'high', impersonation };
  if (SECRET_READERS.has(role)) return { level: 'read', sensitivity: 'high' };
  const leaf = role.slice(role.lastIndexOf('/') + 1);
  if (/admin$/i.test(leaf) || /\.admin/i.test(leaf) || /owner$/i.test(leaf))
    return { level: 'admin', sensitivity: 'high' };
  if (/(viewer|reader|browser|lister|auditor|accessor)$/i.test(leaf)) return { level: 'read' };
  if (/(editor|writer|creator|developer|user|invoker|publisher|operator|agent|client|runner)$/i.test(leaf)) {
    return { level: 'write' };
  }
  return { level: 'write' };
}
