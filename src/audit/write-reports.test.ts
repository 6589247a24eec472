import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderOcsf } from '../report/index.js';
import { reportDoc } from '../report/test-utils/report-fixture.js';
import { writeReports } from './write-reports.js';

describe('writeReports', () => {
  it('streams JSON and OCSF that parse back to the same document and events', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'warden-reports-'));
    try {
      const doc = reportDoc();
      const files = writeReports(doc, dir, ['json', 'ocsf', 'csv', 'terminal']);
      expect(files.map((f) => path.basename(f))).toEqual([
        'warden-report.json',
        'warden-report.ocsf.json',
        'warden-findings.csv',
        'warden-controls.csv',
      ]);
      expect(JSON.parse(readFileSync(path.join(dir, 'warden-report.json'), 'utf8'))).toEqual(doc);
      expect(JSON.parse(readFileSync(path.join(dir, 'warden-report.ocsf.json'), 'utf8'))).toEqual(
        renderOcsf(doc),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
