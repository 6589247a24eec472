import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../config/index.js';
import { recordId } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { openTestStore } from '../../store/test-utils/dialects.js';
import { importPaths } from '../import-service.js';
import { CONNECTORS } from '../registry.js';
import {
  ofType,
  readAll,
  seeded,
  sourceFile,
  tempDir,
  write,
} from '../github/test-utils/connector-harness.js';
import { googleTokensConnector } from './google-tokens-connector.js';
import { googleScopeBroad, googleScopeLevel, slackScopeLevel } from './scope-levels.js';
import { slackAppsConnector } from './slack-apps-connector.js';

const G = 'https://www.googleapis.com/auth/';

/** tokens.list pages as documented (admin#directory#tokenList), client ids from a seed. */
function tokenList(
  userKey: string | undefined,
  tokens: { clientId: string; displayText: string; scopes: string[]; nativeApp?: boolean }[],
) {
  return {
    kind: 'admin#directory#tokenList',
    etag: '"etag"',
    items: tokens.map((t) => ({
      kind: 'admin#directory#token',
      etag: '"e"',
      clientId: t.clientId,
      displayText: t.displayText,
      anonymous: false,
      nativeApp: t.nativeApp ?? false,
      ...(userKey ? { userKey } : {}),
      scopes: t.scopes,
    })),
  };
}

function clientIds() {
  const r = seeded(5);
  const id = () =>
    `${r.chars(12, '0123456789')}-${r.chars(32, 'abcdefghijklmnopqrstuvwxyz0123456789')}.apps.googleusercontent.com`;
  return { mailApp: id(), glean: id() };
}

describe('Google Workspace tokens.list connector', () => {
  const c = clientIds();
  const mail = {
    clientId: c.mailApp,
    displayText: 'Sales Email Writer',
    scopes: ['https://mail.google.com/', `${G}contacts.readonly`],
  };
  const glean = {
    clientId: c.glean,
    displayText: 'Glean',
    scopes: [`${G}drive`, `${G}admin.directory.user.readonly`],
  };

  it('reads one user list: one third-party identity per app, broad scopes flagged, user from the file name', async () => {
    const f = write(
      tempDir(),
      'workspace/tokens-alice@acme.test.json',
      tokenList('104000000000000000001', [mail]),
    );
    expect(googleTokensConnector.detect(sourceFile(f))).toBe(0.95);
    const items = await readAll(googleTokensConnector, f);
    const [app] = ofType(items, 'identity');
    expect(app).toMatchObject({
      provider: 'google-workspace',
      nativeId: c.mailApp,
      kind: 'oauth-grant',
      thirdParty: true,
      name: 'Sales Email Writer',
    });
    expect(app!.attributes).toMatchObject({
      broadScopes: ['https://mail.google.com/'],
      level: 'write',
      users: ['alice@acme.test'],
    });
    expect(ofType(items, 'edge')[0]).toMatchObject({
      kind: 'delegates-to',
      from: { type: 'owner', ref: 'alice@acme.test' },
    });
    expect(
      ofType(items, 'grant')
        .map((g) => g.key)
        .sort(),
    ).toEqual(['scope:https://mail.google.com/', `scope:${G}contacts.readonly`]);
  });

  it('reads an array of per-user lists and unions users and scopes per app', async () => {
    const f = write(tempDir(), 'tokens.json', [
      tokenList('u1', [mail, glean]),
      tokenList('u2', [{ ...glean, scopes: [`${G}drive`, `${G}cloud-platform`] }]),
      { kind: 'admin#directory#tokenList', etag: 'x' },
    ]);
    const ids = ofType(await readAll(googleTokensConnector, f), 'identity');
    const g = ids.find((i) => i.nativeId === c.glean)!;
    expect(g.attributes).toMatchObject({ users: ['u1', 'u2'], userCount: 2, level: 'admin' });
    expect(g.attributes?.scopes).toEqual([
      `${G}admin.directory.user.readonly`,
      `${G}cloud-platform`,
      `${G}drive`,
    ]);
  });

  it('skips tokens without clientId and notes an unknown user', async () => {
    const f = write(tempDir(), 'tokens.json', {
      kind: 'admin#directory#tokenList',
      items: [
        { kind: 'admin#directory#token', displayText: 'x' },
        { kind: 'admin#directory#token', clientId: 'abc', scopes: [] },
      ],
    });
    const items = await readAll(googleTokensConnector, f);
    expect(ofType(items, 'skip')).toEqual([{ pointer: '/items/0', reason: 'token has no "clientId"' }]);
    expect(ofType(items, 'note')[0]).toMatchObject({ pointer: '/items/1' });
  });

  it('rejects truncated JSON with the file name', async () => {
    const text = JSON.stringify(tokenList('u', [mail]), null, 2);
    await expect(
      readAll(googleTokensConnector, write(tempDir(), 'tokens.json', text.slice(0, 120))),
    ).rejects.toThrow(/tokens\.json:\d+(:\d+)?: invalid JSON/);
  });

  it('grades scopes', () => {
    expect(googleScopeBroad('https://mail.google.com/')).toBe(true);
    expect(googleScopeBroad(`${G}drive.file`)).toBe(false);
    expect(googleScopeLevel(`${G}admin.directory.user`)).toBe('admin');
    expect(googleScopeLevel(`${G}calendar.readonly`)).toBe('read');
    expect(googleScopeLevel('openid')).toBe('list');
  });
});

/** admin.apps.approved.list / restricted.list responses as documented. */
function slackApproved(key: 'approved_apps' | 'restricted_apps' = 'approved_apps') {
  return {
    ok: true,
    [key]: [
      {
        app: {
          id: 'A0GLEAN01',
          name: 'Glean',
          description: 'search',
          help_url: '',
          privacy_policy_url: '',
          app_homepage_url: 'https://glean.example',
          app_directory_url: '',
          is_app_directory_approved: true,
          is_internal: false,
          additional_info: '',
        },
        scopes: [
          { name: 'channels:history', description: 'View messages', is_sensitive: true, token_type: 'user' },
          { name: 'files:read', description: 'View files', is_sensitive: true, token_type: 'bot' },
          { name: 'users:read.email', description: 'emails', is_sensitive: false, token_type: 'bot' },
        ],
        date_updated: 1_700_000_000,
        last_resolved_by: { actor_id: 'W0ADMIN', actor_type: 'user' },
      },
      {
        app: { id: 'A0INTERNAL', name: 'support-bot', is_internal: true },
        scopes: [
          { name: 'chat:write', is_sensitive: false, token_type: 'bot' },
          { name: 'admin.users:read', is_sensitive: true, token_type: 'user' },
        ],
        date_updated: 1_700_000_000,
      },
      { scopes: [] },
    ],
    response_metadata: { next_cursor: '' },
  };
}

describe('Slack apps connector', () => {
  it('reads approved apps: third party, sensitive scopes, token types, level', async () => {
    const f = write(tempDir(), 'slack/approved.json', slackApproved());
    expect(slackAppsConnector.detect(sourceFile(f))).toBe(0.95);
    const items = await readAll(slackAppsConnector, f);
    const ids = ofType(items, 'identity');
    expect(ids[0]).toMatchObject({
      provider: 'slack',
      nativeId: 'A0GLEAN01',
      kind: 'oauth-app',
      thirdParty: true,
      status: 'active',
    });
    expect(ids[0]!.attributes).toMatchObject({
      sensitiveScopes: ['channels:history', 'files:read'],
      userScopes: ['channels:history'],
      botScopes: ['files:read', 'users:read.email'],
      level: 'read',
      approval: 'approved',
    });
    expect(ids[1]).toMatchObject({ thirdParty: false, attributes: { level: 'admin' } });
    expect(ofType(items, 'skip')).toEqual([
      { pointer: '/approved_apps/2', reason: 'entry has no "app" object' },
    ]);
  });

  it('marks restricted apps disabled without grants', async () => {
    const items = await readAll(
      slackAppsConnector,
      write(tempDir(), 'restricted.json', slackApproved('restricted_apps')),
    );
    expect(ofType(items, 'identity')[0]).toMatchObject({
      status: 'disabled',
      attributes: { approval: 'restricted' },
    });
    expect(ofType(items, 'grant')).toHaveLength(0);
  });

  it('reports a Slack error response and a wrong shape', async () => {
    await expect(
      readAll(
        slackAppsConnector,
        write(tempDir(), 'a.json', { ok: false, error: 'not_an_admin', approved_apps: [] }),
      ),
    ).rejects.toThrow(/Slack returned an error response \(not_an_admin\)/);
    await expect(
      readAll(slackAppsConnector, write(tempDir(), 'a.json', { ok: true, approved_apps: {} })),
    ).rejects.toThrow(/expected approved_apps or restricted_apps as an array/);
  });

  it('grades Slack scopes', () => {
    expect(slackScopeLevel('admin.apps:write')).toBe('admin');
    expect(slackScopeLevel('chat:write')).toBe('write');
    expect(slackScopeLevel('channels:history')).toBe('read');
  });
});

describe('OAuth exports through importPaths (sqlite)', () => {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close } = await openTestStore('sqlite'));
  });
  afterEach(async () => close());

  it('per-user token files add up to one app with an edge per user; re-import is idempotent', async () => {
    const c = clientIds();
    const dir = tempDir();
    const mail = { clientId: c.mailApp, displayText: 'Mail', scopes: ['https://mail.google.com/'] };
    write(dir, 'workspace/tokens-alice@acme.test.json', tokenList('1', [mail]));
    write(dir, 'workspace/tokens-bob@acme.test.json', tokenList('2', [mail]));
    write(dir, 'slack/approved.json', slackApproved());
    const run = () =>
      importPaths({
        store,
        config: ConfigSchema.parse({}),
        connectors: CONNECTORS,
        paths: [dir],
        now: '2026-11-26T00:00:00.000Z',
      });
    const res = await run();
    expect(res.files.map((f) => f.format)).toEqual([
      'slack-apps',
      'google-workspace-tokens',
      'google-workspace-tokens',
    ]);
    const idn = await store.findIdentity('google-workspace', c.mailApp);
    expect(idn).toMatchObject({ kind: 'oauth-grant', thirdParty: true });
    const edges = (await store.listEdges({ kind: 'delegates-to' })).filter(
      (e) => e.toId === recordId.identity('google-workspace', c.mailApp),
    );
    expect(edges.map((e) => e.fromId).sort()).toEqual(
      [recordId.owner('alice@acme.test'), recordId.owner('bob@acme.test')].sort(),
    );
    const counts = await store.counts();
    await run();
    expect(await store.counts()).toEqual(counts);
  });
});
