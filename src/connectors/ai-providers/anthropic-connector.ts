import { fingerprintSecret, type IdentityStatus } from '../../model/index.js';
import type { IdentityInput, ImportItem } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import type { Connector, ConnectorContext } from '../core/types.js';
import { attrs, clean, isObj, listOf, note, str, time, wrongShape, type Obj } from '../github/json-fields.js';
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
 * Anthropic Admin API listings (https://docs.anthropic.com/en/api/admin-api/apikeys/list-api-keys):
 * `GET /v1/organizations/api_keys` → `{data: [{type: "api_key", id, name, workspace_id,
 * created_at, created_by {id, type}, partial_key_hint, status}], has_more, first_id, last_id}`;
 * `/v1/organizations/workspaces` (`type: "workspace"`) and `/v1/organizations/users`
 * (`type: "user"`, email). Keys' `created_by` user ids are resolved to emails when a users list is
 * imported in the same run; otherwise the id is kept as ownerRef.
 */
type Kind = 'api-keys' | 'workspaces' | 'users';

function kindOf(head: string): Kind | undefined {
  if (!/^\s*[[{]/.test(head)) return undefined;
  if (
    /"partial_key_hint"/.test(head) ||
    (/"type"\s*:\s*"api_key"/.test(head) && /"id"\s*:\s*"apikey_/.test(head))
  )
    return 'api-keys';
  if (/"type"\s*:\s*"workspace"/.test(head) && /"id"\s*:\s*"wrkspc_/.test(head)) return 'workspaces';
  if (
    /"type"\s*:\s*"user"/.test(head) &&
    /"email"/.test(head) &&
    /"added_at"/.test(head) &&
    !/"object"\s*:/.test(head)
  )
    return 'users';
  return undefined;
}

const STATUS: Record<string, IdentityStatus> = {
  active: 'active',
  inactive: 'inactive',
  archived: 'revoked',
  expired: 'expired',
};

export const anthropicConnector: Connector = {
  id: 'anthropic-admin',
  title: 'Anthropic Admin API (API keys, workspaces, users)',
  order: 9,
  detect(file) {
    return kindOf(file.head()) ? 0.95 : 0;
  },
  async prepare(file, owners) {
    if (kindOf(file.head()) === 'users') await collectUsers(file, 'anthropic', owners);
  },
  async *read(file: SourceFile, ctx: ConnectorContext): AsyncGenerator<ImportItem> {
    const kind = kindOf(file.head());
    const json = await file.json();
    if (!kind) wrongShape(file, 'an Anthropic Admin API list', json);
    const { list, base } = listOf(json, ['data'], file, 'an Anthropic list page');
    if (kind === 'users') {
      yield* ownersFromUsers(list, base, 'anthropic');
      return;
    }
    for (const r of recordsWithId(list, base)) {
      if ('skip' in r) {
        yield r.skip;
        continue;
      }
      const { item, id, at } = r;
      if (kind === 'workspaces') {
        yield {
          type: 'resource',
          value: clean({
            provider: 'anthropic',
            nativeId: id,
            type: 'workspace',
            name: str(item.name),
            attributes: attrs({ createdAt: time(item.created_at), archivedAt: time(item.archived_at) }),
          }),
        };
      } else yield* readKey(item, id, at, ctx);
    }
  },
};

function* readKey(item: Obj, id: string, at: string, ctx: ConnectorContext): Generator<ImportItem> {
  const status = str(item.status)?.toLowerCase();
  if (status && !STATUS[status]) {
    yield note(
      `${at}/status`,
      `unknown key status "${status}" (expected active, inactive, archived or expired); key kept as unknown`,
    );
  }
  const by = isObj(item.created_by) ? item.created_by : {};
  const byId = str(by.id);
  const byType = str(by.type);
  const ownerRef = byId ? (ctx.configOwners.get(userKey('anthropic', byId)) ?? byId) : undefined;
  const hintRaw = str(item.partial_key_hint);
  const leaked = unredacted(hintRaw);
  if (leaked) yield leakNote(`${at}/partial_key_hint`, 'partial_key_hint');
  // A key without workspace_id lives in the organisation's Default Workspace.
  const workspace = str(item.workspace_id) ?? 'default';
  yield {
    type: 'identity',
    value: clean<IdentityInput>({
      provider: 'anthropic',
      nativeId: id,
      kind: 'api-key',
      name: str(item.name),
      account: workspace,
      ownerRef: byType === undefined || byType === 'user' ? ownerRef : undefined,
      createdAt: time(item.created_at),
      expiresAt: time(item.expires_at),
      status: status ? (STATUS[status] ?? 'unknown') : 'active',
      fingerprint: leaked && hintRaw ? fingerprintSecret(hintRaw, ctx.salt) : undefined,
      attributes: attrs({
        hint: parseHint(hintRaw),
        workspace,
        createdBy: byId,
        createdByType: byType,
        noExpiry: item.expires_at === null || item.expires_at === undefined ? true : undefined,
      }),
    }),
  };
}
