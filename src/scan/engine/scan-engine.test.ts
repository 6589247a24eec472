import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { walkFiles } from '../files/walk-files.js';
import { linkLeaks, type InventoryReader } from '../link-leaks.js';
import { runScan } from '../scan-service.js';
import { ALNUM, randomString, seededRandom } from '../test-utils/seeded-random.js';
import { compileRuleset } from './compile-rules.js';
import { scanBuffer } from './scan-buffer.js';
import { fingerprintSecret, type Identity } from '../../model/index.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'warden-engine-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const rnd = seededRandom(99);
const rs = compileRuleset();
const salt = 'engine-test-salt-012345';
const gh = () => ['gh', 'p_', randomString(rnd, ALNUM, 36)].join('');
const scan = (text: string | Buffer, file = 'a.txt') =>
  scanBuffer(Buffer.isBuffer(text) ? text : Buffer.from(text), file, rs, { salt }).leaks;

describe('scan engine', () => {
  it('reports 1-based line and character column, also after multi-byte characters and invalid UTF-8', () => {
    const t = gh();
    const buf = Buffer.concat([
      Buffer.from('first\nnaïve café = 1; \xff'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(` token="${t}"\n`),
    ]);
    const [l] = scan(buf);
    expect(l).toMatchObject({ line: 2, ruleId: 'github-pat', secret: t });
    // 17 characters, the invalid byte (one replacement character), '(', then ' token="'.
    expect(l!.column).toBe('naïve café = 1; ÿ'.length + 2 + ' token="'.length + 1);
  });

  it('stays linear on a huge single-line file full of keyword hits', () => {
    const t = gh();
    const line = 'var key=1,token=2,secret=3;'.repeat(200_000) + `x="${t}"`;
    const started = Date.now();
    const leaks = scan(line, 'bundle.js');
    expect(leaks.map((l) => l.secret)).toEqual([t]);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('decodes notebook cells, Kubernetes Secret data and URL-encoded values', () => {
    const key = ['sk-', 'ant-', 'api03-', randomString(rnd, ALNUM, 93), 'AA'].join('');
    const nb = JSON.stringify(
      {
        cells: [
          {
            cell_type: 'code',
            source: [
              'import os\n',
              `os.environ["TWILIO_AUTH_TOKEN"] = "${randomString(rnd, 'abcdef0123456789', 32)}"\n`,
            ],
          },
        ],
      },
      null,
      1,
    );
    const nbLeaks = scan(nb, 'x.ipynb');
    expect(nbLeaks.map((l) => [l.ruleId, l.line, l.decoded])).toEqual([
      ['twilio-auth-token', nb.split('\n').findIndex((s) => s.includes('TWILIO')) + 1, 'notebook'],
    ]);
    const k8s = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: x',
      'data:',
      `  anthropic-key: ${Buffer.from(key).toString('base64')}`,
    ].join('\n');
    expect(scan(k8s, 'secret.yaml').map((l) => [l.ruleId, l.line, l.decoded, l.secret === key])).toEqual([
      ['anthropic-api-key', 6, 'base64', true],
    ]);
    const pw = randomString(rnd, ALNUM, 10) + '+/' + randomString(rnd, ALNUM, 8);
    const url = `curl "https://api.example.org/x?client_secret=${encodeURIComponent(pw)}1&grant_type=client_credentials"`;
    expect(scan(url).some((l) => l.decoded === 'url-encoded' && l.secret === `${pw}1`)).toBe(true);
  });

  it('honours warden:ignore and gitleaks:allow on the line', () => {
    expect(scan(`a = "${gh()}" # warden:ignore\nb = "${gh()}" // gitleaks:allow\n`)).toEqual([]);
  });

  it('skips binary content', () => {
    expect(
      scanBuffer(Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(gh())]), 'x.bin', rs, { salt }).skipped,
    ).toBe('binary');
  });

  it('walks a tree with nested .gitignore, negation, --exclude, vendored folders and a symlink loop', async () => {
    const dir = path.join(root, 'tree');
    const files: Record<string, string> = {
      '.gitignore': '*.log\n!keep.log\nbuild/\n',
      'a.ts': `t = "${gh()}"`,
      'debug.log': `t = "${gh()}"`,
      'keep.log': `t = "${gh()}"`,
      'build/out.js': `t = "${gh()}"`,
      'sub/.gitignore': 'secret.txt\n',
      'sub/secret.txt': `t = "${gh()}"`,
      'sub/ok.txt': `t = "${gh()}"`,
      'node_modules/pkg/index.js': `t = "${gh()}"`,
      'docs/skip.md': `t = "${gh()}"`,
    };
    for (const [f, c] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), c);
    }
    symlinkSync(dir, path.join(dir, 'sub', 'loop'));
    symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
    const w = walkFiles(dir, { exclude: ['docs/'] });
    expect(w.files.map((f) => f.rel).sort()).toEqual([
      '.gitignore',
      'a.ts',
      'keep.log',
      'sub/.gitignore',
      'sub/ok.txt',
    ]);
    expect(w.notes.map((n) => n.file).sort()).toEqual(['dangling', 'sub/loop']);
    const r = await runScan({ kind: 'path', path: dir }, { salt, exclude: ['docs/'], threads: 0 });
    expect(r.leaks.map((l) => l.file)).toEqual(['a.ts', 'keep.log', 'sub/ok.txt']);
  });
});

describe('linkLeaks', () => {
  const ident = (over: Partial<Identity>): Identity => ({
    id: `id-${over.nativeId}`,
    kind: 'api-key',
    provider: 'x',
    nativeId: 'n',
    status: 'active',
    ...over,
  });
  const reader = (ids: Identity[]): InventoryReader => ({
    findIdentity: async (p, n) => ids.find((i) => i.provider === p && i.nativeId === n),
    iterateIdentities: async function* () {
      yield* ids;
    },
    listLinks: async ({ identityId }) =>
      identityId !== undefined && identityId === ids[0]?.id
        ? [{ id: 'l1', agentId: 'a1', identityId, source: 'config' as const, evidence: 'x', confidence: 0.9 }]
        : [],
    listAgents: async () => [{ id: 'a1', name: 'support-bot', kind: 'chatbot', status: 'active' } as never],
  });

  it('links by native id, by salted fingerprint and by a unique provider hint', async () => {
    const keyId = ['AK', 'IA', randomString(rnd, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)].join('');
    const secret = randomString(rnd, ALNUM + '/+', 40);
    const openai = ['sk-', 'proj-', randomString(rnd, ALNUM, 80)].join('');
    const stripe = ['sk', '_live_', randomString(rnd, ALNUM, 30)].join('');
    const leaks = scan(
      `AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${secret}\nOPENAI_API_KEY=${openai}\nSTRIPE_KEY=${stripe}\n`,
      '.env',
    );
    const ids = [
      ident({ provider: 'aws', nativeId: keyId, kind: 'access-key' }),
      ident({
        provider: 'openai',
        nativeId: 'key_abc',
        attributes: { hint: { prefix: 'sk-proj-', suffix: openai.slice(-4) } },
      }),
      ident({ provider: 'stripe', nativeId: 'stripe-main', fingerprint: fingerprintSecret(stripe, salt) }),
    ];
    const linked = await linkLeaks(reader(ids), leaks, salt);
    const by = Object.fromEntries(
      linked.map((l) => [
        l.leak.ruleId,
        l.identity && [l.identity.nativeId, l.identity.match, l.identity.agents.map((a) => a.name)],
      ]),
    );
    expect(by['aws-access-key-id']).toEqual([keyId, 'native-id', ['support-bot']]);
    expect(by['aws-secret-access-key']).toEqual([keyId, 'native-id', ['support-bot']]);
    expect(by['openai-project-key']).toEqual(['key_abc', 'hint', []]);
    expect(by['stripe-secret-key']).toEqual(['stripe-main', 'fingerprint', []]);
  });
});
