import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../config/index.js';
import type { ImportItem } from '../../store/index.js';
import { openTestStore } from '../../store/test-utils/dialects.js';
import type { Connector, ConnectorContext } from '../core/types.js';
import { SourceFile } from '../core/source-file.js';
import { importPaths } from '../import-service.js';
import { connectors } from './index.js';
import { roleMeaning } from './gcp-roles.js';

const dir = mkdtempSync(path.join(tmpdir(), 'warden-gcp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ctx: ConnectorContext = {
  config: ConfigSchema.parse({}),
  salt: 's',
  now: '2026-11-26T00:00:00.000Z',
  configOwners: new Map(),
};

function write(name: string, content: unknown): string {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
}

function pick(file: string): Connector | undefined {
  const f = new SourceFile(file, dir);
  let best: Connector | undefined;
  let score = 0;
  for (const c of connectors) {
    const s = c.detect(f);
    if (s > score) [best, score] = [c, s];
  }
  return best;
}

async function readAll(file: string): Promise<ImportItem[]> {
  const c = pick(file);
  if (!c) throw new Error(`no connector for ${file}`);
  const out: ImportItem[] = [];
  for await (const i of c.read(new SourceFile(file, dir), ctx)) out.push(i);
  return out;
}
type ValueOf<T extends ImportItem['type']> =
  Extract<ImportItem, { type: T }> extends { value: infer V } ? V : never;
function of<T extends ImportItem['type']>(items: ImportItem[], t: T): ValueOf<T>[] {
  return items.filter((i) => i.type === t).map((i) => i.value) as unknown as ValueOf<T>[];
}

// Shapes from https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts
const SA_LIST = [
  {
    description: 'Support agent runtime',
    displayName: 'support-bot',
    email: 'support-bot@acme-prod.iam.gserviceaccount.com',
    etag: 'MDEwMjE5MjA=',
    name: 'projects/acme-prod/serviceAccounts/support-bot@acme-prod.iam.gserviceaccount.com',
    oauth2ClientId: '104857600000000000001',
    projectId: 'acme-prod',
    uniqueId: '104857600000000000001',
  },
  {
    disabled: true,
    displayName: 'Compute Engine default service account',
    email: '123456789012-compute@developer.gserviceaccount.com',
    etag: 'MDEwMjE5MjA=',
    name: 'projects/acme-prod/serviceAccounts/123456789012-compute@developer.gserviceaccount.com',
    oauth2ClientId: '104857600000000000002',
    projectId: 'acme-prod',
    uniqueId: '104857600000000000002',
  },
  { displayName: 'broken' },
];

const KEY_BASE = 'projects/acme-prod/serviceAccounts/support-bot@acme-prod.iam.gserviceaccount.com/keys/';
const KEYS = [
  {
    keyAlgorithm: 'KEY_ALG_RSA_2048',
    keyOrigin: 'GOOGLE_PROVIDED',
    keyType: 'USER_MANAGED',
    name: `${KEY_BASE}${'a1'.repeat(20)}`,
    validAfterTime: '2024-02-01T10:00:00Z',
    validBeforeTime: '9999-12-31T23:59:59Z',
  },
  {
    keyAlgorithm: 'KEY_ALG_RSA_2048',
    keyOrigin: 'GOOGLE_PROVIDED',
    keyType: 'SYSTEM_MANAGED',
    name: `${KEY_BASE}${'b2'.repeat(20)}`,
    validAfterTime: '2026-11-01T00:00:00Z',
    validBeforeTime: '2026-11-17T00:00:00Z',
  },
  { name: 'not-a-key-name', keyType: 'USER_MANAGED' },
];

const POLICY = {
  bindings: [
    {
      members: ['serviceAccount:support-bot@acme-prod.iam.gserviceaccount.com', 'user:alice@acme.example'],
      role: 'roles/editor',
    },
    {
      condition: { expression: 'request.time < timestamp("2027-01-01T00:00:00Z")', title: 'until-2027' },
      members: ['serviceAccount:etl@acme-prod.iam.gserviceaccount.com'],
      role: 'roles/storage.admin',
    },
    {
      members: ['serviceAccount:ci@acme-prod.iam.gserviceaccount.com', 'group:platform@acme.example'],
      role: 'roles/iam.serviceAccountTokenCreator',
    },
    {
      members: [
        'principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/github/attribute.repository/acme/agents',
      ],
      role: 'roles/viewer',
    },
    {
      members: ['serviceAccount:acme-prod.svc.id.goog[agents/support-bot]'],
      role: 'roles/iam.workloadIdentityUser',
    },
    {
      members: ['deleted:serviceAccount:old@acme-prod.iam.gserviceaccount.com?uid=123'],
      role: 'roles/viewer',
    },
    { role: 'roles/viewer' },
  ],
  etag: 'BwXhqDlXdQE=',
  version: 3,
};

describe('gcp connectors', () => {
  it('reads gcloud iam service-accounts list', async () => {
    const items = await readAll(write('sa.json', SA_LIST));
    const ids = of(items, 'identity');
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatchObject({
      provider: 'gcp',
      nativeId: 'support-bot@acme-prod.iam.gserviceaccount.com',
      kind: 'service-account',
      account: 'acme-prod',
      status: 'active',
      name: 'support-bot',
      attributes: { type: 'user-managed', uniqueId: '104857600000000000001' },
    });
    expect(ids[1]).toMatchObject({ status: 'disabled', attributes: { type: 'default' } });
    expect(of(items, 'skip')).toEqual([{ pointer: '/2/email', reason: 'service account without an email' }]);
  });

  it('detects a trimmed service-account list without resource names', async () => {
    const items = await readAll(
      write('sa-min.json', [{ email: 'x@acme-prod.iam.gserviceaccount.com', displayName: 'x' }]),
    );
    expect(of(items, 'identity')[0]).toMatchObject({
      nativeId: 'x@acme-prod.iam.gserviceaccount.com',
      account: 'acme-prod',
    });
  });

  it('reads keys: never-expiring user-managed and system-managed keys', async () => {
    const items = await readAll(write('keys.json', KEYS));
    const keys = of(items, 'identity').filter((i) => i.kind === 'access-key');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatchObject({
      nativeId: KEYS[0]!.name,
      account: 'acme-prod',
      createdAt: '2024-02-01T10:00:00.000Z',
      status: 'active',
      attributes: {
        parent: 'support-bot@acme-prod.iam.gserviceaccount.com',
        noExpiry: true,
        systemManaged: false,
      },
    });
    expect(keys[0]!.expiresAt).toBeUndefined();
    expect(keys[1]).toMatchObject({
      expiresAt: '2026-11-17T00:00:00.000Z',
      status: 'expired',
      attributes: { systemManaged: true },
    });
    expect(of(items, 'edge')[0]).toMatchObject({
      kind: 'member-of',
      to: { nativeId: 'support-bot@acme-prod.iam.gserviceaccount.com' },
    });
    expect(of(items, 'skip')[0]!.pointer).toBe('/2/name');
  });

  it('reads a project IAM policy with conditions, federation, GKE workload identity and people', async () => {
    const items = await readAll(write('acme-prod.iam-policy.json', POLICY));
    const grants = of(items, 'grant');
    const editor = grants.find(
      (g) => g.identity.nativeId === 'support-bot@acme-prod.iam.gserviceaccount.com',
    );
    expect(editor).toMatchObject({
      level: 'write',
      resources: ['projects/acme-prod'],
      actions: expect.arrayContaining(['roles/editor']),
    });
    const cond = grants.find((g) => g.identity.nativeId.startsWith('etl@'));
    expect(cond).toMatchObject({ level: 'admin', conditions: { conditional: true, title: 'until-2027' } });
    const wif = of(items, 'identity').find((i) => i.kind === 'workload-identity');
    expect(wif).toMatchObject({
      account: '123456789012',
      attributes: { pool: 'github', selector: { 'attribute.repository': 'acme/agents' } },
    });
    expect(grants.find((g) => g.identity.provider === 'kubernetes')?.identity.nativeId).toBe(
      'system:serviceaccount:agents:support-bot',
    );
    const tokenCreator = of(items, 'edge').find(
      (e) => e.from.type === 'identity' && e.from.nativeId.startsWith('ci@'),
    );
    expect(tokenCreator).toMatchObject({
      kind: 'can-assume',
      to: { type: 'resource', nativeId: 'projects/acme-prod' },
    });
    expect(of(items, 'owner')).toEqual([{ ref: 'alice@acme.example', email: 'alice@acme.example' }]);
    const project = of(items, 'resource')[0]!;
    expect(project).toMatchObject({
      nativeId: 'projects/acme-prod',
      type: 'gcp-project',
      account: 'acme-prod',
    });
    expect(project.attributes?.people).toEqual({
      'roles/editor': ['user:alice@acme.example'],
      'roles/iam.serviceAccountTokenCreator': ['group:platform@acme.example'],
    });
    expect(of(items, 'skip').map((s) => s.pointer)).toEqual(['/bindings/6']);
    expect(of(items, 'note').some((n) => n.pointer === '/bindings/5/members/0')).toBe(true);
  });

  it('takes the project from common file names', async () => {
    for (const [name, project] of [
      ['get-iam-policy-my-project-12345.json', 'my-project-12345'],
      ['my-project-12345.iam-policy.json', 'my-project-12345'],
      ['acme-prod-get-iam-policy.json', 'acme-prod'],
      ['project-iam-policy.json', 'acme-prod'],
    ] as const) {
      const items = await readAll(write(name, POLICY));
      expect(of(items, 'resource')[0]!.nativeId).toBe(`projects/${project}`);
    }
  });

  it('infers the project from members when the file name does not say, with a note', async () => {
    const items = await readAll(write('policy.json', POLICY));
    expect(of(items, 'resource')[0]!.nativeId).toBe('projects/acme-prod');
    expect(of(items, 'note')[0]!.reason).toMatch(/assumed acme-prod/);
  });

  it('an SA policy file points impersonation at the SA', async () => {
    const items = await readAll(
      write('support-bot@acme-prod.iam.gserviceaccount.com.policy.json', {
        bindings: [{ role: 'roles/iam.serviceAccountUser', members: ['user:bob@acme.example'] }],
        etag: 'x',
      }),
    );
    expect(of(items, 'edge')[0]).toMatchObject({
      from: { type: 'owner', ref: 'bob@acme.example' },
      to: { type: 'identity', nativeId: 'support-bot@acme-prod.iam.gserviceaccount.com' },
    });
  });

  it('rejects truncated JSON with the line', async () => {
    const p = write('trunc-keys.json', JSON.stringify(KEYS, null, 2).slice(0, 200));
    await expect(readAll(p)).rejects.toThrow(/trunc-keys\.json:\d+/);
  });

  it('rejects a policy whose bindings are not an array, and a list that is not an array', async () => {
    await expect(
      readAll(write('x.iam-policy.json', { bindings: { role: 'roles/owner' }, etag: 'e' })),
    ).rejects.toThrow(/x\.iam-policy\.json: \/bindings must be an array/);
    const c = connectors.find((k) => k.id === 'gcp-service-accounts')!;
    const f = new SourceFile(write('obj.json', { email: 'a@b.iam.gserviceaccount.com' }), dir);
    const run = async () => {
      for await (const _ of c.read(f, ctx)) void _;
    };
    await expect(run()).rejects.toThrow(/obj\.json: expected the JSON array/);
  });

  it('maps roles to levels', () => {
    expect(roleMeaning('roles/owner').level).toBe('admin');
    expect(roleMeaning('roles/editor').level).toBe('write');
    expect(roleMeaning('roles/compute.admin').level).toBe('admin');
    expect(roleMeaning('roles/storage.objectViewer').level).toBe('read');
    expect(roleMeaning('roles/iam.serviceAccountUser').impersonation).toContain('iam.serviceAccounts.actAs');
    expect(roleMeaning('roles/secretmanager.secretAccessor')).toEqual({ level: 'read', sensitivity: 'high' });
  });

  it('imports through importPaths into a store, idempotently', async () => {
    const sub = mkdtempSync(path.join(dir, 'imp-'));
    writeFileSync(path.join(sub, 'sa.json'), JSON.stringify(SA_LIST));
    writeFileSync(path.join(sub, 'keys.json'), JSON.stringify(KEYS));
    writeFileSync(path.join(sub, 'acme-prod.iam-policy.json'), JSON.stringify(POLICY));
    const { store, close } = await openTestStore('sqlite');
    try {
      const config = ConfigSchema.parse({});
      const first = await importPaths({
        store,
        config,
        connectors,
        paths: [sub],
        now: '2026-11-26T00:00:00.000Z',
      });
      expect(first.files.map((f) => [f.file, f.status, f.format])).toEqual(
        expect.arrayContaining([
          ['sa.json', 'imported', 'gcp-service-accounts'],
          ['keys.json', 'imported', 'gcp-service-account-keys'],
          ['acme-prod.iam-policy.json', 'imported', 'gcp-iam-policy'],
        ]),
      );
      const before = await store.counts();
      const sa = await store.findIdentity('gcp', 'support-bot@acme-prod.iam.gserviceaccount.com');
      expect(sa).toMatchObject({
        kind: 'service-account',
        account: 'acme-prod',
        status: 'active',
        name: 'support-bot',
      });
      expect((await store.listGrants({ identityId: sa!.id })).map((g) => g.level)).toEqual(['write']);
      const second = await importPaths({
        store,
        config,
        connectors,
        paths: [sub],
        now: '2026-11-27T00:00:00.000Z',
      });
      expect(second.files.every((f) => f.gone === 0)).toBe(true);
      expect(await store.counts()).toEqual(before);
    } finally {
      await close();
    }
  });
});
