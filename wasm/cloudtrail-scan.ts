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
// here, by kind of field, in fixed-size tables of recent values (lib/recent-values.ts): a field
// whose bytes are in its slot gives the slot, and the caller reuses the string it made for it, so
// most records need no new string at all.
//
// It accepts exactly what the JavaScript scanner accepts and reports the same fields, rule for rule
// (duplicate keys: the last wins; a kept field whose value is not a string is none). Anything it
// does not handle itself (an escaped key where keys are matched, deep nesting) ends the scan as
// ODD, and the caller runs the JavaScript scanner on the file instead; malformed JSON ends it as
// BAD, and the caller takes the tolerant path as it would after the JavaScript scanner.
//
// Memory: [static data, tables][input bytes + PAD zero bytes][records]. The zero bytes after the
// input stop every loop (a zero is neither whitespace, nor a token, nor allowed in a string), so
// no loop checks the end of the input.

import { BAD, esc, fail, key, next, ODD, open, pos, skip, stringEnd, why, ws } from './lib/json-cursor';
import { defineKey, keyArea } from './lib/keys';
import { forget, keep, NO_SLOT, startScan, stored, storeLogArea } from './lib/recent-values';

export { defineKey, forget, keyArea, stored, storeLogArea, why };

/** Zero bytes after the input. */
const PAD: usize = 32;

// Table numbers and the codes of their keys (1-based, the order the caller defines them in:
// cloudtrail-scan.ts's key lists).
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
// raw value (RAW set) unless it is a string. Fields 0-10 are the record's strings in T_RECORD order
// (eventVersion, eventID, eventTime, eventSource, eventName, eventType, awsRegion,
// sourceIPAddress, userAgent, errorCode, recipientAccountId).
const F_VERSION: i32 = 0;
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

// The kind of each field (F_ order), for its table of recent values: 1 names and codes, 2
// addresses, 3 user agents, 4 identities, 5 resources, 6 times, 7 session ARNs and principal ids,
// 8 access key ids; 0 (never kept) for the event id and the S3 object key, new in every record.
const fieldKind: usize = memory.data<u8>([
  1, 0, 6, 1, 1, 1, 1, 2, 3, 1, 1, 1, 1, 7, 7, 8, 4, 4, 4, 5, 1, 1, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 0, 5, 5, 5,
]);

// A record's words: its kind, then (start, end, info) per field, start -1 for none. Positions are
// byte offsets in the input. Kind: 0 not an object; 1 object; +2 userIdentity is an object; +4
// requestParameters is an object.
const H_KIND: usize = 0;
const H_FIELDS: usize = 4;
const RECORD_BYTES: usize = H_FIELDS + <usize>FIELDS * 12;
// Info: the slot of a kept value (NO_SLOT: none), and what the caller must know to decode it.
const ESC: i32 = 1 << 24; // the string holds escapes
const RAW: i32 = 1 << 25; // not a string: the value's JSON text
const TRUE: i32 = 1 << 26; // with RAW: the value is the literal true (FALSE, NULL likewise)
const FALSE: i32 = 1 << 27;
const NULL: i32 = 1 << 28;

let base: usize = 0; // input start
let end: usize = 0; // input end
let out: usize = 0; // next record's address
let rec: usize = 0; // current record's address

/** Makes room for `len` input bytes (and their records) and returns where the caller writes them. */
export function input(len: i32): usize {
  base = (__heap_base + 15) & ~15; // after all static data
  // Records are at most one per two bytes of input ("{}"), but few files come near that: room
  // for one record per 256 bytes first, more as needed (see room()).
  grow(base + <usize>len + PAD + (<usize>len / 256 + 16) * RECORD_BYTES);
  return base;
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

/**
 * Scans `len` bytes at input(): the number of records, their words from records(). A negative
 * result is -BAD or -ODD; a trap leaves the reason in `why`.
 */
export function scan(len: i32): i32 {
  why = 0;
  startScan();
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
  const kind = <i32>load<u8>(fieldKind + <usize>f);
  store<i32>(a + 8, esc ? ESC | NO_SLOT : keep(kind, s, <i32>(e - s), <i32>(s - base)));
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

