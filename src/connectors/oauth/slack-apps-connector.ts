import { WardenError } from '../../errors/index.js';
import type { IdentityInput, ImportItem } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import type { Connector } from '../core/types.js';
import { attrs, bool, clean, isObj, ptr, skip, str, time, wrongShape } from '../github/json-fields.js';
import { maxOf, slackScopeLevel } from './scope-levels.js';

/**
 * Slack app management lists (Enterprise Grid):
 * `admin.apps.approved.list` (https://api.slack.com/methods/admin.apps.approved.list) →
 * `{ok, approved_apps: [{app {id, name, is_internal, is_app_directory_approved, …}, scopes
 * [{name, description, is_sensitive, token_type bot|user}], date_updated, last_resolved_by
 * {actor_id, actor_type}}], response_metadata {next_cursor}}`, and
 * `admin.apps.restricted.list` (https://api.slack.com/methods/admin.apps.restricted.list), same
 * items under `restricted_apps`. An `{ok: false, error}` response is reported as such.
 *
 * One identity per app: kind `oauth-app`, provider `slack`, nativeId = app id (`A…`), thirdParty =
 * `!is_internal`, status `disabled` for restricted apps; attributes `scopes`, `sensitiveScopes`,
 * `botScopes`, `userScopes`, `level`, `approval`.
 */
export const slackAppsConnector: Connector = {
  id: 'slack-apps',
  title: 'Slack admin.apps approved/restricted lists',
  detect(file) {
    const head = file.head();
    if (!/^\s*\{/.test(head)) return 0;
    if (/"(approved_apps|restricted_apps)"\s*:/.test(head)) return 0.95;
    return 0;
  },
  async *read(file: SourceFile): AsyncGenerator<ImportItem> {
    const json = await file.json();
    if (!isObj(json)) wrongShape(file, 'a Slack admin.apps list response', json);
    if (json.ok === false) {
      throw new WardenError(
        'WARDEN_INPUT_INVALID',
        `${file.display}: Slack returned an error response (${str(json.error) ?? 'no error code'}), not an app list`,
        {
          details: { file: file.display, pointer: '/ok' },
        },
      );
    }
    const restricted = Array.isArray(json.restricted_apps);
    const key = restricted ? 'restricted_apps' : 'approved_apps';
    const list = json[key];
    if (!Array.isArray(list)) wrongShape(file, 'approved_apps or restricted_apps as an array', json);
    for (let i = 0; i < list.length; i++) {
      const at = ptr(key, i);
      const entry = list[i];
      if (!isObj(entry)) {
        yield skip(at, 'entry is not an object');
        continue;
      }
      const app = isObj(entry.app) ? entry.app : undefined;
      const id = app ? str(app.id) : undefined;
      if (!app || !id) {
        yield skip(app ? `${at}/app` : at, app ? 'app has no "id"' : 'entry has no "app" object');
        continue;
      }
      const scopes: { name: string; sensitive: boolean; tokenType?: string }[] = [];
      const rawScopes = Array.isArray(entry.scopes) ? entry.scopes : [];
      rawScopes.forEach((s) => {
        const name = isObj(s) ? str(s.name) : str(s);
        if (!name) return;
        const tokenType = isObj(s) ? str(s.token_type) : undefined;
        scopes.push({
          name,
          sensitive: isObj(s) && bool(s.is_sensitive) === true,
          ...(tokenType ? { tokenType } : {}),
        });
      });
      const internal = bool(app.is_internal);
      const names = [...new Set(scopes.map((s) => s.name))].sort();
      const resolvedBy = isObj(entry.last_resolved_by) ? str(entry.last_resolved_by.actor_id) : undefined;
      const ref = { provider: 'slack', nativeId: id };
      yield {
        type: 'identity',
        value: clean<IdentityInput>({
          ...ref,
          kind: 'oauth-app',
          name: str(app.name) ?? id,
          thirdParty: internal === undefined ? undefined : !internal,
          status: restricted ? 'disabled' : 'active',
          attributes: attrs({
            approval: restricted ? 'restricted' : 'approved',
            scopes: names,
            sensitiveScopes: [...new Set(scopes.filter((s) => s.sensitive).map((s) => s.name))].sort(),
            botScopes: [...new Set(scopes.filter((s) => s.tokenType === 'bot').map((s) => s.name))].sort(),
            userScopes: [...new Set(scopes.filter((s) => s.tokenType === 'user').map((s) => s.name))].sort(),
            level: maxOf(names.map(slackScopeLevel)),
            appDirectoryApproved: bool(app.is_app_directory_approved),
            appHomepage: str(app.app_homepage_url),
            lastResolvedBy: resolvedBy,
            dateUpdated: time(entry.date_updated),
          }),
        }),
      };
      if (!restricted) {
        for (const s of names) {
          yield {
            type: 'grant',
            value: {
              identity: ref,
              key: `scope:${s}`,
              effect: 'allow',
              actions: [s],
              resources: ['slack:workspace'],
              level: slackScopeLevel(s),
              via: 'slack-app-approval',
            },
          };
        }
      }
    }
  },
};
