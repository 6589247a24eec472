import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { recordId, stableId } from './index.js';

/** The definition stored ids were computed with: SHA-256 over each part followed by NUL. */
function reference(prefix: string, ...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(p);
    h.update('\u0000');
  }
  return `${prefix}_${h.digest('base64url').slice(0, 22)}`;
}

describe('stableId', () => {
  it('keeps the exact values of stored ids', () => {
    const cases: string[][] = [
      [],
      [''],
      ['aws', 'arn:aws:iam::123456789012:user/ci'],
      ['a', 'b', 'c'],
      ['ab', 'c'],
      ['é€😀', 'ünïcødé'],
      ['\ud800 lone surrogate', 'x'],
      ['x'.repeat(5000)],
    ];
    for (const parts of cases) expect(stableId('tst', ...parts)).toBe(reference('tst', ...parts));
    expect(recordId.identity('AWS', 'arn:aws:iam::123456789012:user/ci')).toBe(
      reference('idn', 'aws', 'arn:aws:iam::123456789012:user/ci'),
    );
    expect(stableId('p', 'ab', 'c')).not.toBe(stableId('p', 'a', 'bc'));
  });
});
