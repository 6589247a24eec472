import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../config/index.js';
import { fingerprintSecret } from '../../model/index.js';
import type { IdentityInput, ImportItem, LinkInput } from '../../store/index.js';
import { SourceFile } from '../core/source-file.js';
import { classifyCredential } from './classify-credential.js';
import { mcpConnector } from './mcp-connector.js';

const salt = 'mcp-test-salt-0123456789';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// Token-shaped values built at run time so the repository never holds one.
const fake = {
  github: () => ['gh', 'p_', 'Zx9'.repeat(12)].join(''),
  openai: () => ['sk', '-proj-', 'Qw3rT'.repeat(16)].join(''),
  slack: () => ['xo', 'xb-', '1234567890-', '9876543210123-', 'AbCd'.repeat(6)].join(''),
  awsId: () => ['AK', 'IA', 'Q7RZ'.repeat(4)].join(''),
  awsSecret: () => Array.from({ length: 40 }, (_, i) => ALPHABET[(i * 7 + 3) % ALPHABET.length]).join(''),
};
const dbPassword = ['pa55', 'word', 'xyz'].join('-');

async function readConfig(rel: string, value: unknown, owners = new Map<string, string>()) {
  const root = mkdtempSync(path.join(tmpdir(), 'warden-mcp-'));
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  const ctx = { config: ConfigSchema.parse({}), salt, now: '2026-11-01T00:00:00.000Z', configOwners: owners };
  const sf = new SourceFile(file, root);
  const items: ImportItem[] = [];
  for await (const i of mcpConnector.read(sf, ctx)) items.push(i);
  return { items, detect: mcpConnector.detect(sf), root, file };
}

const identities = (items: ImportItem[]) =>
  items.filter((i) => i.type === 'identity').map((i) => i.value as IdentityInput);
const links = (items: ImportItem[]) =>
  items.filter((i) => i.type === 'link').map((i) => i.value as LinkInput);

describe('MCP client configs', () => {
  it('reads Claude Desktop / Cursor mcpServers with env credentials, never keeping the value', async () => {
    const gh = fake.github();
    const { items, detect } = await readConfig('support-bot/.cursor/mcp.json', {
      mcpServers: {
        github: {
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-github'],
          env: { GITHUB_PERSONAL_ACCESS_TOKEN: gh, GITHUB_OWNER: 'acme' },
        },
      },
    });
    expect(detect).toBeGreaterThan(0.5);
    const [id] = identities(items);
    expect(id).toMatchObject({
      provider: 'github',
      kind: 'personal-access-token',
      fingerprint: fingerprintSecret(gh, salt),
      nativeId: fingerprintSecret(gh, salt),
    });
    expect(JSON.stringify(items)).not.toContain(gh);
    expect(identities(items)).toHaveLength(1); // GITHUB_OWNER is not a credential
    expect(links(items)[0]).toMatchObject({ agent: 'support-bot', source: 'config', confidence: 0.7 });
    const res = items.find((i) => i.type === 'resource')?.value as {
      nativeId: string;
      attributes: Record<string, unknown>;
    };
    expect(res.nativeId).toBe('support-bot/github');
    expect(res.attributes).toMatchObject({
      transport: 'stdio',
      package: '@modelcontextprotocol/server-github',
    });
  });

  it('reads VS Code servers with inputs, and records references as notes without a fingerprint', async () => {
    const { items, detect } = await readConfig('repo/.vscode/mcp.json', {
      inputs: [{ type: 'promptString', id: 'api-key', description: 'Key', password: true }],
      servers: {
        remote: {
          type: 'http',
          url: 'https://mcp.example-saas.com/mcp',
          headers: { Authorization: 'Bearer ${input:api-key}' },
        },
        local: {
          type: 'stdio',
          command: 'node',
          args: ['s.js'],
          env: { OPENAI_API_KEY: '${env:OPENAI_API_KEY}' },
        },
      },
    });
    expect(detect).toBeGreaterThan(0.5);
    const ids = identities(items);
    expect(ids.map((i) => [i.provider, i.kind, i.fingerprint])).toEqual([
      ['example-saas', 'mcp-token', undefined],
      ['openai', 'api-key', undefined],
    ]);
    const notes = items.filter((i) => i.type === 'note').map((i) => (i.value as { reason: string }).reason);
    expect(notes[0]).toMatch(/VS Code input 'api-key' \(password prompt\)/);
    expect(notes[1]).toMatch(/environment variable OPENAI_API_KEY/);
  });

  it('finds credentials in headers, args and connection URLs, keeping the account but not the password', async () => {
    const { items } = await readConfig('ops/mcp.json', {
      mcpServers: {
        db: {
          command: 'npx',
          args: [
            '-y',
            '@modelcontextprotocol/server-postgres',
            `postgresql://reader:${dbPassword}@db.internal:5432/analytics`,
          ],
        },
        tool: { command: 'tool', args: ['--api-key', fake.openai(), '--verbose'] },
        slack: { url: 'https://slack-mcp.internal/sse', headers: { 'X-Api-Key': fake.slack() } },
      },
    });
    const ids = identities(items);
    expect(ids.find((i) => i.kind === 'database-account')).toMatchObject({
      provider: 'postgresql',
      nativeId: 'postgresql://reader@db.internal:5432/analytics',
    });
    expect(ids.find((i) => i.provider === 'openai')?.kind).toBe('api-key');
    expect(ids.find((i) => i.provider === 'slack')?.kind).toBe('bot-token');
    expect(JSON.stringify(items)).not.toContain(dbPassword);
  });

  it('joins an AWS key id and its secret into one access-key identity named by the key id', async () => {
    const id = fake.awsId();
    const { items } = await readConfig('dev/.mcp.json', {
      mcpServers: {
        aws: {
          command: 'uvx',
          args: ['aws-mcp'],
          env: { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: fake.awsSecret(), AWS_REGION: 'eu-west-1' },
        },
      },
    });
    const ids = identities(items);
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatchObject({ provider: 'aws', kind: 'access-key', nativeId: id });
    expect(ids[0]!.fingerprint).toBe(fingerprintSecret(fake.awsSecret(), salt));
  });

  it('uses the agent agents.yaml assigns to the config, with full confidence', async () => {
    const owners = new Map<string, string>();
    const root = mkdtempSync(path.join(tmpdir(), 'warden-mcp-'));
    const file = path.join(root, 'x', 'claude_desktop_config.json');
    owners.set(file, 'ops-orchestrator');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify({ mcpServers: { gh: { command: 'x', env: { GITHUB_TOKEN: fake.github() } } } }),
    );
    const items: ImportItem[] = [];
    const ctx = {
      config: ConfigSchema.parse({}),
      salt,
      now: '2026-11-01T00:00:00.000Z',
      configOwners: owners,
    };
    for await (const i of mcpConnector.read(new SourceFile(file, root), ctx)) items.push(i);
    expect(links(items)[0]).toMatchObject({ agent: 'ops-orchestrator', confidence: 1 });
  });

  it('skips malformed server entries with their pointer and fails on a config without servers', async () => {
    const { items } = await readConfig('a/mcp.json', { mcpServers: { 'bad/one': 'x', empty: {} } });
    expect(
      items.filter((i) => i.type === 'skip').map((i) => (i.value as { pointer: string }).pointer),
    ).toEqual(['/mcpServers/bad~1one', '/mcpServers/empty']);
    await expect(readConfig('b/mcp.json', { other: {} })).rejects.toThrow(/no `mcpServers` or `servers`/);
    await expect(readConfig('c/mcp.json', '{"mcpServers": {')).rejects.toThrow(
      /c\/mcp\.json:1:\d+: invalid JSON/,
    );
  });
});

describe('classifyCredential', () => {
  it('tells credentials from ordinary settings', () => {
    expect(classifyCredential('LOG_LEVEL', 'debug')).toBeUndefined();
    expect(classifyCredential('GITHUB_CLIENT_ID', 'Iv1.abcdef0123456789')).toBeUndefined();
    expect(classifyCredential('API_KEY', 'changeme')).toBeUndefined();
    expect(classifyCredential('DATABASE_URL', 'postgres://u@h/db')).toBeUndefined();
    const opaque = ['a8f3k2m9', 'x7q1w5e4', 'r6t8'].join('');
    expect(classifyCredential('MY_SERVICE_TOKEN', opaque)).toMatchObject({ kind: 'oauth-token' });
    expect(classifyCredential('BROWSERBASE_API_KEY', opaque)).toMatchObject({
      provider: 'browserbase',
      kind: 'api-key',
    });
  });
});

describe('other MCP client dialects', () => {
  it("reads Continue's YAML list of servers", async () => {
    const { items, detect } = await readConfig(
      'bot/.continue/config.yaml',
      `name: team
mcpServers:
  - name: github
    command: npx
    args: ["-y", "@modelcontextprotocol/server-github"]
    env:
      GITHUB_PERSONAL_ACCESS_TOKEN: ${fake.github()}
`,
    );
    expect(detect).toBeGreaterThan(0.5);
    expect(identities(items)[0]).toMatchObject({ provider: 'github', kind: 'personal-access-token' });
    expect(items.find((i) => i.type === 'resource')?.value).toMatchObject({ nativeId: 'bot/github' });
  });

  it("reads Zed's context_servers with a command object", async () => {
    const { items } = await readConfig('dev/zed/settings.json', {
      theme: 'One Dark',
      context_servers: {
        pg: {
          command: { path: 'npx', args: ['-y', 'mcp-pg'], env: { OPENAI_API_KEY: fake.openai() } },
          settings: {},
        },
      },
    });
    expect(identities(items)[0]).toMatchObject({ provider: 'openai', kind: 'api-key' });
  });
});
