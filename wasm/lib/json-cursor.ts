// The JSON grammar (RFC 8259, https://www.rfc-editor.org/rfc/rfc8259) over the input bytes, as
// src/connectors/aws/cloudtrail-json-cursor.ts walks it in JavaScript: each step checks what
// JSON.parse checks and traps on the first violation, with the reason in `why`. The input ends in
// zero bytes (see cloudtrail-scan.ts), which stop every loop.

import { keyCode } from './keys';

/** Trap reasons (and, negated, scan results): malformed JSON; left to the JavaScript scanner. */
export const BAD: i32 = 1;
export const ODD: i32 = 2;
/** Nesting the walk steps into before it leaves the file to the JavaScript scanner. */
const MAX_DEPTH: i32 = 512;

/** The cursor (the scanner moves it too, as it reads the fields it keeps). */
export let pos: usize = 0;
/** The last string read held an escape. */
export let esc: bool = false;
export let why: i32 = 0;

export function fail(kind: i32): void {
  why = kind;
  unreachable();
}

/** At `{`: steps in; true if the object is empty (and steps past it). */
export function open(): bool {
  pos++;
  ws();
  if (load<u8>(pos) == 125) {
    pos++;
    return true;
  }
  return false;
}

/** After a member or element: `,` (false, at the next one) or `close` (true, past it). */
export function next(close: u32): bool {
  if (load<u8>(pos) <= 32) ws();
  const c = <u32>load<u8>(pos);
  pos++;
  if (c == 44) {
    if (load<u8>(pos) <= 32) ws();
    return false;
  }
  if (c == close) return true;
  fail(BAD);
  return false;
}

/** Reads `"key" :` and returns its code in `table` (0: not wanted, and table 0 matches nothing); positioned at the value. */
export function key(table: i32): i32 {
  if (load<u8>(pos) != 34) fail(BAD);
  const s = pos + 1;
  const e = stringEnd(s);
  pos = e + 1;
  if (load<u8>(pos) != 58) {
    ws();
    if (load<u8>(pos) != 58) fail(BAD);
  }
  pos++;
  if (load<u8>(pos) <= 32) ws();
  if (table == 0) return 0;
  // An escaped key (`"event\u0049D"`) is the same key once decoded: the JavaScript scanner's job.
  if (esc) fail(ODD);
  return keyCode(table, s, <i32>(e - s));
}

/**
 * Index of the quote closing the string whose contents start at `s`; validates the contents
 * (RFC 8259 section 7) and sets `esc`. Sixteen bytes at a time while there is no quote, backslash
 * or control character among them.
 */
export function stringEnd(s: usize): usize {
  let p = s;
  const quote = i8x16.splat(34);
  const slash = i8x16.splat(92);
  const space = i8x16.splat(32);
  esc = false;
  while (true) {
    const v = v128.load(p);
    const m = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, slash)), i8x16.lt_u(v, space)));
    if (m == 0) {
      p += 16;
      continue;
    }
    p += <usize>ctz(m);
    const c = load<u8>(p);
    if (c == 34) return p;
    if (c < 32) fail(BAD); // a raw control character, or the end of the input
    // A backslash.
    esc = true;
    const d = load<u8>(p + 1);
    if (d == 117) {
      for (let j: usize = 2; j < 6; j++) {
        const h = load<u8>(p + j) | 0x20;
        if (!((h >= 48 && h <= 57) || (h >= 97 && h <= 102))) fail(BAD);
      }
      p += 6;
    } else if (d == 34 || d == 92 || d == 47 || d == 98 || d == 102 || d == 110 || d == 114 || d == 116) p += 2;
    else fail(BAD);
  }
}

export function ws(): void {
  let p = pos;
  while (true) {
    const c = load<u8>(p);
    if (c == 32 || c == 10 || c == 13 || c == 9) p++;
    else break;
  }
  pos = p;
}

/** Validates and steps over the value at `pos`. */
export function skip(depth: i32): void {
  const c = load<u8>(pos);
  if (c == 34) {
    pos = stringEnd(pos + 1) + 1;
  } else if (c == 123) {
    if (open()) return;
    if (depth >= MAX_DEPTH) fail(ODD);
    while (true) {
      key(0);
      skip(depth + 1);
      if (next(125)) return;
    }
  } else if (c == 91) {
    pos++;
    ws();
    if (load<u8>(pos) == 93) {
      pos++;
      return;
    }
    if (depth >= MAX_DEPTH) fail(ODD);
    while (true) {
      skip(depth + 1);
      if (next(93)) return;
    }
  } else if (c == 116) {
    if (load<u32>(pos) != 0x65757274) fail(BAD); // "true"
    pos += 4;
  } else if (c == 102) {
    if (load<u32>(pos + 1) != 0x65736c61) fail(BAD); // "alse"
    pos += 5;
  } else if (c == 110) {
    if (load<u32>(pos) != 0x6c6c756e) fail(BAD); // "null"
    pos += 4;
  } else number();
}

/** `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` */
function number(): void {
  let p = pos;
  if (load<u8>(p) == 45) p++;
  const c = load<u8>(p);
  if (c == 48) p++;
  else if (c >= 49 && c <= 57) p = digits(p);
  else fail(BAD);
  if (load<u8>(p) == 46) {
    if (!isDigit(load<u8>(p + 1))) fail(BAD);
    p = digits(p + 1);
  }
  const e = load<u8>(p);
  if (e == 101 || e == 69) {
    p++;
    const sign = load<u8>(p);
    if (sign == 43 || sign == 45) p++;
    if (!isDigit(load<u8>(p))) fail(BAD);
    p = digits(p);
  }
  pos = p;
}

@inline
function digits(p: usize): usize {
  while (isDigit(load<u8>(p))) p++;
  return p;
}

@inline
function isDigit(c: u32): bool {
  return c - 48 < 10;
}
