import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../config/index.js';
import type { ImportItem } from '../../store/index.js';
import { SourceFile } from '../core/source-file.js';
import { agentsYamlConnector } from './agents-yaml-connector.js';

const ctx = {
  config: ConfigSchema.parse({}),
  salt: 'test-salt-0123456789',
  now: '2026-11-01T00:00:00.000Z',
  configOwners: new Map<string, string>(),
};

async function readYaml(text: string, name = 'agents.yaml'): Promise<ImportItem[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-agents-'));
  writeFileSync(path.join(dir, name), text);
  const items: ImportItem[] = [];
  for await (const i of agentsYamlConnector.read(new SourceFile(path.join(dir, name), dir), ctx))
    items.push(i);
  return items;
}

describe('agents.yaml connector', () => {
  it('declares agents with owners, invokers and identities', async () => {
    const items = await readYaml(`version: 1
agents:
  - name: support-bot
    kind: chatbot
    owner: alice@acme.test
    environment: production
    expectedEnd: 2027-06-30
    invokers: [{ group: support }, { public: true }, { agent: triage }]
    identities:
      - { provider: AWS, id: "arn:aws:iam::123456789012:role/support", kind: cloud-role }
`);
    const agent = items.find((i) => i.type === 'agent');
    expect(agent?.value).toMatchObject({
      name: 'support-bot',
      kind: 'chatbot',
      ownerRef: 'alice@acme.test',
      environment: 'production',
      status: 'active',
      declared: true,
      expectedEnd: '2027-06-30T00:00:00.000Z',
      invokers: [
        { kind: 'group', ref: 'support' },
        { kind: 'public', ref: '*' },
        { kind: 'agent', ref: 'triage' },
      ],
    });
    const link = items.find((i) => i.type === 'link');
    expect(link?.value).toMatchObject({
      agent: 'support-bot',
      identity: { provider: 'aws', nativeId: 'arn:aws:iam::123456789012:role/support' },
      source: 'declared',
      confidence: 1,
    });
    expect((link?.value as { evidence: string }).evidence).toBe('agents.yaml:3');
  });

  it('skips a bad agent with its line and field, and keeps the others', async () => {
    const items = await readYaml(`agents:
  - name: ok
    kind: pipeline
  - name: bad
    kind: robot
  - name: ok
    kind: chatbot
  - name: no-id
    kind: chatbot
    identities:
      - provider: aws
`);
    const skips = items
      .filter((i) => i.type === 'skip')
      .map((i) => i.value as { pointer: string; reason: string });
    expect(skips).toHaveLength(3);
    expect(skips[0]).toMatchObject({ pointer: 'line 5 (/agents/1/kind)' });
    expect(skips[0]!.reason).toMatch(/^kind: /);
    expect(skips[1]!.reason).toBe("duplicate agent name 'ok' (first declared at line 2)");
    expect(skips[2]!.pointer).toMatch(/^line 11 /);
    expect(items.filter((i) => i.type === 'agent')).toHaveLength(1);
  });

  it('reports YAML syntax errors with line and column', async () => {
    await expect(readYaml('agents:\n  - name: [oops\n')).rejects.toThrow(/agents\.yaml:\d+:\d+/);
  });

  it('rejects a file whose agents is not a list', async () => {
    await expect(readYaml('agents: {name: x}\n')).rejects.toThrow(/must be a list/);
  });

  it('is detected by name and by content', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'warden-agents-'));
    writeFileSync(path.join(dir, 'team-agents.yml'), 'agents:\n  - name: a\n    kind: chatbot\n');
    writeFileSync(path.join(dir, 'deploy.yaml'), 'apiVersion: v1\nkind: ServiceAccount\n');
    expect(
      agentsYamlConnector.detect(new SourceFile(path.join(dir, 'team-agents.yml'), dir)),
    ).toBeGreaterThan(0);
    expect(agentsYamlConnector.detect(new SourceFile(path.join(dir, 'deploy.yaml'), dir))).toBe(0);
  });
});
