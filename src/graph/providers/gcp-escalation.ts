import { recordId, type Grant, type Identity } from '../../model/index.js';
import type { Snapshot } from '../snapshot.js';
import { adminKey, adminNativeId } from '../snapshot.js';
import { emptyDerived, type Derived } from './derived.js';

/*
 * Google Cloud service-account impersonation and IAM-policy escalation, from what the GCP connector
 * stores: grants whose actions are `[role, ...permissions]` on `projects/P` or
 * `projects/P/serviceAccounts/EMAIL`, and `can-assume` edges (technique gcp-impersonation) to an SA
 * or to a project resource meaning "every SA of the project".
 * Permissions: https://cloud.google.com/iam/docs/service-account-impersonation,
 * https://cloud.google.com/iam/docs/service-accounts-actas,
 * https://cloud.google.com/iam/docs/keys-create-delete (iam.serviceAccountKeys.create),
 * https://cloud.google.com/resource-manager/reference/rest/v1/projects/setIamPolicy.
 */

/** Strongest first: the technique named on an edge is the best one the permissions allow. */
const TECHNIQUES: [permission: string, technique: string, direct: boolean][] = [
  ['iam.serviceAccounts.getAccessToken', 'gcp-get-access-token', true],
  ['iam.serviceAccounts.signJwt', 'gcp-sign-jwt', true],
  ['iam.serviceAccounts.signBlob', 'gcp-sign-blob', true],
  ['iam.serviceAccountKeys.create', 'gcp-create-key', true],
  ['iam.serviceAccounts.implicitDelegation', 'gcp-implicit-delegation', true],
  ['iam.serviceAccounts.setIamPolicy', 'gcp-sa-set-iam-policy', true],
  // actAs alone only lets one attach the SA to a resource one can create (a VM, a function...).
  ['iam.serviceAccounts.actAs', 'gcp-act-as', false],
];

/** Roles or permissions that create something that runs as a service account (with actAs). */
const DEPLOYERS = [
  /^roles\/(owner|editor)$/,
  /^roles\/compute\.(admin|instanceAdmin(\.v1)?)$/,
  /^roles\/cloudfunctions\.(admin|developer)$/,
  /^roles\/run\.(admin|developer)$/,
  /^roles\/cloudbuild\.builds\.(editor|builder)$/,
  /^roles\/dataflow\.(admin|developer)$/,
  /^roles\/composer\.admin$/,
  /^roles\/container\.(admin|developer)$/,
  /^compute\.instances\.create$/,
  /^cloudfunctions\.functions\.(create|update)$/,
  /^run\.services\.(create|update)$/,
];

/** Roles that can rewrite the project's IAM policy: owner of the project in one step. */
const POLICY_ADMIN =
  /^roles\/(owner|resourcemanager\.(projectIamAdmin|organizationAdmin|folderAdmin)|iam\.securityAdmin)$|^resourcemanager\.projects\.setIamPolicy$/;

function techniqueOf(
  perms: readonly string[],
  canDeploy: boolean,
): { technique: string; confidence: number } | undefined {
  for (const [p, t, direct] of TECHNIQUES) {
    if (!perms.includes(p)) continue;
    if (direct || canDeploy) return { technique: t, confidence: 1 };
    return { technique: t, confidence: 0.5 };
  }
  return undefined;
}

function projectOf(resource: string): string | undefined {
  return /^(?:\/\/cloudresourcemanager\.googleapis\.com\/)?projects\/([^/]+)/.exec(resource)?.[1];
}

export function gcpEscalations(s: Snapshot): Derived {
  const out = emptyDerived();
  const gcpSas = s.identities.filter((i) => i.provider === 'gcp' && i.kind === 'service-account');
  const byProject = new Map<string, Identity[]>();
  for (const sa of gcpSas) {
    const p = sa.account ?? /@([^.]+)\.iam\.gserviceaccount\.com$/.exec(sa.nativeId)?.[1];
    if (p) (byProject.get(p) ?? byProject.set(p, []).get(p)!).push(sa);
  }
  const grantsOf = new Map<string, Grant[]>();
  for (const g of s.grants)
    if (g.effect === 'allow')
      (grantsOf.get(g.identityId) ?? grantsOf.set(g.identityId, []).get(g.identityId)!).push(g);
  const canDeploy = (identityId: string) =>
    (grantsOf.get(identityId) ?? []).some((g) => g.actions.some((a) => DEPLOYERS.some((re) => re.test(a))));
  const admins = new Set<string>();
  const adminNode = (project: string) => {
    const key = adminKey('gcp', project);
    if (!admins.has(key)) {
      admins.add(key);
      out.nodes.push({
        key,
        kind: 'admin',
        nativeId: adminNativeId('gcp', project),
        provider: 'gcp',
        account: project,
        type: 'project-owner',
        admin: true,
        sensitivity: 'critical',
      });
    }
    return key;
  };
  // Owners and IAM-policy admins of a project are (or can make themselves) its owner.
  for (const g of s.grants) {
    if (g.effect !== 'allow') continue;
    const conditional = g.conditions !== undefined && Object.keys(g.conditions).length > 0;
    for (const r of g.resources) {
      const project = projectOf(r);
      if (!project || /\/serviceAccounts\//.test(r)) continue;
      const role = g.actions.find((a) => POLICY_ADMIN.test(a));
      if (!role) continue;
      const owner = role === 'roles/owner';
      out.edges.push({
        from: g.identityId,
        to: adminNode(project),
        kind: owner ? 'has-permission' : 'escalates-to',
        ...(owner ? { level: 'admin' as const } : { technique: 'gcp-set-iam-policy' }),
        confidence: conditional ? 0.5 : 1,
        note: `${role} on projects/${project}${conditional ? ' (conditional binding)' : ''}`,
      });
    }
  }
  // Project-level impersonation edges mean every service account of the project.
  for (const e of s.edges) {
    if (e.kind !== 'can-assume' || e.technique !== 'gcp-impersonation') continue;
    const perms = Array.isArray(e.attributes?.permissions) ? (e.attributes.permissions as string[]) : [];
    const t = techniqueOf(perms, canDeploy(e.fromId));
    if (!t) continue;
    const role = String(e.attributes?.role ?? 'a role');
    const targetRes = s.resources.find((r) => r.id === e.toId);
    const targets = targetRes
      ? (byProject.get(projectOf(targetRes.nativeId) ?? '') ?? [])
      : gcpSas.filter((i) => i.id === e.toId);
    for (const sa of targets) {
      if (sa.id === e.fromId) continue;
      out.edges.push({
        from: e.fromId,
        to: sa.id,
        kind: 'escalates-to',
        technique: t.technique,
        confidence: Math.min(t.confidence, e.confidence),
        note: `${role} ${targetRes ? `on ${targetRes.nativeId}` : `on ${sa.nativeId}`}${t.confidence < 1 ? ' (actAs needs a resource the principal can create)' : ''}`,
      });
    }
  }
  // Grants on a service account resource give the same, when no edge was stored for them.
  for (const g of s.grants) {
    if (g.effect !== 'allow') continue;
    const t = techniqueOf(g.actions, canDeploy(g.identityId));
    if (!t) continue;
    for (const r of g.resources) {
      const m = /\/serviceAccounts\/([^/]+)$/.exec(r);
      if (!m) continue;
      const id = recordId.identity('gcp', m[1]!);
      if (id === g.identityId) continue;
      out.edges.push({
        from: g.identityId,
        to: id,
        kind: 'escalates-to',
        technique: t.technique,
        confidence: t.confidence,
        note: `${g.actions[0]} on ${r}`,
      });
    }
  }
  return out;
}
