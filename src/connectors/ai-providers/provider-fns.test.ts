import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHint, unredacted } from './provider-fns.js';

describe('parseHint (property)', () => {
  it('never keeps more than a short prefix and suffix of any value', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const h = parseHint(s);
        if (h) {
          expect(h.prefix.length).toBeLessThanOrEqual(16);
          expect(h.suffix.length).toBeLessThanOrEqual(8);
        }
        // A long value without a mask marker is treated as a leak, never as a hint.
        if (!h && s.length >= 20) expect(unredacted(s)).toBe(true);
      }),
    );
  });
});
