import { describe, expect, it } from 'vitest';
import { collationKey, compareKeyed } from './collation.js';
import { seededRandom } from '../model/index.js';

const rng = seededRandom;

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe('collation keys', () => {
  it('order exactly like localeCompare, keyed or not', () => {
    const r = rng(5);
    const alphabet = 'ab-._@/:0189 zAZ~*é';
    const word = () => {
      let s = '';
      const n = Math.floor(r() * 8);
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
      return s;
    };
    const words = [
      'sa-1@proj-1.iam.gserviceaccount.com',
      'sa-10@proj-1.iam.gserviceaccount.com',
      'arn:aws:iam::123456789012:role/app/role-9',
      'arn:aws:iam::123456789012:user/svc-10',
      '',
    ];
    for (let i = 0; i < 3000; i++) words.push(word());
    let keyed = 0;
    for (let i = 0; i < words.length; i++) {
      for (let j = 0; j < 8; j++) {
        const a = words[i]!;
        const b = words[Math.floor(r() * words.length)]!;
        const ka = collationKey(a);
        const kb = collationKey(b);
        if (ka !== undefined && kb !== undefined) keyed++;
        expect(sign(compareKeyed(a, ka, b, kb)), `${a} vs ${b}`).toBe(sign(a.localeCompare(b)));
      }
    }
    // Most pairs went through the fast path, and the sample e-mail addresses are keyed.
    expect(keyed).toBeGreaterThan(1000);
    expect(collationKey('sa-1@proj-1.iam.gserviceaccount.com')).toBeDefined();
    expect(collationKey('Upper')).toBeUndefined();
  });
});
