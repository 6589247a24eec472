import type { IdentityInput, ImportItem } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import type { Connector } from '../core/types.js';
import {
  attrs,
  bool,
  clean,
  isObj,
  note,
  ptr,
  skip,
  str,
  strList,
  wrongShape,
} from '../github/json-fields.js';
import { googleScopeBroad, googleScopeLevel, maxOf } from './scope-levels.js';

/**
 * Google Workspace Admin SDK Directory API `tokens.list`
 * (https://developers.google.com/admin-sdk/directory/reference/rest/v1/tokens/list):
 * `{kind: "admin#directory#tokenList", etag, items: [{kind: "admin#directory#token", clientId,
 * displayText, anonymous, nativeApp, userKey, scopes: [...]}]}` — one list per user (`items` is
 * absent when the user granted nothing). Accepted: one list, an array of lists, a bare array of
 * tokens, or an object mapping user email -> list.
 *
 * The user of a token: its `userKey` (Google's user id), or — better, because people lists use
 * emails — the email in the file name (`tokens-alice@acme.com.json`) or the map key. One identity
 * per app (`oauth-grant`, provider `google-workspace`, nativeId = clientId, thirdParty) with the
 * users and scope union seen in this file; each user's grant is an edge `delegates-to` from the
 * owner to the app and each scope a grant, so per-user files add up across imports.
 */
const TOKEN_KIND = 'admin#directory#token';

interface AppAcc {
  displayText?: string;
  scopes: Set<string>;
  users: Map<string, Set<string>>;
  nativeApp?: boolean;
  anonymous?: boolean;
  at: string;
}

/** The user's email in a file name such as `tokens-alice@acme.example.json` (the prefix is not part of it). */
export function emailIn(name: string): string | undefined {
  const base = name.replace(/\.json(\.gz)?$/i, '').replace(/^(oauth[-_.]?)?tokens?(list)?[-_.]/i, '');
  return /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/.exec(base)?.[0]?.toLowerCase();
}

export const googleTokensConnector: Connector = {
  id: 'google-workspace-tokens',
  title: 'Google Workspace Admin SDK tokens.list',
  detect(file) {
    const head = file.head();
    return /^\s*[[{]/.test(head) && head.includes('"admin#directory#token') ? 0.95 : 0;
  },
  async *read(file: SourceFile): AsyncGenerator<ImportItem> {
    const json = await file.json();
    const fileUser = emailIn(file.name);
    const apps = new Map<string, AppAcc>();
    const out: ImportItem[] = [];
    const visitList = (list: unknown, at: string, user: string | undefined): void => {
      if (!isObj(list)) return void out.push(skip(at, 'token list is not an object'));
      if (list.items === undefined || list.items === null) return; // a user without grants
      if (!Array.isArray(list.items)) return void out.push(skip(`${at}/items`, '"items" is not an array'));
      list.items.forEach((t, i) => visitToken(t, `${at}${ptr('items', i)}`, user));
    };
    const visitToken = (t: unknown, at: string, user: string | undefined): void => {
      if (!isObj(t)) return void out.push(skip(at, 'token is not an object'));
      const clientId = str(t.clientId);
      if (!clientId) return void out.push(skip(at, 'token has no "clientId"'));
      const who = user ?? str(t.userKey)?.toLowerCase();
      let app = apps.get(clientId);
      if (!app) apps.set(clientId, (app = { scopes: new Set(), users: new Map(), at }));
      const text = str(t.displayText);
      if (text) app.displayText = text;
      const nativeApp = bool(t.nativeApp);
      if (nativeApp !== undefined) app.nativeApp = nativeApp;
      const anonymous = bool(t.anonymous);
      if (anonymous !== undefined) app.anonymous = anonymous;
      const scopes = strList(t.scopes);
      for (const s of scopes) app.scopes.add(s);
      if (who) {
        let us = app.users.get(who);
        if (!us) app.users.set(who, (us = new Set()));
        for (const s of scopes) us.add(s);
      } else
        out.push(
          note(at, 'token without userKey and no email in the file name: the granting user is unknown'),
        );
    };

    if (isObj(json) && (json.kind === 'admin#directory#tokenList' || 'items' in json))
      visitList(json, '', fileUser);
    else if (Array.isArray(json)) {
      json.forEach((x, i) => {
        if (isObj(x) && (x.kind === TOKEN_KIND || 'clientId' in x)) visitToken(x, ptr(i), fileUser);
        else
          visitList(
            x,
            ptr(i),
            fileUser ?? (isObj(x) ? (str(x.userKey) ?? str(x.primaryEmail)) : undefined)?.toLowerCase(),
          );
      });
    } else if (isObj(json)) {
      // { "alice@acme.com": { kind: "admin#directory#tokenList", items: [...] }, ... }
      for (const [k, v] of Object.entries(json)) visitList(v, ptr(k), emailIn(k) ?? k.toLowerCase());
    } else wrongShape(file, 'a tokens.list response', json);

    yield* out;
    for (const [clientId, app] of apps) yield* appItems(clientId, app);
  },
};

function* appItems(clientId: string, app: AppAcc): Generator<ImportItem> {
  const scopes = [...app.scopes].sort();
  const ref = { provider: 'google-workspace', nativeId: clientId };
  yield {
    type: 'identity',
    value: clean<IdentityInput>({
      ...ref,
      kind: 'oauth-grant',
      name: app.displayText ?? clientId,
      thirdParty: true,
      status: 'active',
      attributes: attrs({
        clientId,
        scopes,
        broadScopes: scopes.filter(googleScopeBroad),
        level: maxOf(scopes.map(googleScopeLevel)),
        users: [...app.users.keys()].sort(),
        userCount: app.users.size,
        nativeApp: app.nativeApp,
        anonymous: app.anonymous,
      }),
    }),
  };
  for (const s of scopes) {
    yield {
      type: 'grant',
      value: {
        identity: ref,
        key: `scope:${s}`,
        effect: 'allow',
        actions: [s],
        resources: ['google-workspace:granting-users-data'],
        level: googleScopeLevel(s),
        via: 'oauth-consent',
      },
    };
  }
  for (const [user, us] of app.users) {
    yield {
      type: 'edge',
      value: {
        kind: 'delegates-to',
        from: { type: 'owner', ref: user },
        to: { type: 'identity', ...ref },
        attributes: attrs({ scopes: [...us].sort(), broad: [...us].some(googleScopeBroad) || undefined }),
      },
    };
  }
}
