import { fingerprintSecret } from '../../model/index.js';
import type { IdentityInput, ImportItem } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import type { Connector, ConnectorContext } from '../core/types.js';
import {
  attrs,
  clean,
  isObj,
  listOf,
  note,
  segments,
  str,
  time,
  wrongShape,
  type Obj,
} from '../github/json-fields.js';
import {
  collectUsers,
  leakNote,
  ownersFromUsers,
  parseHint,
  recordsWithId,
  unredacted,
  userKey,
} from './provider-fns.js';

/**
 * OpenAI Admin API listings (https://platform.openai.com/docs/api-reference/administration):
 * `GET /v1/organization/projects`, `/projects/{id}/api_keys`, `/projects/{id}/service_accounts`,
 * `/v1/organization/admin_api_keys`, `/v1/organization/users`. Each is a page
 * `{object: "list", data: [...], first_id, last_id, has_more}`; a bare `data` array is accepted.
 *
 * Project API keys do not carry their project id: it is taken from the file path (a folder or
 * file name containing `proj_…`, as in the API path `projects/proj_abc/api_keys`), else unknown
 * (noted). Service-account-owned keys get `attributes.parent` = the service account id.
 */
type Kind = 'project-keys' | 'service-accounts' | 'admin-keys' | 'projects' | 'users' | 'project-users';

const OBJECT_KIND: [RegExp, Kind][] = [
  [/"object"\s*:\s*"organization\.project\.api_key"/, 'project-keys'],
  [/"object"\s*:\s*"organization\.project\.service_account"/, 'service-accounts'],
  [/"object"\s*:\s*"organization\.admin_api_key"/, 'admin-keys'],
  [/"object"\s*:\s*"organization\.project\.user"/, 'project-users'],
  [/"object"\s*:\s*"organization\.project"/, 'projects'],
  [/"object"\s*:\s*"organization\.user"/, 'users'],
];

function kindOf(head: string): Kind | undefined {
  for (const [re, k] of OBJECT_KIND) if (re.test(head)) return k;
  return undefined;
}

/** `proj_…` from the file path (API-shaped folders or a file name). */
export function projectFromPath(file: SourceFile): string | undefined {
  for (const s of segments(file).reverse()) {
    const m = /(proj_[A-Za-z0-9]+)/.exec(s);
    if (m) return m[1];
  }
  return undefined;
}

export const openaiConnector: Connector = {
  id: 'openai-admin',
  title: 'OpenAI Admin API (projects, API keys, service accounts, admin keys, users)',
  order: 9,
  detect(file) {
    const head = file.head();
    if (!/^\s*[[{]/.test(head)) return 0;
    return kindOf(head) ? 0.95 : 0;
  },
  async prepare(file, owners) {
    if (kindOf(file.head()) === 'users' || kindOf(file.head()) === 'project-users')
      await collectUsers(file, 'openai', owners);
  },
  async *read(file: SourceFile, ctx: ConnectorContext): AsyncGenerator<ImportItem> {
    const kind = kindOf(file.head());
    const json = await file.json();
    if (!kind) wrongShape(file, 'an OpenAI Admin API list (object organization.*)', json);
    const { list, base } = listOf(json, ['data'], file, 'an OpenAI list page');
    if (kind === 'users' || kind === 'project-users') {
      yield* ownersFromUsers(list, base, 'openai');
      return;
    }
    const project = projectFromPath(file);
    if ((kind === 'project-keys' || kind === 'service-accounts') && !project) {
      yield note(
        '',
        'project id unknown: keep the file under projects/proj_…/ (as the API path) to record it',
      );
    }
    for (const r of recordsWithId(list, base)) {
      if ('skip' in r) {
        yield r.skip;
        continue;
      }
      const { item, id, at } = r;
      if (kind === 'projects') yield* readProject(item, id);
      else if (kind === 'service-accounts') yield* readServiceAccount(item, id, project);
      else yield* readKey(item, id, at, kind === 'admin-keys', project, ctx);
    }
  },
};

function* readProject(item: Obj, id: string): Generator<ImportItem> {
  yield {
    type: 'resource',
    value: clean({
      provider: 'openai',
      nativeId: id,
      type: 'project',
      name: str(item.name),
      attributes: attrs({
        status: str(item.status),
        createdAt: time(item.created_at),
        archivedAt: time(item.archived_at),
      }),
    }),
  };
}

function* readServiceAccount(item: Obj, id: string, project: string | undefined): Generator<ImportItem> {
  yield {
    type: 'identity',
    value: clean<IdentityInput>({
      provider: 'openai',
      nativeId: id,
      kind: 'service-account',
      name: str(item.name),
      account: project,
      createdAt: time(item.created_at),
      status: 'active',
      attributes: attrs({
        role: str(item.role),
        project,
        level: str(item.role) === 'owner' ? 'admin' : undefined,
      }),
    }),
  };
}

function* readKey(
  item: Obj,
  id: string,
  at: string,
  admin: boolean,
  project: string | undefined,
  ctx: ConnectorContext,
): Generator<ImportItem> {
  const owner = isObj(item.owner) ? item.owner : {};
  const ownerType =
    str(owner.type) ??
    (isObj(owner.service_account) ? 'service_account' : isObj(owner.user) ? 'user' : undefined);
  // Project keys nest the owner (`owner.user` / `owner.service_account`); admin keys put the user inline.
  const user = isObj(owner.user) ? owner.user : admin ? owner : undefined;
  const sa = isObj(owner.service_account) ? owner.service_account : undefined;
  let ownerRef: string | undefined;
  if (user) {
    const uid = str(user.id);
    ownerRef =
      str(user.email)?.toLowerCase() ??
      (uid ? ctx.configOwners.get(userKey('openai', uid)) : undefined) ??
      uid;
  }
  const redacted = str(item.redacted_value);
  const leaked = unredacted(redacted);
  if (leaked) yield leakNote(`${at}/redacted_value`, 'redacted_value');
  yield {
    type: 'identity',
    value: clean<IdentityInput>({
      provider: 'openai',
      nativeId: id,
      kind: 'api-key',
      name: str(item.name),
      account: admin ? undefined : project,
      ownerRef,
      createdAt: time(item.created_at),
      lastUsedAt: time(item.last_used_at),
      expiresAt: time(item.expires_at),
      status: 'active',
      fingerprint: leaked && redacted ? fingerprintSecret(redacted, ctx.salt) : undefined,
      attributes: attrs({
        hint: parseHint(redacted),
        admin: admin || undefined,
        level: admin ? 'admin' : undefined,
        project,
        ownerType,
        ownerRole: str(user?.role) ?? str(sa?.role),
        ownerName: str(user?.name),
        serviceAccount: sa ? str(sa.id) : undefined,
        parent: sa ? str(sa.id) : undefined,
        noExpiry: item.expires_at === null || item.expires_at === undefined ? true : undefined,
      }),
    }),
  };
  if (sa && str(sa.id)) {
    yield {
      type: 'edge',
      value: {
        kind: 'member-of',
        from: { type: 'identity', provider: 'openai', nativeId: id },
        to: { type: 'identity', provider: 'openai', nativeId: str(sa.id)! },
        attributes: { relation: 'key of service account' },
      },
    };
  }
}
