/**
 * Where a streamed report goes: a file (the audit writes a buffer to disk as it fills) or a string
 * (tests, `renderReportFiles`). Renderers call `write` with small pieces, so a report of a million
 * findings never exists as one string or one array.
 */
export interface TextSink {
  write(chunk: string): void;
}

/** A sink that keeps everything, for small reports and tests. */
export class StringSink implements TextSink {
  private parts: string[] = [];
  write(chunk: string): void {
    this.parts.push(chunk);
  }
  toString(): string {
    const s = this.parts.join('');
    this.parts = [s];
    return s;
  }
}

/**
 * JSON text of values many findings share (a rule's title, remediation, references, framework
 * mapping): serialised once per distinct value, looked up by identity afterwards. Values are
 * compared by reference for objects and by content for strings, so a copied object is just
 * serialised again (never wrongly shared).
 */
export class JsonFragments {
  private readonly cache = new Map<unknown, string>();
  constructor(private readonly max = 10_000) {}
  of(value: unknown): string {
    let s = this.cache.get(value);
    if (s === undefined) {
      s = JSON.stringify(value) ?? 'null';
      if (this.cache.size < this.max) this.cache.set(value, s);
    }
    return s;
  }
}

/** Characters a JSON string must escape: quote, backslash, controls, and (lone) surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify` of a string, without its call cost for the common string that needs no escape. */
export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}
