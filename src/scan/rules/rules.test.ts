import { describe, expect, it } from 'vitest';
import { compileRuleset } from '../engine/compile-rules.js';
import { scanText } from '../engine/scan-text.js';
import { samplePattern } from '../test-utils/regex-sampler.js';
import { seededRandom } from '../test-utils/seeded-random.js';
import { BUILTIN_RULES } from './index.js';

const rs = compileRuleset();
const ids = (text: string) => scanText(text, rs, 'src/app/config.ts').map((h) => h.rule.spec.id);

describe('built-in rules', () => {
  it('cover at least 150 credential types, each with provenance, keywords and a unique id', () => {
    expect(BUILTIN_RULES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(BUILTIN_RULES.map((r) => r.id)).size).toBe(BUILTIN_RULES.length);
    for (const r of BUILTIN_RULES) {
      expect(r.docs, r.id).toMatch(/^https:\/\//);
      expect(r.keywords.length, r.id).toBeGreaterThan(0);
      expect(
        r.keywords.every((k) => k === k.toLowerCase() && k.length >= 3),
        r.id,
      ).toBe(true);
      expect(() => new RegExp(r.regex, r.flags)).not.toThrow();
    }
  });

  for (const rule of BUILTIN_RULES) {
    describe(rule.id, () => {
      const rnd = seededRandom([...rule.id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
      const samples = [0, 1, 2].map(() => samplePattern(rule.regex, rnd));
      const re = new RegExp(rule.regex, rule.flags);

      it('finds generated tokens of its format (positive fixtures)', () => {
        for (const s of samples) {
          expect(re.test(s), `sampler output matches ${rule.id}`).toBe(true);
          expect(
            rule.keywords.some((k) => s.toLowerCase().includes(k)),
            `a keyword of ${rule.id} occurs in its match`,
          ).toBe(true);
          expect(ids(`x ${s}\n`)).toContain(rule.id);
        }
      });

      it('ignores near-misses: placeholders, templating and documented examples (negative fixtures)', () => {
        for (const s of samples) {
          const secret = re.exec(s)?.[rule.secretGroup] ?? '';
          expect(secret.length).toBeGreaterThan(0);
          const templated = s.replace(secret, '${' + 'SECRET_VALUE}');
          expect(ids(`x ${templated}\n`)).not.toContain(rule.id);
          if (!rule.allowRuns && !rule.window?.multiline && secret.length >= 12) {
            const half = Math.floor(secret.length / 2);
            const run = secret.slice(0, half) + secret.charAt(half).repeat(secret.length - half);
            expect(ids(`x ${s.replace(secret, run)}\n`)).not.toContain(rule.id);
          }
          const marked = `x ${s} // warden:ignore\n`;
          expect(ids(marked)).not.toContain(rule.id);
        }
        for (const ex of rule.examples ?? []) expect(ids(`value = "${ex}"\n`)).not.toContain(rule.id);
      });
    });
  }
});
