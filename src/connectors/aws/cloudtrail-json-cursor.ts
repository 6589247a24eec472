import { isAscii } from 'node:buffer';
import { own } from '../../store/worker.js';

/**
 * A validating JSON cursor over one text (RFC 8259, https://www.rfc-editor.org/rfc/rfc8259): the
 * grammar half of the CloudTrail scanner (cloudtrail-scan.ts). It steps over values while checking
 * every rule `JSON.parse` checks (strings, escapes, raw control characters, numbers, literals,
 * separators) and throws {@link BAD} on the first violation; it builds only what a subclass asks
 * for: a key's code in a {@link KeyTable}, a string, or a whole value.
 *
 * Text is either a JS string, or bytes decoded as latin1 with the bytes alongside: structural
 * characters are ASCII, so positions are byte offsets, and a wanted string holding non-ASCII bytes
 * is decoded from the bytes as UTF-8.
 */

/** Thrown on malformed JSON (a shared object: no stack is captured). */
export const BAD = { bad: true };
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
const CTL = /[\x00-\x1f]/g;
const HIGH = /[\x80-\xff]/;
/** Wanted keys of one object level, grouped by length; `code` is what the caller switches on. */
export type KeyTable = { k: string; c0: number; cl: number; code: number }[][];
export function keyTable(keys: readonly string[]): KeyTable {
  const t: KeyTable = [];
  keys.forEach((k, i) => {
    (t[k.length] ??= []).push({ k, c0: k.charCodeAt(0), cl: k.charCodeAt(k.length - 1), code: i + 1 });
  });
  return t;
}

export const NO_KEYS: KeyTable = [];

/**
 * Strings recently read by {@link JsonCursor.str} for one kind of field, by slot. A cursor's
 * caller keeps one per kind of field, for all the files a thread reads (a log's values repeat
 * across its files), so fields with many distinct values do not push out those with few; a fixed
 * size keeps memory flat.
 */
export type Recent = (string | undefined)[];
export function recent(slots: number): Recent {
  // A power of two, so a hash picks a slot with a mask.
  return new Array<string | undefined>(2 ** Math.ceil(Math.log2(slots))).fill(undefined);
}

/**
 * `t[s, e)`, or the string `cache` holds with the same contents (see {@link JsonCursor.str}). A slot
 * is picked by a hash of at most 17 characters and checked by comparing the strings.
 */
export function recentSlice(t: string, s: number, e: number, cache: Recent): string {
  const len = e - s;
  let h = len;
  const step = len > 16 ? len >> 4 : 1;
  for (let j = e - 1; j >= s; j -= step) h = (Math.imul(h, 31) + t.charCodeAt(j)) | 0;
  const slot = h & (cache.length - 1);
  const v = t.slice(s, e);
  const known = cache[slot];
  if (known === v) return known;
  // An own copy: a slice would keep this whole file's text alive for as long as the slot holds it.
  return (cache[slot] = own(v));
}

/**
 * The string whose contents are `t[s, e)`, with escapes (`esc`) or non-ASCII bytes: `t` is latin1
 * of `bytes` when bytes are given and hold non-ASCII, so such contents are decoded from the bytes.
 */
export function decodedText(
  t: string,
  bytes: Buffer | undefined,
  s: number,
  e: number,
  esc: boolean,
): string {
  const raw = bytes !== undefined && HIGH.test(t.slice(s, e)) ? bytes.toString('utf8', s, e) : t.slice(s, e);
  // Never a slice of the file's text, as the cached strings: readers keep these as map keys.
  return esc ? (JSON.parse(`"${raw}"`) as string) : own(raw);
}

/** The value whose JSON text is `t[s, e)`, built by JSON.parse (decoded from `bytes` as for decodedText). */
export function rawValue(t: string, bytes: Buffer | undefined, s: number, e: number): unknown {
  const raw = t.slice(s, e);
  return JSON.parse(bytes !== undefined && HIGH.test(raw) ? bytes.toString('utf8', s, e) : raw);
}

export class JsonCursor {
  pos = 0;
  protected readonly n: number;
  /** Next backslash / control character at or after the last string start (lazily advanced). */
  protected bs = -1;
  protected ctl = -1;
  /** The last string read had escapes. */
  protected esc = false;
  /** Bytes were given and hold non-ASCII: wanted strings with such bytes are decoded as UTF-8. */
  protected readonly high: boolean;

  constructor(
    protected readonly t: string,
    protected readonly bytes: Buffer | undefined,
  ) {
    this.n = t.length;
    // isAscii is native and vectorised: a regex over the whole text costs more than the scan itself.
    this.high = bytes !== undefined && !isAscii(bytes);
    // Log files as delivered hold no control character at all (no newline either): one pass over
    // the bytes settles it for every string, where the regex would run over the text.
    if (bytes !== undefined && !hasControl(bytes)) this.ctl = this.n;
  }

  protected open(): boolean {
    this.pos++;
    this.ws();
    if (this.t.charCodeAt(this.pos) === 125) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** After a member or element: `,` (false, positioned at the next one) or `close` (true, past it). */
  protected next(close: number): boolean {
    const t = this.t;
    if (t.charCodeAt(this.pos) <= 32) this.ws();
    const c = t.charCodeAt(this.pos);
    this.pos++;
    if (c === 44) {
      if (t.charCodeAt(this.pos) <= 32) this.ws();
      return false;
    }
    if (c === close) return true;
    throw BAD;
  }

  /** Reads `"key" :` and returns its code in `table` (0: not wanted); positioned at the value. */
  protected key(table: KeyTable): number {
    const t = this.t;
    if (t.charCodeAt(this.pos) !== 34) throw BAD;
    const s = this.pos + 1;
    const e = this.stringEnd(s);
    this.pos = e + 1;
    if (t.charCodeAt(this.pos) !== 58) {
      this.ws();
      if (t.charCodeAt(this.pos) !== 58) throw BAD;
    }
    this.pos++;
    if (t.charCodeAt(this.pos) <= 32) this.ws();
    if (this.esc) {
      if (table.length === 0) return 0;
      // An escaped key (`"event\u0049D"`) is the same key once decoded.
      const k = JSON.parse(t.slice(s - 1, e + 1)) as string;
      for (const c of table[k.length] ?? []) if (c.k === k) return c.code;
      return 0;
    }
    const cands = table[e - s];
    if (cands === undefined) return 0;
    const c0 = t.charCodeAt(s);
    const cl = t.charCodeAt(e - 1);
    for (let i = 0; i < cands.length; i++) {
      const c = cands[i]!;
      if (c.c0 !== c0 || c.cl !== cl) continue;
      const k = c.k;
      let j = 1;
      while (j < k.length - 1 && k.charCodeAt(j) === t.charCodeAt(s + j)) j++;
      if (j >= k.length - 1) return c.code;
    }
    return 0;
  }

  /**
   * A string value, decoded; any other value is validated, skipped, and gives undefined.
   *
   * With a `cache`, for a field whose values repeat from record to record (a user agent, an event
   * name, a role ARN): the string read last time with the same contents is returned, so the usage
   * maps keyed by it find its hash already computed instead of hashing every character again.
   * A slot is picked by a hash of at most 17 characters and checked by comparing the strings.
   */
  protected str(cache?: Recent): string | undefined {
    const t = this.t;
    if (t.charCodeAt(this.pos) !== 34) {
      this.skip();
      return undefined;
    }
    const s = this.pos + 1;
    const e = this.stringEnd(s);
    this.pos = e + 1;
    if (this.esc || this.high) return decodedText(t, this.high ? this.bytes : undefined, s, e, this.esc);
    return cache === undefined ? t.slice(s, e) : recentSlice(t, s, e, cache);
  }

  /**
   * Any value, built as JSON.parse would (used for the few fields kept whatever their type); a
   * string through `cache` when one is given (see {@link str}).
   */
  protected any(cache?: Recent): unknown {
    if (this.t.charCodeAt(this.pos) === 34) return this.str(cache);
    const s = this.pos;
    this.skip();
    return rawValue(this.t, this.high ? this.bytes : undefined, s, this.pos);
  }

  /** Index of the quote closing the string whose contents start at `s`; validates the contents. */
  protected stringEnd(s: number): number {
    const t = this.t;
    // indexOf runs natively; the next backslash and control character are found once and reused
    // until passed (one regex pass per file when there are none, as in minified logs).
    const q = t.indexOf('"', s);
    if (q < 0) throw BAD;
    if (this.bs < s) {
      const b = t.indexOf('\\', s);
      this.bs = b < 0 ? this.n : b;
    }
    if (this.ctl < s) {
      CTL.lastIndex = s;
      const m = CTL.exec(t);
      this.ctl = m ? m.index : this.n;
    }
    if (this.bs > q) {
      if (this.ctl < q) throw BAD; // a raw control character inside the string
      this.esc = false;
      return q;
    }
    let i = s;
    // Escapes: walk the rest of the string (RFC 8259 section 7).
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        const d = t.charCodeAt(i + 1);
        if (d === 117) {
          for (let j = i + 2; j < i + 6; j++) {
            const h = t.charCodeAt(j) | 0x20; // lower-cases letters; NaN past the end gives 32
            if (!((h >= 48 && h <= 57) || (h >= 97 && h <= 102))) throw BAD;
          }
          i += 6;
          continue;
        }
        if (d !== 34 && d !== 92 && d !== 47 && d !== 98 && d !== 102 && d !== 110 && d !== 114 && d !== 116)
          throw BAD;
        i += 2;
        continue;
      }
      if (!(c >= 32)) throw BAD; // control character, or NaN at the end of the text
      i++;
    }
    this.esc = true;
    return i;
  }

  protected ws(): void {
    const t = this.t;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9) p++;
      else break;
    }
    this.pos = p;
  }

  /** Validates and steps over the value at `pos`. */
  protected skip(): void {
    const t = this.t;
    const c = t.charCodeAt(this.pos);
    if (c === 34) {
      this.pos = this.stringEnd(this.pos + 1) + 1;
    } else if (c === 123) {
      if (this.open()) return;
      for (;;) {
        this.key(NO_KEYS);
        this.skip();
        if (this.next(125)) return;
      }
    } else if (c === 91) {
      this.pos++;
      this.ws();
      if (t.charCodeAt(this.pos) === 93) {
        this.pos++;
        return;
      }
      for (;;) {
        this.skip();
        if (this.next(93)) return;
      }
    } else if (c === 116) this.literal('true');
    else if (c === 102) this.literal('false');
    else if (c === 110) this.literal('null');
    else this.number();
  }

  protected literal(word: string): void {
    if (!this.t.startsWith(word, this.pos)) throw BAD;
    this.pos += word.length;
  }

  /** `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` */
  protected number(): void {
    const t = this.t;
    let p = this.pos;
    if (t.charCodeAt(p) === 45) p++;
    const c = t.charCodeAt(p);
    if (c === 48) p++;
    else if (c >= 49 && c <= 57) p = this.digits(p);
    else throw BAD;
    if (t.charCodeAt(p) === 46) {
      if (!isDigit(t.charCodeAt(p + 1))) throw BAD;
      p = this.digits(p + 1);
    }
    const e = t.charCodeAt(p);
    if (e === 101 || e === 69) {
      p++;
      const sign = t.charCodeAt(p);
      if (sign === 43 || sign === 45) p++;
      if (!isDigit(t.charCodeAt(p))) throw BAD;
      p = this.digits(p);
    }
    this.pos = p;
  }

  protected digits(p: number): number {
    const t = this.t;
    while (isDigit(t.charCodeAt(p))) p++;
    return p;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Whether any byte is below 0x20, four bytes at a time: `(x - 0x20202020) & ~x & 0x80808080` is
 * non-zero exactly when some byte of `x` is below 0x20 (the "hasless" test of Sean Anderson's Bit
 * Twiddling Hacks, https://graphics.stanford.edu/~seander/bithacks.html#HasLessInWord).
 */
export function hasControl(b: Uint8Array): boolean {
  let i = 0;
  const n = b.length;
  // The bytes before the first 4-byte boundary, then whole words, then the rest.
  while (i < n && (b.byteOffset + i) % 4 !== 0) if (b[i++]! < 0x20) return true;
  const words = (n - i) >> 2;
  if (words > 0) {
    const u = new Uint32Array(b.buffer, b.byteOffset + i, words);
    let acc = 0;
    for (let k = 0; k < words; k++) {
      const x = u[k]!;
      acc |= (x - 0x20202020) & ~x;
    }
    if ((acc & 0x80808080) !== 0) return true;
    i += words * 4;
  }
  for (; i < n; i++) if (b[i]! < 0x20) return true;
  return false;
}
