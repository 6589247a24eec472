import { describe, expect, it } from 'vitest';
import type { IdentityInput } from '../../store/index.js';
import { githubRestConnector } from './github-rest-connector.js';
import { fromPath, fromUrl } from './github-context.js';
import { secretLooksLike } from './github-permissions.js';
import { sshFingerprint } from './github-rest-readers.js';
import { context, ofType, readAll, sourceFile, tempDir, write } from './test-utils/connector-harness.js';
import { githubExports } from './test-utils/github-fixtures.js';

const byId = (ids: IdentityInput[], nativeId: string): IdentityInput => {
  const found = ids.find((i) => i.nativeId === nativeId);
  if (!found) throw new Error(`no identity ${nativeId} among ${ids.map((i) => i.nativeId).join(', ')}`);
  return found;
};

describe('github REST connector: golden', () => {
  const dir = tempDir();
  const ex = githubExports();
  const files = {
    installations: write(dir, 'orgs/acme-corp/installations.json', ex.installations),
    pats: write(dir, 'orgs/acme-corp/personal-access-tokens.json', ex.pats),
    creds: write(dir, 'orgs/acme-corp/credential-authorizations.json', ex.credentialAuthorizations),
    keys: write(dir, 'repos/acme-corp/agent-runner/keys.json', ex.deployKeys),
    orgSecrets: write(dir, 'orgs/acme-corp/actions/secrets.json', ex.orgSecrets),
    repoSecrets: write(dir, 'repos/acme-corp/agent-runner/actions/secrets.json', ex.repoSecrets),
    variables: write(dir, 'repos/acme-corp/agent-runner/actions/variables.json', ex.variables),
    orgHooks: write(dir, 'orgs/acme-corp/hooks.json', ex.orgHooks),
    repoHooks: write(dir, 'repos/acme-corp/agent-runner/hooks.json', ex.repoHooks),
  };

  it('detects every list and nothing else', () => {
    for (const f of Object.values(files))
      expect(githubRestConnector.detect(sourceFile(f, dir)), f).toBeGreaterThan(0.8);
    expect(githubRestConnector.detect(sourceFile(write(dir, 'other.json', { Functions: [] })))).toBe(0);
    expect(githubRestConnector.detect(sourceFile(write(dir, 'keys.json', [])))).toBe(0);
    expect(githubRestConnector.detect(sourceFile(write(dir, 'repos/o/r/keys.json', []), dir))).toBe(0.5);
  });

  it('reads app installations with permissions, level and suspension', async () => {
    const items = await readAll(githubRestConnector, files.installations, { root: dir });
    const ids = ofType(items, 'identity');
    const app = byId(ids, 'github:acme-corp/app-installation/25381');
    expect(app).toMatchObject({
      kind: 'oauth-app',
      name: 'acme-pr-reviewer',
      account: 'acme-corp',
      status: 'active',
    });
    expect(app.attributes).toMatchObject({
      level: 'write',
      repositorySelection: 'all',
      ciPivot: ['workflows'],
      permissions: { contents: 'write' },
    });
    const old = byId(ids, 'github:acme-corp/app-installation/25382');
    expect(old.status).toBe('disabled');
    expect(old.attributes?.level).toBe('admin');
    const grants = ofType(items, 'grant').filter((g) => g.identity.nativeId.endsWith('/25381'));
    expect(grants.map((g) => g.key).sort()).toEqual([
      'permission:contents',
      'permission:metadata',
      'permission:pull_requests',
      'permission:workflows',
    ]);
  });

  it('reads fine-grained PATs: owner, no expiry, expired, and skips a record without id', async () => {
    const items = await readAll(githubRestConnector, files.pats, { root: dir });
    const ids = ofType(items, 'identity');
    const pat = byId(ids, 'github:acme-corp/pat/25381');
    expect(pat).toMatchObject({
      kind: 'personal-access-token',
      ownerRef: 'jsmith-acme',
      name: 'claude-code',
      lastUsedAt: '2026-11-20T08:00:00.000Z',
    });
    expect(pat.expiresAt).toBeUndefined();
    expect(pat.attributes).toMatchObject({ noExpiry: true, level: 'write', fineGrained: true });
    const expired = byId(ids, 'github:acme-corp/pat/25382');
    expect(expired).toMatchObject({ status: 'expired', expiresAt: '2025-05-01T00:00:00.000Z' });
    expect(expired.attributes?.noExpiry).toBeUndefined();
    expect(ofType(items, 'skip')).toEqual([{ pointer: '/2', reason: 'record has no "id"' }]);
  });

  it('reads SAML credential authorizations as classic PATs and SSH keys with their hint', async () => {
    const items = await readAll(githubRestConnector, files.creds, { root: dir });
    const ids = ofType(items, 'identity');
    const pat = byId(ids, 'github:acme-corp/pat/161195');
    expect(pat).toMatchObject({
      kind: 'personal-access-token',
      ownerRef: 'jsmith-acme',
      createdAt: '2024-04-01T12:00:00.000Z',
    });
    expect(pat.attributes).toMatchObject({
      level: 'admin',
      classic: true,
      noExpiry: true,
      scopes: ['repo', 'admin:org', 'workflow'],
    });
    expect((pat.attributes?.hint as { suffix: string }).suffix).toBe(
      githubExports().credentialAuthorizations[0]!.token_last_eight,
    );
    expect(byId(ids, 'github:acme-corp/credential/161196').kind).toBe('ssh-key');
  });

  it('reads deploy keys: write when read_only is false, repository from the url', async () => {
    const ids = ofType(await readAll(githubRestConnector, files.keys, { root: dir }), 'identity');
    const w = byId(ids, 'github:acme-corp/agent-runner/deploy-key/1');
    expect(w.attributes).toMatchObject({
      readOnly: false,
      level: 'write',
      repository: 'acme-corp/agent-runner',
    });
    expect(w.attributes?.keyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(JSON.stringify(w)).not.toContain(githubExports().deployKeys[0]!.key.split(' ')[1]);
    expect(byId(ids, 'github:acme-corp/agent-runner/deploy-key/2').attributes?.level).toBe('read');
  });

  it('reads org and repo secrets by name only, flags cloud and LLM keys', async () => {
    const org = await readAll(githubRestConnector, files.orgSecrets, { root: dir });
    const ids = ofType(org, 'identity');
    expect(byId(ids, 'github:acme-corp/secret/AWS_ACCESS_KEY_ID').attributes).toMatchObject({
      scope: 'organization',
      looksLike: 'aws-access-key',
      cloud: 'aws',
    });
    expect(byId(ids, 'github:acme-corp/secret/OPENAI_API_KEY').attributes).toMatchObject({
      looksLike: 'openai-api-key',
      llm: true,
      visibility: 'selected',
    });
    expect(ofType(org, 'skip')).toEqual([{ pointer: '/secrets/2', reason: 'record has no "name"' }]);
    const repo = ofType(await readAll(githubRestConnector, files.repoSecrets, { root: dir }), 'identity');
    expect(repo[0]).toMatchObject({
      nativeId: 'github:acme-corp/agent-runner/secret/DEPLOY_TOKEN',
      kind: 'ci-secret',
      lastRotatedAt: '2024-01-01T00:00:00.000Z',
    });
  });

  it('keeps only credential-looking variables, fingerprinted, never in clear', async () => {
    const items = await readAll(githubRestConnector, files.variables, { root: dir });
    const ids = ofType(items, 'identity');
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatchObject({
      nativeId: 'github:acme-corp/agent-runner/variable/ANTHROPIC_API_KEY',
      attributes: { plaintext: true, variable: true },
    });
    expect(ids[0]!.fingerprint).toMatch(/^fp1:/);
    expect(JSON.stringify(items)).not.toContain(githubExports().variables.variables[1]!.value);
  });

  it('reads webhooks: host, insecure TLS, whether a secret is set — never the secret', async () => {
    const org = ofType(await readAll(githubRestConnector, files.orgHooks, { root: dir }), 'identity');
    expect(org[0]).toMatchObject({
      nativeId: 'github:acme-corp/hook/1',
      kind: 'webhook',
      attributes: { host: 'ci.acme.example', scheme: 'http', insecureSsl: true, secretSet: true },
    });
    expect(JSON.stringify(org)).not.toContain('********');
    const repo = ofType(await readAll(githubRestConnector, files.repoHooks, { root: dir }), 'identity');
    expect(repo[0]).toMatchObject({
      nativeId: 'github:acme-corp/agent-runner/hook/12345678',
      attributes: { secretSet: false, insecureSsl: false, scope: 'repository' },
    });
  });

  it('fingerprints a webhook URL that is itself a credential', async () => {
    const hook = {
      ...githubExports().orgHooks[0]!,
      config: {
        url: `https://hooks.slack.com/services/T${'0'.repeat(8)}/B${'1'.repeat(8)}/${'x'.repeat(24)}`,
        insecure_ssl: '0',
      },
    };
    const ids = ofType(
      await readAll(githubRestConnector, write(tempDir(), 'orgs/acme-corp/hooks.json', [hook])),
      'identity',
    );
    expect(ids[0]!.fingerprint).toMatch(/^fp1:/);
    expect(ids[0]!.attributes?.credentialInUrl).toBe(true);
    expect(JSON.stringify(ids)).not.toContain('x'.repeat(24));
  });
});

describe('github REST connector: bad input', () => {
  it('reports truncated JSON with file and line', async () => {
    const dir = tempDir();
    const text = JSON.stringify(githubExports().pats, null, 2);
    const f = write(dir, 'orgs/acme-corp/personal-access-tokens.json', text.slice(0, text.length / 2));
    expect(githubRestConnector.detect(sourceFile(f, dir))).toBeGreaterThan(0);
    await expect(readAll(githubRestConnector, f, { root: dir })).rejects.toThrow(
      /personal-access-tokens\.json:\d+.*invalid JSON/,
    );
  });

  it('rejects a detected file of the wrong shape with a precise message', async () => {
    const f = write(tempDir(), 'repos/o/r/actions/secrets.json', { total_count: 1, secrets: 'nope' });
    await expect(readAll(githubRestConnector, f)).rejects.toThrow(/expected an Actions secrets list/);
  });

  it('skips non-object items and notes an unknown org, without crashing', async () => {
    const f = write(tempDir(), 'pats.json', [
      { id: 5, owner: { login: 'x' }, access_granted_at: '2025-01-01T00:00:00Z', token_expires_at: null },
      42,
    ]);
    const items = await readAll(githubRestConnector, f);
    expect(ofType(items, 'identity')[0]!.nativeId).toBe('github:unknown/pat/5');
    expect(ofType(items, 'skip')).toEqual([{ pointer: '/1', reason: 'token record is not an object' }]);
    expect(ofType(items, 'note').some((n) => /organisation unknown/.test(n.reason))).toBe(true);
  });

  it('is deterministic: the same export yields the same records', async () => {
    const f = write(tempDir(), 'orgs/a/installations.json', githubExports('a').installations);
    expect(await readAll(githubRestConnector, f)).toEqual(await readAll(githubRestConnector, f));
  });
});

describe('github helpers', () => {
  it('derives org and repo from API and web URLs, not from numeric org ids', () => {
    expect(fromUrl('https://api.github.com/repos/o/r/keys/1')).toEqual({ org: 'o', repo: 'r' });
    expect(fromUrl('https://ghe.example/api/v3/orgs/o/hooks/1')).toEqual({ org: 'o' });
    expect(
      fromUrl('https://api.github.com/organizations/652551/personal-access-token/1/repositories'),
    ).toEqual({});
    expect(fromUrl('https://github.com/o/r.git')).toEqual({ org: 'o', repo: 'r' });
  });

  it('derives context from API-shaped paths', () => {
    const dir = tempDir();
    expect(fromPath(sourceFile(write(dir, 'repos/o/r/environments/prod/secrets.json', '{}'), dir))).toEqual({
      org: 'o',
      repo: 'r',
      environment: 'prod',
    });
    expect(fromPath(sourceFile(write(dir, 'orgs/o/hooks.json', '[]'), dir))).toEqual({ org: 'o' });
    expect(fromPath(sourceFile(write(dir, 'x/o/r/.github/workflows/a.yml', ''), dir))).toEqual({
      org: 'o',
      repo: 'r',
    });
    expect(fromPath(sourceFile(write(dir, 'r2/.github/workflows/a.yml', ''), dir))).toEqual({ repo: 'r2' });
  });

  it('guesses what a secret holds from its name', () => {
    expect(secretLooksLike('AWS_SECRET_ACCESS_KEY').looksLike).toBe('aws-access-key');
    expect(secretLooksLike('GCP_SA_KEY').cloud).toBe('gcp');
    expect(secretLooksLike('STRIPE_API_KEY').looksLike).toBe('api-key');
    expect(secretLooksLike('NODE_VERSION').looksLike).toBeUndefined();
  });

  it('computes the OpenSSH SHA256 fingerprint of a public key', () => {
    const blob = Buffer.from('abc');
    expect(sshFingerprint(`ssh-ed25519 ${blob.toString('base64')} c`)).toBe(
      'SHA256:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0',
    );
    expect(sshFingerprint('garbage')).toBeUndefined();
  });

  it('context has a default now', () => {
    expect(context().now).toMatch(/Z$/);
  });
});
