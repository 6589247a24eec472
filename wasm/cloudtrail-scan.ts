// AssemblyScript (https://www.assemblyscript.org), compiled to dist/wasm/cloudtrail-scan.wasm by
// scripts/build-wasm.mjs: the grammar half of the CloudTrail scanner for WebAssembly.
//
// src/connectors/aws/cloudtrail-scan.ts walks a log file `{"Records": [...]}` in JavaScript,
// validating every value against the JSON grammar and keeping a few fields of each record. This
// module does the same walk over the file's bytes and writes, for every record, where each kept
// field's string (or raw value) lies; the JavaScript side (cloudtrail-scan-wasm.ts) then builds
// the records from those positions. Byte loops run several times faster here than character loops
// in JavaScript, and WebAssembly is memory-safe: a hostile file can at worst trap, and a trap falls
// back to the JavaScript scanner.
//
// Strings whose values repeat from record to record (event names, user agents, role ARNs) are kept
// here, by kind of field, in fixed-size tables of recent values: a field whose bytes are in its
// slot gives the slot, and the caller reuses the string it made for it (see `str`), so most
// records need no new string at all.
//
// It accepts exactly what the JavaScript scanner accepts and reports the same fields, rule for rule
// (duplicate keys: the last wins; a kept field whose value is not a string is none). Anything it
// does not handle itself (an escaped key where keys are matched, nesting deeper than MAX_DEPTH)
// ends the scan as ODD, and the caller runs the JavaScript scanner on the file instead; malformed
// JSON ends it as BAD, and the caller takes the tolerant path as it would after the JavaScript
// scanner.
//
// Memory: [static data, tables][input bytes + PAD zero bytes][records]. The zero bytes after the input
// stop every loop (a zero is neither whitespace, nor a token, nor allowed in a string), so no
// loop checks the end of the input.

/** Scan results (the `why` global after a trap, or scan's return when negative). */
const BAD: i32 = 1;
const ODD: i32 = 2;
const PAD: usize = 32;
const MAX_DEPTH: i32 = 512;

/** Key tables, as defined by the caller with defineKey: MAX_KEYS keys of at most KEY_BYTES each per table. */
const TABLES: i32 = 16;
const MAX_KEYS: i32 = 32;
const KEY_BYTES: i32 = 64;
const keyCount: usize = memory.data(TABLES * 4);
const keyLen: usize = memory.data(TABLES * MAX_KEYS * 4);
// Slot 0 is where the caller writes a key; table t's key i is at slot 1 + t * MAX_KEYS + i.
const keyText: usize = memory.data((TABLES * MAX_KEYS + 1) * KEY_BYTES);

// Table numbers and the codes of their keys (1-based, the order the caller defines them in:
// cloudtrail-scan.ts's key lists).
const T_NONE: i32 = 0;
const T_TOP: i32 = 1;
const T_RECORD: i32 = 2;
const T_IDENTITY: i32 = 3;
const T_SESSION: i32 = 4;
const T_ARN_LOWER: i32 = 5;
const T_ARN_UPPER: i32 = 6;
const T_CONSOLE: i32 = 7;
const T_MFA: i32 = 8;
const T_PARAMS: i32 = 9;

// Fields of a record, in output order: string fields give the string's contents, ANY fields the
// raw value (RAW bit set) unless it is a string.
const F_VERSION: i32 = 0;
const F_ID: i32 = 1;
const F_TIME: i32 = 2;
const F_SOURCE: i32 = 3;
const F_NAME: i32 = 4;
const F_TYPE: i32 = 5;
const F_REGION: i32 = 6;
const F_ADDRESS: i32 = 7;
const F_AGENT: i32 = 8;
const F_ERROR: i32 = 9;
const F_ACCOUNT: i32 = 10;
const F_READ_ONLY: i32 = 11; // any
const F_ID_TYPE: i32 = 12; // any
const F_ID_ARN: i32 = 13;
const F_ID_PRINCIPAL: i32 = 14; // any
const F_ID_KEY: i32 = 15;
const F_ID_INVOKED_BY: i32 = 16;
const F_ID_USER: i32 = 17;
const F_ISSUER_ARN: i32 = 18;
const F_RESOURCE_ARN: i32 = 19;
const F_CONSOLE: i32 = 20;
const F_MFA: i32 = 21;
const F_PARAMS: i32 = 22; // 14 request parameters, in T_PARAMS order
const FIELDS: i32 = 36;

// Kinds of field, each with its own table of recent values, so that a field whose values are
// new in most records (a session's access key in some logs, event times in busy ones) pushes out
// only its own (0: never kept, as event ids are new in every record).
const KINDS: i32 = 9;
const SLOTS: i32 = 2048;
/** A slot: length (-1: empty), the scan that last used it, then the bytes. */
const SLOT_BYTES: i32 = 384;
const SLOT_MAX: i32 = SLOT_BYTES - 8;
const slotArea: usize = memory.data(KINDS * SLOTS * SLOT_BYTES, 8);
// The kind of each field (F_ order): 1 names and codes, 2 addresses, 3 user agents, 4 identities,
// 5 resources, 6 times, 7 session ARNs and principal ids, 8 access key ids; 0 for the event id
// and the S3 object key.
const fieldKind: usize = memory.data<u8>([
  1, 0, 6, 1, 1, 1, 1, 2, 3, 1, 1, 1, 1, 7, 7, 8, 4, 4, 4, 5, 1, 1, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 0, 5, 5, 5,
]);
/** Slots stored by the current scan: (slot, start, end) each, in the order stored. */
const storeLog: usize = memory.data(KINDS * SLOTS * 12, 8);
export let stored: i32 = 0;
let scanId: i32 = 0;

// A record's words: its kind, then (start, end, info) per field, start -1 for none. Positions are
// byte offsets in the input. Kind: 0 not an object; 1 object; +2 userIdentity is an object; +4
// requestParameters is an object.
const H_KIND: usize = 0;
const H_FIELDS: usize = 4;
const RECORD_BYTES: usize = H_FIELDS + <usize>FIELDS * 12;
// Info: the slot of a kept value (NO_SLOT: none), and what the caller must know to decode it.
const NO_SLOT: i32 = 0xffffff;
const ESC: i32 = 1 << 24; // the string holds escapes
const RAW: i32 = 1 << 25; // not a string: the value's JSON text
const TRUE: i32 = 1 << 26; // with RAW: the value is the literal true (FALSE, NULL likewise)
const FALSE: i32 = 1 << 27;
const NULL: i32 = 1 << 28;

let base: usize = 0; // input start
let end: usize = 0; // input end
let pos: usize = 0;
let out: usize = 0; // next record's address
let rec: usize = 0; // current record's address
let esc: bool = false; // the last string read held an escape
export let why: i32 = 0;

/** Address of the key text area, where the caller writes a key before defineKey. */
export function keyArea(): usize {
  return keyText;
}

/** Adds the key at keyArea() (`len` bytes) to `table`; its code is its order in the table. */
export function defineKey(table: i32, len: i32): i32 {
  const n = load<i32>(keyCount + <usize>table * 4);
  if (n >= MAX_KEYS || len > KEY_BYTES || len < 1) return -1;
  const slot = <usize>(table * MAX_KEYS + n);
  memory.copy(keyText + (slot + 1) * <usize>KEY_BYTES, keyText, len);
  store<i32>(keyLen + slot * 4, len);
  store<i32>(keyCount + <usize>table * 4, n + 1);
  return n + 1;
}

/** Makes room for `len` input bytes (and their records) and returns where the caller writes them. */
export function input(len: i32): usize {
  if (scanId == 0) for (let i = 0; i < KINDS * SLOTS; i++) store<i32>(slotArea + <usize>i * SLOT_BYTES, -1);
  base = (__heap_base + 15) & ~15; // after all static data
  // Records are at most one per two bytes of input ("{}"), but few files come near that: room
  // for one record per 256 bytes first, more as needed (see room()).
  grow(base + <usize>len + PAD + (<usize>len / 256 + 16) * RECORD_BYTES);
  return base;
}

/** Empties the slots the last scan stored: after a failed scan, whose log the caller does not read. */
export function forget(): void {
  for (let i = 0; i < stored; i++) {
    const slot = load<i32>(storeLog + <usize>i * 12);
    store<i32>(slotArea + <usize>slot * SLOT_BYTES, -1);
  }
  stored = 0;
}

/** Address of the log of slots the last scan stored. */
export function storeLogArea(): usize {
  return storeLog;
}

/** Address of the first record. */
export function records(): usize {
  return (end + PAD + 15) & ~15;
}

function grow(bytes: usize): void {
  const have = <usize>memory.size() << 16;
  if (bytes > have) {
    if (memory.grow(<i32>((bytes - have + 0xffff) >> 16)) < 0) fail(ODD);
  }
}

function fail(kind: i32): void {
  why = kind;
  unreachable();
}

/**
 * Scans `len` bytes at input(): the number of records, their words from records(). A negative
 * result is -BAD or -ODD; a trap leaves the reason in `why`.
 */
export function scan(len: i32): i32 {
  why = 0;
  stored = 0;
  scanId++;
  end = base + <usize>len;
  memory.fill(end, 0, PAD);
  pos = base;
  out = records();
  // A UTF-8 byte order mark.
  if (len >= 3 && load<u8>(pos) == 0xef && load<u8>(pos + 1) == 0xbb && load<u8>(pos + 2) == 0xbf) pos += 3;
  ws();
  if (load<u8>(pos) != 123) return -BAD;
  pos++;
  let n: i32 = -1;
  ws();
  if (load<u8>(pos) == 125) pos++;
  else
    while (true) {
      if (key(T_TOP) == 1) {
        // A second or non-array `Records`: JSON.parse semantics are the tolerant path's job.
        if (n >= 0 || load<u8>(pos) != 91) return -BAD;
        n = recordList();
      } else skip(0);
      if (next(125)) break;
    }
  ws();
  if (pos != end) return -BAD;
  return n < 0 ? -BAD : n;
}

function recordList(): i32 {
  let n = 0;
  pos++;
  ws();
  if (load<u8>(pos) == 93) {
    pos++;
    return 0;
  }
  while (true) {
    room();
    rec = out;
    out += RECORD_BYTES;
    n++;
    if (load<u8>(pos) == 123) record();
    else {
      store<i32>(rec + H_KIND, 0);
      skip(0);
    }
    if (next(93)) return n;
  }
}

/** Memory for one more record. */
function room(): void {
  const have = <usize>memory.size() << 16;
  if (out + RECORD_BYTES > have) grow(out + RECORD_BYTES + (out - base));
}

function record(): void {
  const r = rec;
  for (let f = 0; f < FIELDS; f++) store<i32>(r + H_FIELDS + <usize>f * 12, -1);
  store<i32>(r + H_KIND, 1);
  if (open()) return;
  while (true) {
    const code = key(T_RECORD);
    // Codes: cloudtrail-scan.ts RECORD_KEYS order.
    if (code >= 1 && code <= 11) str(F_VERSION + code - 1);
    else if (code == 12) any(F_READ_ONLY);
    else if (code == 13) identity();
    else if (code == 14) resources();
    else if (code == 15) requestParameters();
    else if (code == 16) field(T_CONSOLE, F_CONSOLE);
    else if (code == 17) field(T_MFA, F_MFA);
    else skip(0);
    if (next(125)) return;
  }
}

function identity(): void {
  // A repeated `userIdentity` replaces the first one entirely (JSON.parse: the last key wins).
  for (let f = F_ID_TYPE; f <= F_ISSUER_ARN; f++) none(f);
  const r = rec;
  store<i32>(r + H_KIND, load<i32>(r + H_KIND) & ~2);
  if (load<u8>(pos) != 123) {
    skip(0);
    return;
  }
  store<i32>(r + H_KIND, load<i32>(r + H_KIND) | 2);
  if (open()) return;
  while (true) {
    const code = key(T_IDENTITY);
    if (code == 1) any(F_ID_TYPE);
    else if (code == 2) str(F_ID_ARN);
    else if (code == 3) any(F_ID_PRINCIPAL);
    else if (code == 4) str(F_ID_KEY);
    else if (code == 5) str(F_ID_INVOKED_BY);
    else if (code == 6) str(F_ID_USER);
    else if (code == 7) sessionContext();
    else skip(0);
    if (next(125)) return;
  }
}

function sessionContext(): void {
  none(F_ISSUER_ARN);
  if (load<u8>(pos) != 123) {
    skip(0);
    return;
  }
  if (open()) return;
  while (true) {
    if (key(T_SESSION) == 1) field(T_ARN_LOWER, F_ISSUER_ARN);
    else skip(0);
    if (next(125)) return;
  }
}

/** `resources[0].ARN` when `resources` is an array whose first element is an object. */
function resources(): void {
  none(F_RESOURCE_ARN);
  if (load<u8>(pos) != 91) {
    skip(0);
    return;
  }
  pos++;
  ws();
  if (load<u8>(pos) == 93) {
    pos++;
    return;
  }
  field(T_ARN_UPPER, F_RESOURCE_ARN);
  while (true) {
    if (next(93)) return;
    skip(0);
  }
}

function requestParameters(): void {
  const r = rec;
  for (let f = F_PARAMS; f < FIELDS; f++) none(f);
  if (load<u8>(pos) != 123) {
    store<i32>(r + H_KIND, load<i32>(r + H_KIND) & ~4);
    skip(0);
    return;
  }
  store<i32>(r + H_KIND, load<i32>(r + H_KIND) | 4);
  if (open()) return;
  while (true) {
    const code = key(T_PARAMS);
    if (code > 0) str(F_PARAMS + code - 1);
    else skip(0);
    if (next(125)) return;
  }
}

/** The string value of one key of an object value into field `f` (none if not an object or no such string). */
function field(table: i32, f: i32): void {
  none(f);
  if (load<u8>(pos) != 123) {
    skip(0);
    return;
  }
  if (open()) return;
  while (true) {
    if (key(table) == 1) str(f);
    else skip(0);
    if (next(125)) return;
  }
}

@inline
function none(f: i32): void {
  store<i32>(rec + H_FIELDS + <usize>f * 12, -1);
}

/** A string value's contents into field `f`; any other value is validated, skipped, and gives none. */
function str(f: i32): void {
  if (load<u8>(pos) != 34) {
    skip(0);
    none(f);
    return;
  }
  const s = pos + 1;
  const e = stringEnd(s);
  pos = e + 1;
  const a = rec + H_FIELDS + <usize>f * 12;
  store<i32>(a, <i32>(s - base));
  store<i32>(a + 4, <i32>(e - base));
  store<i32>(a + 8, esc ? ESC | NO_SLOT : keep(f, s, <i32>(e - s)));
}

/**
 * The slot of field `f`'s value `len` bytes at `s` in its kind's table: found there, or stored
 * there now (and logged, so the caller makes its string before it reads the records). A slot
 * keeps the first value a scan finds or stores in it, so every record that names the slot means
 * the same value; a colliding value gets no slot for the rest of the scan.
 */
function keep(f: i32, s: usize, len: i32): i32 {
  const kind = <i32>load<u8>(fieldKind + <usize>f);
  if (kind == 0 || len > SLOT_MAX) return NO_SLOT;
  // A hash of at most 17 bytes, from the end (values of one kind often share a long prefix).
  let h: u32 = <u32>len;
  const step: i32 = len > 16 ? len >> 4 : 1;
  for (let j = len - 1; j >= 0; j -= step) h = h * 31 + <u32>load<u8>(s + <usize>j);
  const slot = kind * SLOTS + <i32>(h & <u32>(SLOTS - 1));
  const a = slotArea + <usize>slot * SLOT_BYTES;
  if (load<i32>(a) == len && same(a + 8, s, len)) {
    store<i32>(a + 4, scanId);
    return slot;
  }
  if (load<i32>(a + 4) == scanId) return NO_SLOT;
  store<i32>(a, len);
  store<i32>(a + 4, scanId);
  memory.copy(a + 8, s, <usize>len);
  const l = storeLog + <usize>stored * 12;
  store<i32>(l, slot);
  store<i32>(l + 4, <i32>(s - base));
  store<i32>(l + 8, <i32>(s - base) + len);
  stored++;
  return slot;
}

/** Whether `len` bytes at `a` and `b` are the same. */
function same(a: usize, b: usize, len: i32): bool {
  let i: usize = 0;
  const n = <usize>len;
  for (; i + 8 <= n; i += 8) if (load<u64>(a + i) != load<u64>(b + i)) return false;
  for (; i < n; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}

/** Any value into field `f`: a string as str() gives it, anything else as its JSON text (RAW). */
function any(f: i32): void {
  if (load<u8>(pos) == 34) {
    str(f);
    return;
  }
  const s = pos;
  const c = load<u8>(s);
  skip(0);
  const a = rec + H_FIELDS + <usize>f * 12;
  store<i32>(a, <i32>(s - base));
  store<i32>(a + 4, <i32>(pos - base));
  // Literals are told apart here: the caller then builds nothing (skip checked their spelling).
  store<i32>(a + 8, RAW | NO_SLOT | (c == 116 ? TRUE : c == 102 ? FALSE : c == 110 ? NULL : 0));
}

/** At `{`: steps in; true if the object is empty (and steps past it). */
function open(): bool {
  pos++;
  ws();
  if (load<u8>(pos) == 125) {
    pos++;
    return true;
  }
  return false;
}

/** After a member or element: `,` (false, at the next one) or `close` (true, past it). */
function next(close: u32): bool {
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

/** Reads `"key" :` and returns its code in `table` (0: not wanted); positioned at the value. */
function key(table: i32): i32 {
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
  if (table == T_NONE) return 0;
  // An escaped key (`"event\u0049D"`) is the same key once decoded: the JavaScript scanner's job.
  if (esc) fail(ODD);
  const len = <i32>(e - s);
  const n = load<i32>(keyCount + <usize>table * 4);
  for (let i = 0; i < n; i++) {
    const slot = <usize>(table * MAX_KEYS + i);
    if (load<i32>(keyLen + slot * 4) != len) continue;
    if (memory.compare(keyText + (slot + 1) * <usize>KEY_BYTES, s, <usize>len) == 0) return i + 1;
  }
  return 0;
}

/**
 * Index of the quote closing the string whose contents start at `s`; validates the contents
 * (RFC 8259 section 7) and sets `esc`. Sixteen bytes at a time while there is no quote, backslash
 * or control character among them.
 */
function stringEnd(s: usize): usize {
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

function ws(): void {
  let p = pos;
  while (true) {
    const c = load<u8>(p);
    if (c == 32 || c == 10 || c == 13 || c == 9) p++;
    else break;
  }
  pos = p;
}

/** Validates and steps over the value at `pos`. */
function skip(depth: i32): void {
  const c = load<u8>(pos);
  if (c == 34) {
    pos = stringEnd(pos + 1) + 1;
  } else if (c == 123) {
    if (open()) return;
    if (depth >= MAX_DEPTH) fail(ODD);
    while (true) {
      key(T_NONE);
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
