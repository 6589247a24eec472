import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Gunzipper } from './cloudtrail-gunzip.js';
import { rng } from './test-utils/aws-fixtures.js';

/** What gunzipSync gives, or the message it throws. */
function reference(raw: Buffer): Buffer | string {
  try {
    return gunzipSync(raw);
  } catch (e) {
    return (e as Error).message;
  }
}

function ours(g: Gunzipper, raw: Buffer): Buffer | string {
  try {
    // A copy: the view is reused by the next call.
    return Buffer.from(g.gunzip(raw));
  } catch (e) {
    return (e as Error).message;
  }
}

describe('Gunzipper', () => {
  it('gives what gunzipSync gives, file after file, through one buffer', () => {
    const r = rng(23);
    const g = new Gunzipper();
    const text = (n: number): Buffer =>
      Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 1e6).toString(36)).join(','));
    const cases: Buffer[] = [];
    for (let i = 0; i < 20; i++) cases.push(gzipSync(text(Math.floor(r() * 50_000))));
    // Larger than the one before (the buffer grows), several members, an empty file.
    cases.push(gzipSync(text(400_000)));
    cases.push(Buffer.concat([gzipSync(text(10)), gzipSync(text(2000)), gzipSync(Buffer.alloc(0))]));
    cases.push(gzipSync(Buffer.alloc(0)));
    for (const raw of cases) expect(ours(g, raw)).toEqual(reference(raw));
    // The views themselves are right until the next call.
    const a = gzipSync(Buffer.from('first file'));
    const first = g.gunzip(a);
    expect(first.toString()).toBe('first file');
    const second = g.gunzip(gzipSync(Buffer.from('second')));
    expect(second.buffer).toBe(first.buffer);
    expect(first.subarray(0, 6).toString()).toBe('second');
  });

  it('fails as gunzipSync fails, and reads the next file after a failure', () => {
    const r = rng(29);
    const g = new Gunzipper();
    const good = gzipSync(Buffer.from('{"Records":[]}'.repeat(500)));
    const damaged: Buffer[] = [
      good.subarray(0, good.length - 10), // truncated
      Buffer.from('not gzip at all, though named .gz'),
      Buffer.alloc(0),
    ];
    const crc = Buffer.from(good);
    crc[crc.length - 6]! ^= 1; // CRC-32 no longer matches
    damaged.push(crc);
    const size = Buffer.from(good);
    size.writeUInt32LE(3, size.length - 4); // ISIZE too small: the data does not fit
    damaged.push(size);
    const big = Buffer.from(good);
    big.writeUInt32LE(0xfffffff0, big.length - 4); // ISIZE absurdly large
    damaged.push(big);
    damaged.push(Buffer.concat([good, Buffer.from('trailing garbage')]));
    for (let i = 0; i < 40; i++) {
      const b = Buffer.from(good);
      b[10 + Math.floor(r() * (b.length - 10))] = Math.floor(r() * 256);
      damaged.push(b);
    }
    for (const raw of damaged) {
      expect(ours(g, raw)).toEqual(reference(raw));
      expect(ours(g, good)).toEqual(reference(good));
    }
  });
});
