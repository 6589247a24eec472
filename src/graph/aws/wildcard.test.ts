import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileWildcard, isUniversalResource, wildcardMatch } from './wildcard.js';

/** Independent specification: dynamic programming over pattern and value. */
function spec(p: string, v: string): boolean {
  const dp: boolean[][] = Array.from({ length: p.length + 1 }, () =>
    new Array<boolean>(v.length + 1).fill(false),
  );
  dp[0]![0] = true;
  for (let i = 1; i <= p.length; i++) {
    const c = p[i - 1];
    for (let j = 0; j <= v.length; j++) {
      if (c === '*') dp[i]![j] = dp[i - 1]![j]! || (j > 0 && dp[i]![j - 1]!);
      else dp[i]![j] = j > 0 && dp[i - 1]![j - 1]! && (c === '?' || c === v[j - 1]);
    }
  }
  return dp[p.length]![v.length]!;
}

const alpha = fc.constantFrom('a', 'b', ':', '/', '*', '?', '.', '$', '(');
const pat = fc.array(alpha, { maxLength: 12 }).map((a) => a.join(''));
const val = fc
  .array(fc.constantFrom('a', 'b', ':', '/', '.', '*', '?', 'A'), { maxLength: 14 })
  .map((a) => a.join(''));

describe('wildcard matcher', () => {
  it('compiled and reference matchers agree with the specification', () => {
    fc.assert(
      fc.property(pat, val, (p, v) => {
        const want = spec(p, v);
        expect(wildcardMatch(p, v)).toBe(want);
        expect(compileWildcard(p, false).test(v)).toBe(want);
      }),
      { numRuns: 3000 },
    );
  });
  it('ignore-case matching equals matching lower-cased inputs', () => {
    fc.assert(
      fc.property(pat, val, (p, v) => {
        expect(compileWildcard(p, true).test(v)).toBe(spec(p.toLowerCase(), v.toLowerCase()));
      }),
    );
  });
  it('a literal matches itself; `*` matches everything; a pattern with a `*` prefix matches any extension', () => {
    fc.assert(
      fc.property(val, val, (a, b) => {
        const lit = a.replace(/[*?]/g, 'x');
        expect(compileWildcard(lit, false).test(lit)).toBe(true);
        expect(compileWildcard('*', false).test(b)).toBe(true);
        expect(compileWildcard(`${lit}*`, false).test(lit + b)).toBe(true);
      }),
    );
  });
  it('no catastrophic backtracking on long star runs', () => {
    const p = `${'a*'.repeat(30)}b`;
    const t = performance.now();
    expect(compileWildcard(p, false).test('a'.repeat(5000))).toBe(false);
    expect(wildcardMatch(p, 'a'.repeat(5000))).toBe(false);
    expect(performance.now() - t).toBeLessThan(2000);
  });
  it('universal resources', () => {
    expect(isUniversalResource('*')).toBe(true);
    expect(isUniversalResource('arn:aws:*:*:*:*')).toBe(true);
    expect(isUniversalResource('arn:aws:s3:::*')).toBe(false);
    expect(isUniversalResource('arn:aws:iam::*:role/*')).toBe(false);
  });
});
