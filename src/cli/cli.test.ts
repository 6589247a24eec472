import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabase } from '../store/test-utils/dialects.js';
import { memoryIo } from './io.js';
import { run } from './run.js';

function workdir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-cli-'));
  writeFileSync(
    path.join(dir, 'agents.yaml'),
    `agents:
  - name: support-bot
    kind: chatbot
    owner: alice@acme.test
    environment: production
    identities:
      - { provider: aws, id: "arn:aws:iam::123456789012:role/support", kind: cloud-role }
  - name: pipeline-x
    kind: pipeline
`,
  );
  mkdirSync(path.join(dir, 'support-bot'));
  writeFileSync(
    path.join(dir, 'support-bot', 'mcp.json'),
    JSON.stringify({
      mcpServers: {
        s: { command: 'x', env: { OPENAI_API_KEY: ['sk', '-proj-', 'Zq8'.repeat(20)].join('') } },
      },
    }),
  );
  return dir;
}

describe('warden CLI basics', () => {
  it('prints help and version', async () => {
    const io = memoryIo();
    expect(await run(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/Usage: warden/);
    expect(io.out()).toMatch(/inventory/);
    const v = memoryIo();
    expect(await run(['--version'], v)).toBe(0);
    expect(v.out().trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 with a one-line error for an unknown command or a bad flag value', async () => {
    const io = memoryIo({ cwd: workdir() });
    expect(await run(['frobnicate'], io)).toBe(2);
    const io2 = memoryIo({ cwd: workdir() });
    expect(await run(['inventory', '--format', 'xml'], io2)).toBe(2);
    expect(io2.err()).toMatch(/warden: error WARDEN_USAGE: --format must be one of table, json/);
  });

  it('init writes a commented warden.yaml once', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'warden-init-'));
    expect(await run(['init'], memoryIo({ cwd }))).toBe(0);
    expect(readFileSync(path.join(cwd, 'warden.yaml'), 'utf8')).toMatch(/^# warden\.yaml/);
    const again = memoryIo({ cwd });
    expect(await run(['init'], again)).toBe(2);
    expect(again.err()).toMatch(/WARDEN_CONFLICT/);
  });

  it('uses .warden/warden.db in the working directory by default', async () => {
    const cwd = workdir();
    expect(await run(['import', '.'], memoryIo({ cwd }))).toBe(0);
    expect(existsSync(path.join(cwd, '.warden', 'warden.db'))).toBe(true);
  });
});

for (const dialect of DIALECTS) {
  describe(`warden import + inventory (${dialect})`, () => {
    let drop: (() => Promise<void>) | undefined;
    afterEach(async () => drop?.());

    it('imports a folder and prints the inventory as a table and as stable JSON', async () => {
      const db = await freshDatabase(dialect);
      drop = db.drop;
      const cwd = workdir();
      const imp = memoryIo({ cwd });
      expect(await run(['--db', db.url, 'import', '.'], imp)).toBe(0);
      expect(imp.out()).toMatch(/agents\.yaml\s+agents-yaml\s+2 agents, 1 identity, 1 link, 1 owner/);
      expect(imp.out()).toMatch(/support-bot\/mcp\.json\s+mcp-config/);

      const table = memoryIo({ cwd });
      expect(await run(['--db', db.url, 'inventory'], table)).toBe(0);
      expect(table.out()).toMatch(/support-bot\s+\[chatbot, production, active\]\s+owner: alice@acme\.test/);
      expect(table.out()).toMatch(/aws\s+cloud-role\s+arn:aws:iam::123456789012:role\/support/);

      const json = memoryIo({ cwd });
      expect(
        await run(['--db', db.url, 'inventory', '--agent', 'support-bot', '--format', 'json'], json),
      ).toBe(0);
      const inv = JSON.parse(json.out());
      expect(inv.agents).toHaveLength(1);
      expect(
        inv.agents[0].identities.map((i: { provider: string; kind: string }) => `${i.provider}:${i.kind}`),
      ).toEqual(['aws:cloud-role', 'openai:api-key']);
      expect(json.out()).not.toMatch(/sk-proj-/);

      const missing = memoryIo({ cwd });
      expect(await run(['--db', db.url, 'inventory', '--agent', 'nope'], missing)).toBe(2);
      expect(missing.err()).toMatch(/WARDEN_NOT_FOUND: no agent named 'nope'/);
    });

    it('exits 2 when a named file cannot be read, and still imports the rest', async () => {
      const db = await freshDatabase(dialect);
      drop = db.drop;
      const cwd = workdir();
      writeFileSync(path.join(cwd, 'broken-mcp.json'), '{"mcpServers": {"a": ');
      const io = memoryIo({ cwd });
      expect(await run(['--db', db.url, 'import', 'agents.yaml', 'broken-mcp.json'], io)).toBe(2);
      expect(io.out()).toMatch(/broken-mcp\.json:1:\d+: invalid JSON/);
      const inv = memoryIo({ cwd });
      await run(['--db', db.url, 'inventory', '--format', 'json'], inv);
      expect(JSON.parse(inv.out()).totals.agents).toBe(2);
    });
  });
}
