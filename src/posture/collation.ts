/**
 * `String.prototype.localeCompare` order, fast, for sorting a million findings.
 *
 * Ranking ties fall back to `a.localeCompare(b)` (ICU collation of the default locale), which costs
 * about a microsecond a call: sorting a million findings makes twenty million of them. Most
 * subjects are plain ASCII (ARNs, e-mail addresses, key ids). For those ICU's root collation is a
 * character-by-character comparison of primary weights (no contractions, punctuation not ignored,
 * https://unicode.org/reports/tr10/#Non-Ignorable), with case deciding only between otherwise equal
 * strings. So a string of lower-case letters, digits and ASCII punctuation gets a key, each
 * character replaced by its rank in the collator's own order (measured here, not assumed), and
 * keys compare with `<`. Anything else (upper case, non-ASCII) has no key and is compared with
 * `localeCompare`, so the order is exactly `localeCompare`'s either way (checked by a test over
 * random strings).
 */
const collator = new Intl.Collator();

/** Rank (as a char code from 0x21 up: keys stay one-byte strings) of each keyable character. */
const RANK: (number | undefined)[] = (() => {
  const chars: string[] = [];
  for (let c = 0x20; c < 0x7f; c++) {
    const ch = String.fromCharCode(c);
    if (ch >= 'A' && ch <= 'Z') continue;
    chars.push(ch);
  }
  chars.sort((a, b) => collator.compare(a, b) || (a < b ? -1 : 1));
  const out: (number | undefined)[] = new Array<number | undefined>(0x80).fill(undefined);
  for (let k = 0; k < chars.length; k++) {
    const ch = chars[k]!;
    // Characters the collator does not order strictly (ignorable, or equal to another) are left
    // to localeCompare.
    const prev = chars[k - 1];
    const next = chars[k + 1];
    if (
      (prev !== undefined && collator.compare(prev, ch) >= 0) ||
      (next !== undefined && collator.compare(ch, next) >= 0)
    )
      continue;
    if (collator.compare(ch, '') === 0) continue;
    out[ch.charCodeAt(0)] = 0x21 + k;
  }
  return out;
})();

/** The sort key of a string, or undefined when it has characters only localeCompare can order. */
export function collationKey(s: string): string | undefined {
  const codes: number[] = new Array<number>(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const r = c < 0x80 ? RANK[c] : undefined;
    if (r === undefined) return undefined;
    codes[i] = r;
  }
  return String.fromCharCode(...codes);
}

/**
 * Compares like `a.localeCompare(b)`, using the keys when both strings have one, else the shared
 * collator (same locale and options as `localeCompare`, without building one per call).
 */
export function compareKeyed(a: string, ka: string | undefined, b: string, kb: string | undefined): number {
  if (ka !== undefined && kb !== undefined) return ka < kb ? -1 : ka > kb ? 1 : 0;
  return collator.compare(a, b);
}
