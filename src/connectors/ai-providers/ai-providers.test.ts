import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../config/index.js';
import type { Store } from '../../store/index.js';
import { openTestStore } from '../../store/test-utils/dialects.js';
import { importPaths } from '../import-service.js';
import { CONNECTORS } from '../registry.js';
import {
  context,
  ofType,
  readAll,
  seeded,
  sourceFile,
  tempDir,
  write,
} from '../github/test-utils/connector-harness.js';
import { anthropicConnector } from './anthropic-connector.js';
import { openaiConnector } from './openai-connector.js';
import { parseHint } from './provider-fns.js';
import { exportsOf } from './test-utils/ai-fixtures.js';

describe('OpenAI admin connector', () => {
  const ex = exportsOf();
  const dir = tempDir();
  const keys = write(dir, 'openai/projects/proj_abc/api_keys.json', ex.openaiKeys);

  it('detects each listing by its object type', () => {
    expect(openaiConnector.detect(sourceFile(keys))).toBe(0.95);
    expect(openaiConnector.detect(sourceFile(write(dir, 'sa.json', ex.openaiServiceAccounts)))).toBe(0.95);
    expect(openaiConnector.detect(sourceFile(write(dir, 'x.json', { data: [{ id: 1 }] })))).toBe(0);
    expect(anthropicConnector.detect(sourceFile(keys))).toBe(0);
  });

  it('reads project keys: project from the path, hint only, owner email, service-account parent', async () => {
    const items = await readAll(openaiConnector, keys);
    const ids = ofType(items, 'identity');
    const a = ids.find((i) => i.nativeId === ex.keyA)!;
    expect(a).toMatchObject({
      provider: 'openai',
      kind: 'api-key',
      account: 'proj_abc',
      ownerRef: 'maria.garcia@acme.test',
      createdAt: '2024-03-26T16:45:33.000Z',
      lastUsedAt: '2025-11-26T00:00:00.000Z',
    });
    expect(a.attributes?.hint).toEqual({ prefix: 'sk-proj-', suffix: ex.suffixA });
    const b = ids.find((i) => i.nativeId === ex.keyB)!;
    expect(b.ownerRef).toBeUndefined();
    expect(b.lastUsedAt).toBeUndefined();
    expect(b.attributes).toMatchObject({ parent: ex.sa, ownerType: 'service_account' });
    expect(ofType(items, 'edge')[0]).toMatchObject({ kind: 'member-of', to: { nativeId: ex.sa } });
    expect(ofType(items, 'skip')).toEqual([{ pointer: '/data/2', reason: 'record has no "id"' }]);
  });

  it('reads service accounts, projects and admin keys (level admin, owner resolved from a users list)', async () => {
    const sas = ofType(
      await readAll(
        openaiConnector,
        write(dir, 'openai/projects/proj_abc/service_accounts.json', ex.openaiServiceAccounts),
      ),
      'identity',
    );
    expect(sas[0]).toMatchObject({
      kind: 'service-account',
      nativeId: ex.sa,
      account: 'proj_abc',
      attributes: { role: 'owner', level: 'admin' },
    });
    const projects = ofType(
      await readAll(openaiConnector, write(dir, 'openai/projects.json', ex.openaiProjects)),
      'resource',
    );
    expect(projects[0]).toMatchObject({
      provider: 'openai',
      nativeId: 'proj_abc',
      type: 'project',
      name: 'customer-facing',
    });
    const users = write(dir, 'openai/users.json', ex.openaiUsers);
    const owners = new Map<string, string>();
    await openaiConnector.prepare!(sourceFile(users), owners);
    const admin = ofType(
      await readAll(openaiConnector, write(dir, 'openai/admin_api_keys.json', ex.openaiAdminKeys), {
        ctx: context({ configOwners: owners }),
      }),
      'identity',
    );
    expect(admin[0]).toMatchObject({
      nativeId: 'key_admin1',
      ownerRef: 'ops.admin@acme.test',
      attributes: { admin: true, level: 'admin' },
    });
    const people = ofType(await readAll(openaiConnector, users), 'owner');
    expect(people).toEqual([
      {
        ref: 'ops.admin@acme.test',
        email: 'ops.admin@acme.test',
        name: 'Ops Admin',
        attributes: { openaiUserId: 'user_123', openaiRole: 'owner' },
      },
    ]);
  });

  it('notes an unknown project instead of guessing', async () => {
    const items = await readAll(openaiConnector, write(tempDir(), 'keys.json', ex.openaiKeys));
    expect(ofType(items, 'identity')[0]!.account).toBeUndefined();
    expect(ofType(items, 'note')[0]!.reason).toMatch(/project id unknown/);
  });

  it('never stores an unredacted key: fingerprint and a note instead', async () => {
    const full = 'sk-proj-' + seeded(9).chars(60);
    const page = { ...ex.openaiKeys, data: [{ ...ex.openaiKeys.data[0]!, redacted_value: full }] };
    const items = await readAll(openaiConnector, write(tempDir(), 'projects/proj_x/api_keys.json', page));
    expect(JSON.stringify(items)).not.toContain(full.slice(8));
    expect(ofType(items, 'identity')[0]!.fingerprint).toMatch(/^fp1:/);
    expect(ofType(items, 'note').some((n) => /unredacted/.test(n.reason))).toBe(true);
  });

  it('rejects truncated JSON and a page without data', async () => {
    const text = JSON.stringify(ex.openaiKeys);
    await expect(
      readAll(openaiConnector, write(tempDir(), 'projects/proj_x/api_keys.json', text.slice(0, 300))),
    ).rejects.toThrow(/api_keys\.json:1.*invalid JSON/);
    await expect(
      readAll(
        openaiConnector,
        write(tempDir(), 'k.json', { object: 'organization.project.api_key', id: 'key_x' }),
      ),
    ).rejects.toThrow(/expected an OpenAI list page/);
  });
});

describe('Anthropic admin connector', () => {
  const ex = exportsOf();
  const dir = tempDir();
  const keys = write(dir, 'anthropic/api_keys.json', ex.anthropicKeys);

  it('reads keys with workspace, status, hint and creator', async () => {
    const items = await readAll(anthropicConnector, keys);
    const ids = ofType(items, 'identity');
    expect(ids[0]).toMatchObject({
      provider: 'anthropic',
      kind: 'api-key',
      account: ex.anthropicKeys.data[0]!.workspace_id,
      status: 'active',
      ownerRef: 'user_01abc',
      createdAt: '2026-07-01T10:00:00.000Z',
    });
    expect((ids[0]!.attributes?.hint as { prefix: string }).prefix).toMatch(/^sk-ant-api03-/);
    expect(ids[1]).toMatchObject({
      account: 'default',
      status: 'revoked',
      attributes: { hint: { prefix: 'sk-ant-api03-abc', suffix: 'wxyz' } },
    });
    expect(ofType(items, 'skip')).toEqual([{ pointer: '/data/2', reason: 'record has no "id"' }]);
  });

  it('resolves creators to emails with a users list, and reads workspaces', async () => {
    const users = write(dir, 'anthropic/users.json', ex.anthropicUsers);
    expect(anthropicConnector.detect(sourceFile(users))).toBe(0.95);
    expect(openaiConnector.detect(sourceFile(users))).toBe(0);
    const owners = new Map<string, string>();
    await anthropicConnector.prepare!(sourceFile(users), owners);
    const ids = ofType(
      await readAll(anthropicConnector, keys, { ctx: context({ configOwners: owners }) }),
      'identity',
    );
    expect(ids[0]!.ownerRef).toBe('li.chen@acme.test');
    const ws = ofType(
      await readAll(anthropicConnector, write(dir, 'anthropic/workspaces.json', ex.anthropicWorkspaces)),
      'resource',
    );
    expect(ws[0]).toMatchObject({ nativeId: 'wrkspc_01', type: 'workspace', name: 'finance' });
  });

  it('keeps hints short', () => {
    expect(parseHint('sk-ant-api03-R2D...igAA')).toEqual({ prefix: 'sk-ant-api03-R2D', suffix: 'igAA' });
    expect(parseHint('sk-abc...defg')).toEqual({ prefix: 'sk-abc', suffix: 'defg' });
    expect(parseHint('no-mask-here')).toBeUndefined();
  });
});

describe('AI providers through importPaths (sqlite)', () => {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close } = await openTestStore('sqlite'));
  });
  afterEach(async () => close());

  it('imports keys with creators resolved in the same run, idempotently', async () => {
    const ex = exportsOf();
    const dir = tempDir();
    write(dir, 'anthropic/api_keys.json', ex.anthropicKeys);
    write(dir, 'anthropic/users.json', ex.anthropicUsers);
    write(dir, 'openai/projects/proj_abc/api_keys.json', ex.openaiKeys);
    const run = () =>
      importPaths({
        store,
        config: ConfigSchema.parse({}),
        connectors: CONNECTORS,
        paths: [dir],
        now: '2026-11-26T00:00:00.000Z',
      });
    const first = await run();
    expect(first.files.map((f) => [f.file, f.format, f.status])).toEqual([
      ['anthropic/api_keys.json', 'anthropic-admin', 'imported'],
      ['anthropic/users.json', 'anthropic-admin', 'imported'],
      ['openai/projects/proj_abc/api_keys.json', 'openai-admin', 'imported'],
    ]);
    const key = await store.findIdentity('anthropic', ex.anthropicKeys.data[0]!.id!);
    expect(key?.ownerRef).toBe('li.chen@acme.test');
    expect((await store.listOwners()).map((o) => o.ref)).toContain('li.chen@acme.test');
    const counts = await store.counts();
    await run();
    expect(await store.counts()).toEqual(counts);
  });
});
