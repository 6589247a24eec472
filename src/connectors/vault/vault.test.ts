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
import { hintFromPath } from './vault-paths.js';
import { seconds, vaultRoleConnector } from './vault-role-connector.js';

/** `vault read -format=json` envelopes around each auth method's documented role parameters. */
function read(data: Record<string, unknown>, mountType?: string) {
  return {
    request_id: '6f0c2d3e-0000-4000-8000-000000000001',
    lease_id: '',
    lease_duration: 0,
    renewable: false,
    data,
    warnings: null,
    ...(mountType ? { mount_type: mountType } : {}),
  };
}

const APPROLE = {
  bind_secret_id: true,
  local_secret_ids: false,
  secret_id_bound_cidrs: null,
  secret_id_num_uses: 0,
  secret_id_ttl: 0,
  token_bound_cidrs: [],
  token_explicit_max_ttl: 0,
  token_max_ttl: 0,
  token_no_default_policy: false,
  token_num_uses: 0,
  token_period: 0,
  token_policies: ['db-admin'],
  token_ttl: 3600,
  token_type: 'default',
};

const K8S = {
  alias_name_source: 'serviceaccount_uid',
  bound_service_account_names: ['github-mcp', 'ops-*'],
  bound_service_account_namespaces: ['mcp', 'agents'],
  token_policies: ['secrets-read'],
  token_ttl: 1200,
  token_max_ttl: 86400,
  audience: 'vault',
};

const JWT = {
  role_type: 'jwt',
  bound_audiences: [],
  user_claim: 'sub',
  bound_claims: null,
  bound_subject: '',
  token_policies: ['deploy'],
  token_ttl: '1h',
  token_max_ttl: '0s',
};

describe('vault role connector: golden', () => {
  const dir = tempDir();

  it('reads an AppRole: ttl, default max ttl, secret ids that never expire', async () => {
    const f = write(dir, 'vault/auth/approle/role/vault-rotator.json', read(APPROLE, 'approle'));
    expect(vaultRoleConnector.detect(sourceFile(f))).toBe(0.95);
    const [role] = ofType(await readAll(vaultRoleConnector, f), 'identity');
    expect(role).toMatchObject({
      provider: 'vault',
      nativeId: 'auth/approle/role/vault-rotator',
      kind: 'vault-role',
      name: 'vault-rotator',
    });
    expect(role!.attributes).toMatchObject({
      authMethod: 'approle',
      policies: ['db-admin'],
      ttl: 3600,
      maxTtl: 0,
      maxTtlDefault: expect.stringMatching(/system default/),
      secretIdTtl: 0,
      secretIdNeverExpires: true,
      noExpiry: true,
      bindSecretId: true,
    });
    expect(role!.attributes?.ttlDefault).toBeUndefined();
  });

  it('reads a Kubernetes role and links concrete service accounts, noting wildcards', async () => {
    const f = write(dir, 'kubernetes-role-github-mcp.json', read(K8S));
    const items = await readAll(vaultRoleConnector, f);
    const [role] = ofType(items, 'identity');
    expect(role).toMatchObject({
      nativeId: 'auth/kubernetes/role/github-mcp',
      attributes: { authMethod: 'kubernetes', ttl: 1200, maxTtl: 86400 },
    });
    const edges = ofType(items, 'edge');
    expect(edges.map((e) => (e.from.type === 'identity' ? e.from.nativeId : ''))).toEqual([
      'system:serviceaccount:mcp:github-mcp',
      'system:serviceaccount:agents:github-mcp',
    ]);
    expect(edges[0]).toMatchObject({
      kind: 'can-assume',
      to: { type: 'identity', provider: 'vault', nativeId: 'auth/kubernetes/role/github-mcp' },
    });
    expect(ofType(items, 'note').some((n) => /wildcard \(ops-\*\)/.test(n.reason))).toBe(true);
  });

  it('reads a JWT role given durations as strings and flags it unrestricted', async () => {
    const f = write(dir, 'auth-jwt-role-deploy.json', read(JWT));
    const [role] = ofType(await readAll(vaultRoleConnector, f), 'identity');
    expect(role).toMatchObject({
      nativeId: 'auth/jwt/role/deploy',
      attributes: { authMethod: 'jwt', ttl: 3600, maxTtl: 0, unrestricted: true, userClaim: 'sub' },
    });
  });

  it('reads lists: the CLI array with a path hint, and the API {data: {keys}} wrapper', async () => {
    const cli = write(dir, 'vault/approle-roles.json', ['vault-rotator', 'ci-runner']);
    expect(vaultRoleConnector.detect(sourceFile(cli))).toBe(0.7);
    expect(ofType(await readAll(vaultRoleConnector, cli), 'identity').map((i) => i.nativeId)).toEqual([
      'auth/approle/role/vault-rotator',
      'auth/approle/role/ci-runner',
    ]);
    const api = write(dir, 'vault/auth/k8s-prod/role.json', { request_id: 'x', data: { keys: ['a', 7] } });
    const items = await readAll(vaultRoleConnector, api);
    expect(ofType(items, 'identity')[0]).toMatchObject({
      nativeId: 'auth/k8s-prod/role/a',
      attributes: { authMethod: 'kubernetes' },
    });
    expect(ofType(items, 'skip')).toEqual([
      { pointer: '/data/keys/1', reason: 'role name is not a non-empty string' },
    ]);
  });

  it('reads a saved {keys: [...]} object with a path hint', async () => {
    const f = write(tempDir(), 'vault/auth/jwt/roles.json', { keys: ['github-actions'] });
    expect(vaultRoleConnector.detect(sourceFile(f))).toBe(0.7);
    expect(ofType(await readAll(vaultRoleConnector, f), 'identity')[0]).toMatchObject({
      nativeId: 'auth/jwt/role/github-actions',
      attributes: { authMethod: 'jwt' },
    });
  });

  it('does not claim a bare array of strings without a Vault path', () => {
    expect(vaultRoleConnector.detect(sourceFile(write(tempDir(), 'names.json', ['a', 'b'])))).toBe(0);
  });

  it('parses Go durations and path hints', () => {
    expect(seconds('1h30m')).toBe(5400);
    expect(seconds('768h')).toBe(2764800);
    expect(seconds('soon')).toBeUndefined();
    const d = tempDir();
    expect(hintFromPath(sourceFile(write(d, 'vault-read-auth-approle-role-ci.json', '{}')))).toEqual({
      mount: 'approle',
      name: 'ci',
    });
    expect(hintFromPath(sourceFile(write(d, 'role-ci.json', '{}')))).toEqual({ name: 'ci' });
    expect(hintFromPath(sourceFile(write(d, 'ci.json', '{}')))).toEqual({ name: 'ci', guessed: true });
  });
});

describe('vault role connector: bad input', () => {
  it('rejects truncated JSON and a read without data', async () => {
    const text = JSON.stringify(read(APPROLE));
    await expect(
      readAll(vaultRoleConnector, write(tempDir(), 'approle-role-x.json', text.slice(0, 100))),
    ).rejects.toThrow(/approle-role-x\.json:1:\d+: invalid JSON/);
    await expect(
      readAll(vaultRoleConnector, write(tempDir(), 'approle-role-x.json', { request_id: 'x', data: null })),
    ).rejects.toThrow(/expected a vault read output with a "data" object/);
  });

  it('never reads a generated SecretID as a role', async () => {
    const secretId = `${seeded(4).chars(8)}-0000-4000-8000-${seeded(5).chars(12)}`;
    const f = write(
      tempDir(),
      'approle-role-x.json',
      read({ secret_id: secretId, secret_id_accessor: 'acc', secret_id_ttl: 0, secret_id_num_uses: 0 }),
    );
    const items = await readAll(vaultRoleConnector, f);
    expect(ofType(items, 'identity')).toHaveLength(0);
    expect(ofType(items, 'skip')[0]!.pointer).toBe('/data/secret_id');
    expect(JSON.stringify(items)).not.toContain(secretId);
  });

  it('notes a name guessed from the file and a role id that logs in alone', async () => {
    const items = await readAll(
      vaultRoleConnector,
      write(tempDir(), 'ci.json', read({ ...APPROLE, bind_secret_id: false })),
    );
    const reasons = ofType(items, 'note').map((n) => n.reason);
    expect(reasons.some((r) => /role name taken from the file name/.test(r))).toBe(true);
    expect(reasons.some((r) => /bind_secret_id is false/.test(r))).toBe(true);
    expect(ofType(items, 'identity')[0]!.nativeId).toBe('auth/approle/role/ci');
  });
});

describe('vault through importPaths (sqlite)', () => {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close } = await openTestStore('sqlite'));
  });
  afterEach(async () => close());

  it('imports roles and the service-account edges, idempotently', async () => {
    const dir = tempDir();
    write(dir, 'vault/auth/approle/role/vault-rotator.json', read(APPROLE));
    write(dir, 'vault/auth/kubernetes/role/github-mcp.json', read(K8S));
    const run = () =>
      importPaths({
        store,
        config: ConfigSchema.parse({}),
        connectors: CONNECTORS,
        paths: [dir],
        now: '2026-11-26T00:00:00.000Z',
      });
    const res = await run();
    expect(res.files.map((f) => [f.format, f.status])).toEqual([
      ['vault-auth-roles', 'imported'],
      ['vault-auth-roles', 'imported'],
    ]);
    expect(
      (await store.findIdentity('vault', 'auth/approle/role/vault-rotator'))?.attributes
        ?.secretIdNeverExpires,
    ).toBe(true);
    const edges = await store.listEdges({
      kind: 'can-assume',
      fromId: recordId.identity('kubernetes', 'system:serviceaccount:mcp:github-mcp'),
    });
    expect(edges).toHaveLength(1);
    const counts = await store.counts();
    await run();
    expect(await store.counts()).toEqual(counts);
  });
});
