import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OwaspNhiId } from '../../model/index.js';
import { RULES } from './index.js';

/**
 * The registry and the rule files agree, and every rule has its own test beside it: a new rule
 * without tests fails here. Rule files are found by the `id:` of their metadata, since a rule's id
 * need not be its file name (agent-retired-active.ts holds `agent-retired-identities-active`).
 */
const here = import.meta.dirname;
const HELPERS = new Set(['index.ts', 'define-rule.ts']);
const ruleFiles = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !HELPERS.has(f))
  .sort();
const sourceOf = new Map(ruleFiles.map((f) => [f, readFileSync(path.join(here, f), 'utf8')]));

function fileOf(ruleId: string): string | undefined {
  const hits = ruleFiles.filter((f) => sourceOf.get(f)!.includes(`id: '${ruleId}'`));
  return hits.length === 1 ? hits[0] : undefined;
}

describe('the rule registry', () => {
  it('has unique ids and complete metadata', () => {
    expect(new Set(RULES.map((r) => r.meta.id)).size).toBe(RULES.length);
    const owasp = new Set<string>(OwaspNhiId.options);
    for (const { meta } of RULES) {
      expect(meta.id, meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(meta.title.length, meta.id).toBeGreaterThan(5);
      expect(meta.remediation.length, meta.id).toBeGreaterThan(20);
      expect(meta.owaspNhi.length, meta.id).toBeGreaterThan(0);
      for (const id of meta.owaspNhi) expect(owasp.has(id), `${meta.id}: ${id}`).toBe(true);
      expect(meta.references.length, meta.id).toBeGreaterThan(0);
      for (const r of meta.references) expect(r, meta.id).toMatch(/^https:\/\//);
    }
  });

  it('registers every rule file, and every registered rule lives in exactly one file', () => {
    const registered = RULES.map((r) => fileOf(r.meta.id));
    expect(
      RULES.filter((_, i) => registered[i] === undefined).map((r) => r.meta.id),
      'rules whose file cannot be found',
    ).toEqual([]);
    expect(
      ruleFiles.filter((f) => !registered.includes(f)),
      'rule files missing from RULES in index.ts',
    ).toEqual([]);
  });

  describe.each(RULES.map((r) => [r.meta.id, fileOf(r.meta.id) ?? '(not found)'] as const))(
    '%s (%s)',
    (id, file) => {
      const testFile = path.join(here, file.replace(/\.ts$/, '.test.ts'));
      it('has its own test file beside it', () => {
        expect(existsSync(testFile), `${path.basename(testFile)} is missing`).toBe(true);
      });
      it('whose tests name the rule, run it, and include a positive and a negative case', () => {
        const text = existsSync(testFile) ? readFileSync(testFile, 'utf8') : '';
        expect(text).toContain(`from './${file.replace(/\.ts$/, '.js')}'`);
        expect(text).toContain(`describe('${id}'`);
        // Positive: a finding is asserted field by field; negative: some input yields nothing.
        expect(text).toMatch(/expectFinding\(/);
        expect(text).toMatch(/\)\.toEqual\(\[\]\)/);
        expect((text.match(/\bit\(/g) ?? []).length).toBeGreaterThanOrEqual(2);
      });
    },
  );
});
