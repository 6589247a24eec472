import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../config/index.js';
import { recordId } from '../model/index.js';
import type { Store } from '../store/index.js';
import { DIALECTS, openTestStore } from '../store/test-utils/dialects.js';
import type { Connector } from './core/types.js';
import { importPaths } from './import-service.js';
import { CONNECTORS } from './registry.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'warden-import-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const AGENTS = `agents:
  - name: support-bot
    kind: chatbot
    owner: alice@acme.test
    configs: [cfg/claude_desktop_config.json]
    identities:
      - { provider: aws, id: "arn:aws:iam::1:role/support" }
`;

/** A connector for a made-up NDJSON format, to exercise failure in the middle of a file. */
const lines: Connector = {
  id: 'test-lines',
  title: 'test lines',
  detect: (f) => (f.name.endsWith('.idn') ? 1 : 0),
  async *read(f) {
    for await (const { line, text } of f.lines()) {
      if (text === 'BOOM') throw new Error(`unreadable record at line ${line}`);
      if (!text.trim()) {
        yield { type: 'skip', value: { pointer: `line ${line}`, reason: 'empty line' } };
        continue;
      }
      const [provider, nativeId, tag] = text.split(' ');
      yield {
        type: 'identity',
        value: {
          provider: provider!,
          nativeId: nativeId!,
          kind: 'api-key',
          ...(tag ? { attributes: { tags: { agent: tag } } } : {}),
        },
      };
    }
  },
};

for (const dialect of DIALECTS) {
  describe(`importPaths (${dialect})`, () => {
    let store: Store;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await openTestStore(dialect));
    });
    afterEach(async () => close());

    const config = ConfigSchema.parse({
      links: { patterns: [{ match: '^svc-kb-', agent: 'kb' }], mappings: { 'mapped-1': 'mapper' } },
    });

    it('imports a folder, assigns configs declared in agents.yaml, and derives links from tags, mappings and names', async () => {
      const root = tree({
        'agents.yaml': AGENTS,
        'cfg/claude_desktop_config.json': JSON.stringify({
          mcpServers: { gh: { command: 'x', env: { GITHUB_TOKEN: ['gh', 'p_', 'k'.repeat(36)].join('') } } },
        }),
        'ids/a.idn': 'openai key_1 support-bot\nopenai svc-kb-7\nopenai mapped-1\n\n',
        'README.md': '# not an export',
      });
      const report = await importPaths({ store, config, connectors: [...CONNECTORS, lines], paths: [root] });
      expect(report.files.map((f) => [f.file, f.status])).toEqual([
        ['agents.yaml', 'imported'],
        ['README.md', 'unrecognised'],
        ['cfg/claude_desktop_config.json', 'imported'],
        ['ids/a.idn', 'imported'],
      ]);
      expect(report.files[3]!.skipped).toEqual([{ pointer: 'line 4', reason: 'empty line' }]);
      const support = await store.listLinks({ agentId: recordId.agent('support-bot') });
      expect(support.map((l) => l.source).sort()).toEqual(['config', 'declared', 'tag']);
      expect(support.find((l) => l.source === 'config')?.confidence).toBe(1);
      expect(await store.listLinks({ agentId: recordId.agent('kb') })).toMatchObject([
        { source: 'naming', confidence: 0.6 },
      ]);
      expect(await store.listLinks({ agentId: recordId.agent('mapper') })).toMatchObject([
        { source: 'declared' },
      ]);
      expect(report.derivedLinks).toBe(3);
    });

    it('rolls back a file that fails part-way and goes on with the others', async () => {
      const root = tree({ 'a.idn': 'openai k1\n', 'b.idn': 'openai k2\nBOOM\n', 'c.idn': 'openai k3\n' });
      const report = await importPaths({ store, config, connectors: [lines], paths: [root] });
      expect(report.files.map((f) => f.status)).toEqual(['imported', 'failed', 'imported']);
      expect(report.files[1]!.error?.message).toMatch(/^b\.idn: .*unreadable record at line 2/);
      expect((await store.listIdentities()).map((i) => i.nativeId).sort()).toEqual(['k1', 'k3']);
    });

    it('says precisely why a named file is not recognised', async () => {
      const root = tree({ 'odd.json': '{"Widgets": [], "Count": 0}' });
      const report = await importPaths({
        store,
        config,
        connectors: CONNECTORS,
        paths: [path.join(root, 'odd.json')],
      });
      expect(report.files[0]!.error).toMatchObject({ code: 'WARDEN_INPUT_UNKNOWN_FORMAT' });
      expect(report.files[0]!.error!.message).toMatch(
        /odd\.json: not a format Warden recognises \(a JSON object with keys Widgets, Count\)/,
      );
    });

    it('reports a missing path instead of failing the whole import', async () => {
      const root = tree({ 'a.idn': 'openai k1\n' });
      const report = await importPaths({
        store,
        config,
        connectors: [lines],
        paths: [root, path.join(root, 'missing')],
      });
      expect(report.issues).toEqual([{ file: path.join(root, 'missing'), reason: 'cannot read: ENOENT' }]);
      expect(report.files[0]!.status).toBe('imported');
    });
  });
}

describe('credential links', () => {
  it('links a credential to the agents of its parent identity', async () => {
    const { store, close } = await openTestStore('sqlite');
    try {
      const root = tree({
        'agents.yaml':
          'agents:\n  - name: bot\n    kind: pipeline\n    identities: [{ provider: aws, id: "arn:aws:iam::1:user/svc" }]\n',
        'keys.idn': 'aws AKIDPARENTED0001\n',
      });
      const parented: Connector = {
        ...lines,
        async *read() {
          yield {
            type: 'identity',
            value: {
              provider: 'aws',
              nativeId: 'AKIDPARENTED0001',
              kind: 'access-key',
              attributes: { parent: 'arn:aws:iam::1:user/svc' },
            },
          };
          yield {
            type: 'identity',
            value: {
              provider: 'aws',
              nativeId: 'AKIDORPHAN000002',
              kind: 'access-key',
              attributes: { parent: 'arn:aws:iam::1:user/other' },
            },
          };
        },
      };
      await importPaths({
        store,
        config: ConfigSchema.parse({}),
        connectors: [...CONNECTORS, parented],
        paths: [root],
      });
      const links = await store.listLinks({ agentId: recordId.agent('bot') });
      const inferred = links.filter((l) => l.source === 'inferred');
      expect(inferred).toHaveLength(1);
      expect(inferred[0]).toMatchObject({
        identityId: recordId.identity('aws', 'AKIDPARENTED0001'),
        evidence: 'credential of arn:aws:iam::1:user/svc',
        confidence: 0.9,
      });
    } finally {
      await close();
    }
  });
});
