import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { run } from '../run.js';
import { ALNUM, randomString, seededRandom } from '../../scan/test-utils/seeded-random.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'warden-scan-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const rnd = seededRandom(7);
const env = { WARDEN_FINGERPRINT_SALT: 'cli-test-salt-0123456789' };

function project(name: string): { dir: string; token: string } {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  const token = ['gl', 'pat-', randomString(rnd, ALNUM, 20)].join('');
  writeFileSync(path.join(dir, 'src', 'client.ts'), `// client\nexport const cfg = { token: "${token}" };\n`);
  writeFileSync(path.join(dir, 'src', 'ok.ts'), `export const token = process.env.GITLAB_TOKEN;\n`);
  return { dir, token };
}

describe('warden scan', () => {
  it('prints findings as JSON with paths relative to the root, masked values and salted fingerprints; exit 1', async () => {
    const { dir, token } = project('json');
    const io = memoryIo({ cwd: dir, env });
    const code = await run(['scan', '.', '--format', 'json'], io);
    expect(code).toBe(1);
    const out = JSON.parse(io.out()) as { findings: Record<string, unknown>[] };
    expect(out.findings).toHaveLength(1);
    const f = out.findings[0]!;
    expect(Object.keys(f).sort()).toEqual([
      'column',
      'file',
      'fingerprint',
      'line',
      'masked',
      'rule',
      'type',
    ]);
    expect(f).toMatchObject({ file: 'src/client.ts', line: 2, column: 30, rule: 'gitlab-pat' });
    expect(f.fingerprint).toMatch(/^fp1:/);
    expect(io.out()).not.toContain(token);
  });

  it('shows only new leaks with a baseline, and exits 0 when nothing is new', async () => {
    const { dir } = project('baseline');
    const first = memoryIo({ cwd: dir, env });
    expect(await run(['scan', '.', '--write-baseline', 'baseline.json'], first)).toBe(1);
    expect(JSON.parse(readFileSync(path.join(dir, 'baseline.json'), 'utf8')).findings).toHaveLength(1);
    const second = memoryIo({ cwd: dir, env });
    expect(await run(['scan', '.', '--baseline', 'baseline.json', '--format', 'json'], second)).toBe(0);
    expect(JSON.parse(second.out()).findings).toEqual([]);
  });

  it('writes SARIF 2.1.0 with stable partial fingerprints', async () => {
    const { dir } = project('sarif');
    const a = memoryIo({ cwd: dir, env });
    await run(['scan', '.', '--format', 'sarif'], a);
    const b = memoryIo({ cwd: dir, env });
    await run(['scan', '.', '--format', 'sarif'], b);
    const doc = JSON.parse(a.out());
    expect(doc.version).toBe('2.1.0');
    const result = doc.runs[0].results[0];
    expect(result.ruleId).toBe('gitlab-pat');
    expect(result.locations[0].physicalLocation.region).toEqual({ startLine: 2, startColumn: 30 });
    expect(result.partialFingerprints['wardenSecret/v1']).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(b.out()).runs[0].results[0].partialFingerprints).toEqual(result.partialFingerprints);
  });

  it('reads standard input with -', async () => {
    const token = ['gs', 'k_', randomString(rnd, ALNUM, 52)].join('');
    const io = {
      ...memoryIo({ cwd: root, env }),
      stdin: Readable.from([Buffer.from(`GROQ_API_KEY=${token}\n`)]),
    };
    const code = await run(['scan', '-', '--format', 'json'], io);
    expect(code).toBe(1);
    expect(JSON.parse(io.out()).findings[0]).toMatchObject({
      file: '-',
      line: 1,
      column: 14,
      rule: 'groq-api-key',
    });
  });

  it('respects --fail-on', async () => {
    const { dir } = project('failon');
    expect(await run(['scan', '.', '--fail-on', 'critical'], memoryIo({ cwd: dir, env }))).toBe(1);
    writeFileSync(
      path.join(dir, 'src', 'client.ts'),
      `const jwt = "${['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', randomString(rnd, ALNUM, 43)].join('.')}";\n`,
    );
    expect(await run(['scan', '.', '--fail-on', 'critical'], memoryIo({ cwd: dir, env }))).toBe(0);
  });

  it('rejects a user rule that could backtrack catastrophically, with the reason (exit 2)', async () => {
    const { dir } = project('badrule');
    writeFileSync(path.join(dir, 'warden.yaml'), 'scan:\n  rules:\n    - id: evil\n      regex: "(a+)+$"\n');
    const io = memoryIo({ cwd: dir, env });
    expect(await run(['scan', '.'], io)).toBe(2);
    expect(io.err()).toMatch(/WARDEN_RULE_INVALID.*evil.*nested quantifier/);
  });

  it('uses user rules from warden.yaml and a .gitleaks.toml with its allowlists', async () => {
    const { dir } = project('gitleaks');
    const id = `ACME-${randomString(rnd, '0123456789ABCDEF', 24)}`;
    writeFileSync(path.join(dir, 'src', 'acme.txt'), `key: ${id}\nallowed: ACME-${'0'.repeat(24)}\n`);
    writeFileSync(
      path.join(dir, '.gitleaks.toml'),
      [
        '[extend]',
        'useDefault = true',
        '',
        '[[rules]]',
        'id = "acme-key"',
        "regex = '''(?i)\\b(acme-[0-9a-f]{24})\\b'''",
        'keywords = ["acme-"]',
        '',
        '[allowlist]',
        "regexes = ['''ACME-0{24}''']",
      ].join('\n'),
    );
    const io = memoryIo({ cwd: dir, env });
    await run(['scan', '.', '--format', 'json'], io);
    const rules = (JSON.parse(io.out()).findings as { rule: string; line: number; file: string }[]).map(
      (f) => `${f.file}:${f.line}:${f.rule}`,
    );
    expect(rules).toContain('src/acme.txt:1:acme-key');
    expect(rules).not.toContain('src/acme.txt:2:acme-key');
    expect(rules).toContain('src/client.ts:2:gitlab-pat');
  });
});
