import { createHash } from 'node:crypto';
import path from 'node:path';
import { WardenError } from '../../errors/index.js';
import type { NodeRef } from '../../model/index.js';
import type { GrantInput, IdentityInput, ImportItem } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import type { Connector } from '../core/types.js';
import { isRecord, projectOfEmail, str, type Json } from './gcp-accounts-connector.js';
import { roleMeaning } from './gcp-roles.js';

/*
 * `gcloud projects get-iam-policy P --format=json` (and `gcloud iam service-accounts get-iam-policy
 * EMAIL`): a Policy {bindings [{role, members, condition? {expression, title, description}}], etag,
 * version}. https://cloud.google.com/iam/docs/reference/rest/v1/Policy ; member syntax (serviceAccount:,
 * user:, group:, domain:, deleted:..., principal://, principalSet://, allUsers):
 * https://cloud.google.com/iam/docs/principal-identifiers
 *
 * The policy does not name the resource it belongs to. Warden takes it from the file name
 * (`acme-prod.iam-policy.json`, `get-iam-policy-acme-prod.json`, or an SA email for an SA's policy),
 * else from the project most service-account members belong to, else `projects/unknown` (a note).
 */

const EMAIL_IN_NAME = /[a-z0-9][a-z0-9-]*@[a-z0-9-]+\.iam\.gserviceaccount\.com/;
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** `P.iam-policy`, `P-get-iam-policy`, `get-iam-policy-P`, `iam-policy.P`, `P.policy`: P is the project. */
const NAME_FORMS = [
  /^(?:projects?[-_.])?(.+?)[-_.](?:get[-_.]?)?(?:iam[-_.]?)?polic(?:y|ies)$/,
  /^(?:gcloud[-_.])?(?:projects?[-_.])?(?:get[-_.]?)?(?:iam[-_.]?)?polic(?:y|ies)[-_.](.+)$/,
];
/** GKE Workload Identity: `serviceAccount:PROJECT.svc.id.goog[NAMESPACE/KSA]` is a Kubernetes SA. */
const GKE_WI = /^([^@[\]]+)\.svc\.id\.goog\[([^/\]]+)\/([^\]]+)\]$/;

interface Target {
  /** `projects/P` or `projects/P/serviceAccounts/EMAIL`. */
  resource: string;
  project: string | undefined;
  /** Set when the policy is a service account's own policy. */
  serviceAccount?: string;
  how: 'file name' | 'members' | 'unknown';
}

function targetOf(file: SourceFile, bindings: unknown[]): Target {
  const email = EMAIL_IN_NAME.exec(file.name)?.[0];
  if (email) {
    const project = projectOfEmail(email);
    return {
      resource: `projects/${project ?? '-'}/serviceAccounts/${email}`,
      project,
      serviceAccount: email,
      how: 'file name',
    };
  }
  const stem = file.name.replace(/(\.json)?(\.gz)?$/i, '').toLowerCase();
  for (const re of NAME_FORMS) {
    const p = re.exec(stem)?.[1];
    if (p && PROJECT_ID.test(p)) return { resource: `projects/${p}`, project: p, how: 'file name' };
  }

  const votes = new Map<string, number>();
  for (const b of bindings) {
    if (!isRecord(b) || !Array.isArray(b.members)) continue;
    for (const m of b.members) {
      const p =
        typeof m === 'string' && m.startsWith('serviceAccount:') ? projectOfEmail(m.slice(15)) : undefined;
      if (p) votes.set(p, (votes.get(p) ?? 0) + 1);
    }
  }
  const best = [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (best) return { resource: `projects/${best}`, project: best, how: 'members' };
  return { resource: 'projects/unknown', project: undefined, how: 'unknown' };
}

function conditionKey(c: Json | undefined): string {
  if (!c) return '';
  return (
    '#' +
    createHash('sha256')
      .update(String(c.expression ?? ''))
      .update('\0')
      .update(String(c.title ?? ''))
      .digest('hex')
      .slice(0, 12)
  );
}

/** An NHI member of a binding as Warden names it, or a person / public principal. */
type Member =
  | { nhi: IdentityInput }
  | { person: string; kind: 'user' | 'group' | 'domain' }
  | { public: string }
  | { deleted: string }
  | { unknown: string };

function parseMember(m: string): Member {
  if (m.startsWith('serviceAccount:')) {
    const email = m.slice('serviceAccount:'.length);
    const wi = GKE_WI.exec(email);
    if (wi) {
      const [, pool, ns, ksa] = wi as unknown as [string, string, string, string];
      return {
        nhi: {
          provider: 'kubernetes',
          nativeId: `system:serviceaccount:${ns}:${ksa}`,
          kind: 'service-account',
          attributes: { gkeWorkloadIdentityPool: `${pool}.svc.id.goog` },
        },
      };
    }
    const id: IdentityInput = { provider: 'gcp', nativeId: email, kind: 'service-account' };
    const p = projectOfEmail(email);
    if (p) id.account = p;
    return { nhi: id };
  }
  if (m.startsWith('principalSet://') || m.startsWith('principal://')) {
    // Workload identity federation: external workloads (GitHub Actions, AWS, OIDC) by attribute.
    const pool = /workloadIdentityPools\/([^/]+)/.exec(m)?.[1];
    const project = /^principal(?:Set)?:\/\/iam\.googleapis\.com\/projects\/([^/]+)\//.exec(m)?.[1];
    const attributes: Json = { federated: true };
    if (pool) attributes.pool = pool;
    const sel = /\/(attribute\.[^/]+|subject|group)\/(.+)$/.exec(m);
    if (sel) attributes.selector = { [sel[1]!]: sel[2] };
    const id: IdentityInput = { provider: 'gcp', nativeId: m, kind: 'workload-identity', attributes };
    if (project) id.account = project;
    return { nhi: id };
  }
  if (m.startsWith('deleted:')) return { deleted: m };
  if (m === 'allUsers' || m === 'allAuthenticatedUsers') return { public: m };
  const i = m.indexOf(':');
  const kind = i > 0 ? m.slice(0, i) : '';
  if (kind === 'user' || kind === 'group' || kind === 'domain') return { person: m.slice(i + 1), kind };
  return { unknown: m };
}

async function* readPolicy(file: SourceFile): AsyncGenerator<ImportItem> {
  const data = await file.json();
  if (!isRecord(data) || !('bindings' in data || 'etag' in data)) {
    throw new WardenError(
      'WARDEN_INPUT_INVALID',
      `${file.display}: expected an IAM policy object {bindings, etag, version}`,
      {
        details: { file: file.display, pointer: '' },
      },
    );
  }
  const bindings = data.bindings === undefined ? [] : data.bindings;
  if (!Array.isArray(bindings)) {
    throw new WardenError('WARDEN_INPUT_INVALID', `${file.display}: /bindings must be an array`, {
      details: { file: file.display, pointer: '/bindings' },
    });
  }
  const target = targetOf(file, bindings);
  if (target.how !== 'file name') {
    const reason =
      target.how === 'members'
        ? `the policy does not name its project; assumed ${target.project} from its service-account members (name the file <project>.iam-policy.json to be explicit)`
        : 'the policy does not name its project and none could be inferred; stored under projects/unknown (name the file <project>.iam-policy.json)';
    yield { type: 'note', value: { pointer: '', reason } };
  }
  const people: Record<string, string[]> = {};
  const publicRoles: string[] = [];
  const seenNhi = new Set<string>();
  for (const [bi, b] of bindings.entries()) {
    const bp = `/bindings/${bi}`;
    if (!isRecord(b) || !str(b.role) || !Array.isArray(b.members)) {
      yield { type: 'skip', value: { pointer: bp, reason: 'a binding needs a role and a members array' } };
      continue;
    }
    const role = b.role as string;
    const condition = isRecord(b.condition) ? b.condition : undefined;
    const meaning = roleMeaning(role);
    for (const [mi, raw] of b.members.entries()) {
      const pointer = `${bp}/members/${mi}`;
      if (typeof raw !== 'string' || raw === '') {
        yield { type: 'skip', value: { pointer, reason: 'a member must be a non-empty string' } };
        continue;
      }
      const member = parseMember(raw);
      if ('person' in member) {
        (people[role] ??= []).push(raw);
        if (member.kind === 'user')
          yield { type: 'owner', value: { ref: member.person, email: member.person } };
        if (target.serviceAccount && meaning.impersonation) {
          yield {
            type: 'edge',
            value: impersonationEdge({ type: 'owner', ref: member.person }, target, role, condition),
          };
        }
        continue;
      }
      if ('public' in member) {
        publicRoles.push(role);
        yield { type: 'note', value: { pointer, reason: `${role} is granted to ${member.public} (public)` } };
        continue;
      }
      if ('deleted' in member) {
        yield {
          type: 'note',
          value: {
            pointer,
            reason: `${raw} is a deleted principal still bound to ${role}; it grants nothing until removed`,
          },
        };
        continue;
      }
      if ('unknown' in member) {
        yield { type: 'skip', value: { pointer, reason: `unrecognised member type '${raw.split(':')[0]}'` } };
        continue;
      }
      const idn = member.nhi;
      const ref = { provider: idn.provider, nativeId: idn.nativeId };
      if (meaning.impersonation) idn.attributes = { ...idn.attributes, canImpersonate: true };
      if (!seenNhi.has(`${ref.provider}\0${ref.nativeId}`) || meaning.impersonation) {
        seenNhi.add(`${ref.provider}\0${ref.nativeId}`);
        yield { type: 'identity', value: idn };
      }
      const grant: GrantInput = {
        identity: ref,
        key: `${target.resource}#${role}${conditionKey(condition)}`,
        effect: 'allow',
        actions: [role, ...(meaning.impersonation ?? [])],
        resources: [target.resource],
        level: meaning.level,
        via: `${target.resource} IAM binding ${role}`,
      };
      if (meaning.sensitivity) grant.sensitivity = meaning.sensitivity;
      if (condition) grant.conditions = { conditional: true, ...condition };
      yield { type: 'grant', value: grant };
      if (meaning.impersonation) {
        yield {
          type: 'edge',
          value: impersonationEdge({ type: 'identity', ...ref }, target, role, condition),
        };
      }
    }
  }
  const attributes: Json = {
    people,
    iamPolicyEtag: data.etag,
    iamPolicyVersion: data.version,
    projectFrom: target.how,
  };
  if (publicRoles.length > 0) attributes.publicRoles = publicRoles;
  const resource = {
    provider: 'gcp',
    nativeId: target.resource,
    type: target.serviceAccount ? 'gcp-service-account' : 'gcp-project',
    attributes,
  };
  yield { type: 'resource', value: target.project ? { ...resource, account: target.project } : resource };
}

/**
 * Who can become a service account. On an SA's own policy the edge points at that SA identity; on a
 * project policy it points at the project resource and means "every SA of this project" (the graph
 * expands it to the identities whose account is the project).
 */
function impersonationEdge(from: NodeRef, target: Target, role: string, condition: Json | undefined) {
  const to: NodeRef = target.serviceAccount
    ? { type: 'identity', provider: 'gcp', nativeId: target.serviceAccount }
    : { type: 'resource', provider: 'gcp', nativeId: target.resource };
  const attributes: Json = {
    role,
    scope: target.serviceAccount ? 'service-account' : 'project',
    permissions: roleMeaning(role).impersonation,
  };
  if (condition) attributes.condition = condition;
  return {
    kind: 'can-assume' as const,
    from,
    to,
    key: `${role}${conditionKey(condition)}`,
    technique: 'gcp-impersonation',
    confidence: condition ? 0.7 : 1,
    attributes,
  };
}

export const gcpIamPolicyConnector: Connector = {
  id: 'gcp-iam-policy',
  title: 'gcloud projects get-iam-policy (JSON)',
  detect(file) {
    if (file.firstChar() !== '{') return 0;
    const head = file.head();
    if (!/"bindings"\s*:/.test(head)) return 0;
    if (/"roles\/|"members"\s*:/.test(head) && /"(etag|version)"\s*:/.test(head)) return 0.9;
    if (/"role"\s*:\s*"(roles|projects|organizations)\//.test(head)) return 0.85;
    return /"members"\s*:/.test(head) ? 0.6 : 0;
  },
  read: (file) => readPolicy(file),
  sourceKey: (file) => `gcp-iam-policy:${path.normalize(file.display)}`,
};
