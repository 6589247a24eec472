import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../report/index.js';
import { memoryIo } from '../io.js';
import { run } from '../run.js';

/**
 * The "Bad input" contract for `warden audit`: a folder with nothing recognisable says so
 * and exits 2 without writing a report; partially readable input still produces the report, and
 * its first page (terminal summary, HTML overview) says what was skipped and why.
 */
let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'warden-cli-bad-input-'));
  dirs.push(d);
  return d;
}

/** A fake access key id from a seeded generator (base32 as AWS uses), never a literal in the repo. */
function fakeKeyId(seed: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let s = seed >>> 0;
  let id = '';
  for (let i = 0; i < 16; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    id += alphabet[s % 32];
  }
  return 'AKIA' + id;
}

async function audit(work: string, input: string, formats = 'terminal,json,html') {
  const io = memoryIo({ cwd: work, env: {} });
  const code = await run(
    ['--db', path.join(work, 'w.db'), 'audit', input, '--out', 'out', '--format', formats],
    io,
  );
  return { code, out: io.out(), err: io.err() };
}

describe('warden audit of input with nothing recognisable', () => {
  it('exits 2 naming the folder, writes no report, for files no connector reads', async () => {
    const work = tmp();
    const input = path.join(work, 'stuff');
    mkdirSync(input);
    writeFileSync(path.join(input, 'notes.txt'), 'meeting notes, nothing to import\n');
    writeFileSync(path.join(input, 'README.md'), '# A project\n');
    writeFileSync(path.join(input, 'settings.json'), JSON.stringify({ theme: 'dark', fontSize: 12 }));
    const r = await audit(work, input);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^warden: error WARDEN_NOTHING_RECOGNISED: nothing Warden recognises in .*stuff/);
    expect(r.err).toContain('3 files looked at');
    // It names what it looked at, so the user can see a misplaced or misnamed export.
    for (const f of ['notes.txt', 'README.md', 'settings.json']) expect(r.err).toContain(f);
    expect(r.out).toBe('');
    expect(existsSync(path.join(work, 'out'))).toBe(false);
  });

  it('exits 2 for an empty folder and for a path that does not exist, naming it', async () => {
    const work = tmp();
    const empty = path.join(work, 'empty');
    mkdirSync(empty);
    const e = await audit(work, empty);
    expect(e.code).toBe(2);
    expect(e.err).toContain('WARDEN_NOTHING_RECOGNISED');
    expect(e.err).toContain('0 files looked at');
    const missing = path.join(work, 'no-such-folder');
    const m = await audit(work, missing);
    expect(m.code).toBe(2);
    expect(m.err).toContain('no-such-folder');
    expect(m.err).toContain('ENOENT');
  });

  it('exits 2 when the only recognised export is broken, naming the file, line and column', async () => {
    const work = tmp();
    const input = path.join(work, 'exports');
    mkdirSync(input);
    writeFileSync(
      path.join(input, 'list-access-keys.json'),
      `{"AccessKeyMetadata":[{"UserName":"svc-build","AccessKeyId":"${fakeKeyId(1)}",`,
    );
    const r = await audit(work, input);
    expect(r.code).toBe(2);
    expect(r.err).toContain('WARDEN_NOTHING_RECOGNISED');
    expect(r.err).toMatch(/list-access-keys\.json:1:\d+: invalid JSON/);
    expect(existsSync(path.join(work, 'out'))).toBe(false);
  });
});

describe('warden audit of partially readable input', () => {
  function partial(work: string): string {
    const input = path.join(work, 'exports');
    mkdirSync(input);
    // One good record and one without its key id (an `aws iam list-access-keys` page).
    writeFileSync(
      path.join(input, 'list-access-keys.json'),
      JSON.stringify({
        AccessKeyMetadata: [
          {
            UserName: 'svc-build',
            AccessKeyId: fakeKeyId(7),
            Status: 'Active',
            CreateDate: '2023-01-05T10:00:00+00:00',
          },
          { UserName: 'svc-report', Status: 'Active', CreateDate: '2024-02-01T08:00:00+00:00' },
        ],
      }),
    );
    // A second export of the same kind, cut off mid-way (a truncated download).
    writeFileSync(
      path.join(input, 'list-access-keys-prod.json'),
      `{"AccessKeyMetadata":[{"UserName":"svc-deploy","AccessKeyId":"${fakeKeyId(8)}"`,
    );
    writeFileSync(path.join(input, 'notes.txt'), 'not an export\n');
    return input;
  }

  it('still audits what it could read and lists what was skipped, with where and why', async () => {
    const work = tmp();
    const r = await audit(work, partial(work));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(
      readFileSync(path.join(work, 'out', 'warden-report.json'), 'utf8'),
    ) as ReportDocument;
    expect(doc.summary.identities).toBe(1);
    expect(doc.input.skippedTotal).toBe(2);
    expect(doc.input.skipped).toEqual(
      expect.arrayContaining([
        {
          file: 'list-access-keys.json',
          pointer: '/AccessKeyMetadata/1',
          reason: 'access key without AccessKeyId',
        },
        expect.objectContaining({
          file: 'list-access-keys-prod.json',
          reason: expect.stringMatching(/^list-access-keys-prod\.json:1:\d+: invalid JSON/) as unknown,
        }),
      ]),
    );
    expect(doc.input.files.find((f) => f.file === 'notes.txt')?.status).toBe('unrecognised');
  });

  it('says so on the first lines of the terminal summary', async () => {
    const work = tmp();
    const r = await audit(work, partial(work));
    // The summary's first lines say the audit is partial, before any finding.
    const head = r.out.slice(0, r.out.indexOf('Findings'));
    expect(head).toMatch(/Input\s+1 files? imported, 1 failed/);
    expect(head).toMatch(/2 records or files skipped/);
    // ... and lists them there, with where and why.
    expect(head).toContain('  - list-access-keys.json /AccessKeyMetadata/1: access key without AccessKeyId');
    expect(head).toMatch(
      / {2}- list-access-keys-prod\.json: list-access-keys-prod\.json:1:\d+: invalid JSON/,
    );
  });

  it('lists every skipped record, where and why, on the HTML overview before the findings', async () => {
    const work = tmp();
    await audit(work, partial(work), 'html');
    const html = readFileSync(path.join(work, 'out', 'warden-report.html'), 'utf8');
    const start = html.indexOf('<section id="overview"');
    expect(start).toBeGreaterThanOrEqual(0);
    const overview = html.slice(start, html.indexOf('</section>', start));
    const skipped = overview.indexOf('Skipped input');
    expect(skipped).toBeGreaterThanOrEqual(0);
    expect(skipped).toBeLessThan(overview.indexOf('Top risks'));
    expect(overview).toMatch(/2 records or files (were )?skipped/);
    expect(overview).toContain('/AccessKeyMetadata/1');
    expect(overview).toContain('access key without AccessKeyId');
    expect(overview).toMatch(/list-access-keys-prod\.json:1:\d+: invalid JSON/);
  });

  it('lists a named path that does not exist beside the ones it could read', async () => {
    const work = tmp();
    const input = partial(work);
    const io = memoryIo({ cwd: work, env: {} });
    const code = await run(
      ['--db', path.join(work, 'w.db'), 'audit', input, 'gone', '--out', 'out', '--format', 'json'],
      io,
    );
    expect(code, io.err()).toBe(0);
    const doc = JSON.parse(
      readFileSync(path.join(work, 'out', 'warden-report.json'), 'utf8'),
    ) as ReportDocument;
    expect(doc.input.skipped).toContainEqual({
      file: 'gone',
      pointer: 'file',
      reason: 'cannot read: ENOENT',
    });
    // The secret scan of the other paths still ran: its gap is reported, not its results lost.
    expect(doc.input.skipped.some((k) => k.file === 'gone' && /not scanned for secrets/.test(k.reason))).toBe(
      true,
    );
  });

  it('says every file was read completely when nothing was skipped', async () => {
    const work = tmp();
    const input = path.join(work, 'clean');
    mkdirSync(input);
    writeFileSync(
      path.join(input, 'list-access-keys.json'),
      JSON.stringify({
        AccessKeyMetadata: [
          {
            UserName: 'svc-build',
            AccessKeyId: fakeKeyId(9),
            Status: 'Active',
            CreateDate: '2025-01-05T10:00:00Z',
          },
        ],
      }),
    );
    const r = await audit(work, input, 'terminal,html');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('skipped');
    const html = readFileSync(path.join(work, 'out', 'warden-report.html'), 'utf8');
    expect(html).toContain('Every recognised file was read completely.');
    expect(html).not.toContain('Skipped input');
  });
});
