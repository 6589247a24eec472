import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCorpus } from './corpus/corpus-generator.js';
import { runScan } from './scan-service.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('labelled mixed corpus (generated from a seed)', () => {
  for (const seed of [1, 2]) {
    it(`reaches recall and precision of at least 95% (seed ${seed})`, async () => {
      const root = path.join(dir, `s${seed}`);
      const { labels } = writeCorpus(root, { seed, targetBytes: 600_000 });
      const result = await runScan(
        { kind: 'path', path: root },
        { salt: 'test-salt-0123456789', threads: 0 },
      );
      const expected = new Set(labels.map((l) => `${l.file}:${l.line}`));
      const found = new Set(result.leaks.map((l) => `${l.file}:${l.line}`));
      const tp = [...found].filter((k) => expected.has(k)).length;
      const recall = tp / expected.size;
      const precision = tp / found.size;
      const missed = labels.filter((l) => !found.has(`${l.file}:${l.line}`)).slice(0, 10);
      const extra = result.leaks
        .filter((l) => !expected.has(`${l.file}:${l.line}`))
        .slice(0, 10)
        .map((l) => `${l.file}:${l.line} ${l.ruleId} ${l.masked}`);
      expect(expected.size).toBeGreaterThan(200);
      expect(recall, `missed: ${JSON.stringify(missed)}`).toBeGreaterThanOrEqual(0.95);
      expect(precision, `false positives: ${extra.join('; ')}`).toBeGreaterThanOrEqual(0.95);
      // Nothing is ever reported in clear.
      const json = JSON.stringify(result.leaks.map(({ secret: _s, ...rest }) => rest));
      // (An AWS access key id is an identifier, kept as the identity's native id.)
      for (const l of result.leaks.filter((x) => !x.nativeIds.some((n) => n.via === 'secret')).slice(0, 80))
        expect(json.includes(l.secret)).toBe(false);
      process.stderr.write(
        `corpus seed ${seed}: ${expected.size} planted, recall ${(recall * 100).toFixed(1)}%, precision ${(precision * 100).toFixed(1)}%\n`,
      );
    });
  }
});
