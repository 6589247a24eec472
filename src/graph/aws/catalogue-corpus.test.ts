/**
 * End to end through `warden escalations --format json`: a folder of real-format AWS CLI outputs
 * modelled on BishopFox iam-vulnerable (every privesc path, the tool-testing fp/fn scenarios) and
 * DataDog pathfinding.cloud paths, with near-miss negatives. Each principal's `escalates`,
 * `technique` and `hops` are checked against what the public catalogue says.
 * https://github.com/BishopFox/iam-vulnerable  https://pathfinding.cloud/
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../cli/io.js';
import { run } from '../../cli/run.js';
import { buildCatalogueCorpus } from './test-utils/catalogue-scenarios.js';

interface Row {
  principal: string;
  escalates: boolean;
  technique: string | null;
  hops: number;
  path: string[];
}

const corpus = buildCatalogueCorpus();
let rows = new Map<string, Row>();
let dir = '';
let stderr = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'warden-catalogue-'));
  for (const [name, content] of Object.entries(corpus.files))
    writeFileSync(
      path.join(dir, name),
      typeof content === 'string' ? content : JSON.stringify(content, null, 4) + '\n',
    );
  const io = memoryIo({ cwd: dir });
  const code = await run(['escalations', dir, '--format', 'json'], io);
  if (code !== 0) throw new Error(`warden escalations exited ${code}: ${io.err()}`);
  stderr = io.err();
  rows = new Map((JSON.parse(io.out()) as Row[]).map((r) => [r.principal, r]));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('catalogue corpus (iam-vulnerable, pathfinding.cloud) through warden escalations', () => {
  it('reads every file without a complaint', () => {
    expect(stderr).toBe('');
  });

  it('prints a row for every principal of the export', () => {
    for (const e of corpus.expectations) expect(rows.has(e.principal), e.principal).toBe(true);
  });

  for (const e of corpus.expectations) {
    it(`${e.why}: ${e.escalates ? 'escalates' : 'does not escalate'}`, () => {
      const r = rows.get(e.principal);
      expect(r, e.principal).toBeDefined();
      expect({ principal: e.principal, escalates: r!.escalates }).toEqual({
        principal: e.principal,
        escalates: e.escalates,
      });
      if (!e.escalates) {
        expect(r!.technique).toBeNull();
        return;
      }
      if (typeof e.technique === 'string') expect(r!.technique).toBe(e.technique);
      else if (e.technique) expect(e.technique).toContain(r!.technique);
      if (e.hops !== undefined) expect(r!.hops).toBe(e.hops);
      expect(r!.path[0]).toBe(e.principal);
    });
  }
});
