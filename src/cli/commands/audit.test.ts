import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { run } from '../run.js';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'warden-cli-audit-'));
  dirs.push(d);
  return d;
}

/** An `aws iam list-access-keys` export; the key id is assembled at run time, never committed. */
function accessKeys(dir: string): void {
  const id = 'AKIA' + 'TESTONLY'.padEnd(16, 'Q');
  writeFileSync(
    path.join(dir, 'list-access-keys.json'),
    JSON.stringify({
      AccessKeyMetadata: [
        { UserName: 'svc-build', AccessKeyId: id, Status: 'Active', CreateDate: '2023-01-05T10:00:00+00:00' },
      ],
    }),
  );
}

describe('warden audit', () => {
  it('writes the chosen reports and exits 1 when findings reach --fail-on', async () => {
    const work = tmp();
    const input = path.join(work, 'exports');
    rmSync(input, { recursive: true, force: true });
    (await import('node:fs')).mkdirSync(input);
    accessKeys(input);
    const io = memoryIo({ cwd: work, env: {} });
    const code = await run(
      [
        '--db',
        path.join(work, 'w.db'),
        'audit',
        input,
        '--out',
        'out',
        '--format',
        'terminal,json,html',
        '--fail-on',
        'medium',
      ],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(1);
    expect(io.out()).toContain('Top ');
    expect(io.out()).toContain(path.join('out', 'warden-report.html'));
    const doc = JSON.parse(readFileSync(path.join(work, 'out', 'warden-report.json'), 'utf8')) as {
      findings: { ruleId: string }[];
    };
    expect(doc.findings.map((f) => f.ruleId)).toContain('not-rotated');
    expect(existsSync(path.join(work, 'out', 'warden-report.sarif'))).toBe(false);
    const clean = await run(
      [
        '--db',
        path.join(work, 'w.db'),
        'audit',
        input,
        '--out',
        'out',
        '--format',
        'json',
        '--fail-on',
        'critical',
      ],
      memoryIo({ cwd: work, env: {} }),
    );
    expect(clean).toBe(0);
  });

  it('exits 2 with a message when nothing is recognisable, and on a bad --format', async () => {
    const work = tmp();
    writeFileSync(path.join(work, 'notes.txt'), 'nothing to see');
    const io = memoryIo({ cwd: work, env: {} });
    expect(await run(['--db', path.join(work, 'w.db'), 'audit', work], io)).toBe(2);
    expect(io.err()).toContain('WARDEN_NOTHING_RECOGNISED');
    const bad = memoryIo({ cwd: work, env: {} });
    expect(await run(['--db', path.join(work, 'w.db'), 'audit', work, '--format', 'pdf'], bad)).toBe(2);
    expect(bad.err()).toContain('--format');
  });
});
