import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { RULES } from '../../src/posture/index.js';
import type { ReportDocument } from '../../src/report/index.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const work = mkdtempSync(path.join(tmpdir(), 'warden-e2e-acme-'));
let doc: ReportDocument;

afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * `warden audit` of the generated Acme example (real export formats, fake credentials made at
 * generation time) shows every kind of finding Warden knows: the example is the product's demo and
 * the first place a reader checks what a rule reports. A new rule needs a realistic case in
 * scripts/acme, or this test fails.
 */
beforeAll(async () => {
  const example = path.join(work, 'acme');
  const gen = spawnSync(process.execPath, [path.join(root, 'scripts', 'gen-acme.mjs'), example], {
    encoding: 'utf8',
  });
  expect(gen.status, gen.stderr).toBe(0);
  const io = memoryIo({ cwd: work, env: {} });
  const code = await run(
    ['--db', path.join(work, 'warden.db'), 'audit', example, '--out', 'reports', '--format', 'json'],
    io,
  );
  expect(code, io.err()).toBe(0);
  doc = JSON.parse(readFileSync(path.join(work, 'reports', 'warden-report.json'), 'utf8')) as ReportDocument;
}, 240_000);

describe('warden audit examples/acme', () => {
  it('produces every finding kind of the rule registry at least once', () => {
    const seen = new Set(doc.findings.map((f) => f.ruleId));
    expect(
      RULES.map((r) => r.meta.id).filter((id) => !seen.has(id)),
      'rules that never fire on the Acme example',
    ).toEqual([]);
    // And nothing outside the registry.
    const known = new Set(RULES.map((r) => r.meta.id));
    expect([...seen].filter((id) => !known.has(id))).toEqual([]);
  });

  it('reports each finding with its rule’s OWASP NHI ids, a message and a named subject', () => {
    const meta = new Map(RULES.map((r) => [r.meta.id, r.meta]));
    for (const f of doc.findings) {
      expect(f.owaspNhi, f.id).toEqual(meta.get(f.ruleId)!.owaspNhi);
      expect(f.subject.length, f.id).toBeGreaterThan(0);
      expect(f.message.length, f.id).toBeGreaterThan(10);
    }
  });

  it('reads every generated file it recognises without a failure', () => {
    expect(doc.input.files.filter((f) => f.status === 'failed')).toEqual([]);
    for (const s of doc.input.skipped) expect(s.reason.length).toBeGreaterThan(0);
  });
});
