import { readFileSync } from 'node:fs';
import { NOT_OBJECT, PARAM_KEYS, TrailRecord, type ParamValues } from './cloudtrail-record.js';
import { LEVEL_KEYS, type Scanned } from './cloudtrail-scan-fields.js';

/**
 * The CloudTrail scanner's walk in WebAssembly (wasm/cloudtrail-scan.ts, built to
 * dist/wasm/cloudtrail-scan.wasm by `npm run build`): it validates a log file's bytes as the
 * JavaScript scanner does and gives, per record, where each kept field lies, or the slot of its
 * value in the scanner's tables of recent values; this side builds the records from those, making
 * a string once per value a table holds.
 *
 * Without the built module (a run from the sources before any build) every file goes to the
 * JavaScript scanner, which gives the same records.
 */

/** The WebAssembly scanner did not decide: the JavaScript scanner must read the file. */
export const WASM_CANNOT = Symbol('wasm scanner cannot read this file');

const MODULE_URL = new URL('../../../dist/wasm/cloudtrail-scan.wasm', import.meta.url);
/** Results of `scan` (negated) and of the `why` global after a trap. */
const BAD = 1;
const ODD = 2;
/** Words of one record: its kind, then (start, end, info) per field. */
const FIELDS = 36;
const WORDS = 1 + FIELDS * 3;
/** Info word: the slot of a kept value (NO_SLOT: none), escapes, raw JSON text. */
const NO_SLOT = 0xffffff;
const ESC = 1 << 24;
const RAW = 1 << 25;
const TRUE = 1 << 26;
const FALSE = 1 << 27;
const NULL = 1 << 28;
/** The scanner's tables of recent values: kinds times slots per kind. */
const SLOTS = 9 * 2048;
/** A thread keeps at most this much WebAssembly memory between files (memory cannot shrink). */
const KEEP_BYTES = 64 * 2 ** 20;

// TypeScript declares WebAssembly in its DOM library only, which this build leaves out.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

interface ScanExports {
  memory: { buffer: ArrayBuffer };
  why: { value: number };
  stored: { value: number };
  keyArea(): number;
  defineKey(table: number, len: number): number;
  input(len: number): number;
  records(): number;
  storeLogArea(): number;
  forget(): void;
  scan(len: number): number;
}

/** A scanner instance and the strings of the values its tables hold, by slot. */
interface Scanner {
  ex: ScanExports;
  strings: (string | undefined)[];
}

let compiled: object | null | undefined;
let instance: Scanner | undefined;

/** This thread's scanner, made on first use; undefined when the module is not built. */
function scanner(): Scanner | undefined {
  if (instance) return instance;
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(readFileSync(MODULE_URL));
    } catch {
      compiled = null;
    }
  }
  if (compiled === null) return undefined;
  const ex = new WebAssembly.Instance(compiled, {}).exports as unknown as ScanExports;
  LEVEL_KEYS.forEach((keys, i) => {
    for (const k of keys) {
      new Uint8Array(ex.memory.buffer, ex.keyArea(), k.length).set(Buffer.from(k, 'latin1'));
      if (ex.defineKey(i + 1, k.length) < 0) throw new Error(`wasm scanner: key table ${i + 1} is full`);
    }
  });
  return (instance = { ex, strings: new Array<string | undefined>(SLOTS).fill(undefined) });
}

/** Whether the built WebAssembly scanner is there (the tests check that a build has one). */
export function wasmScannerBuilt(): boolean {
  return scanner() !== undefined;
}

/**
 * The file's records, as scanTrailFile gives them; undefined for a file the tolerant path must
 * read; {@link WASM_CANNOT} when the JavaScript scanner must read it instead.
 */
export function scanWithWasm(bytes: Buffer): Scanned | undefined | typeof WASM_CANNOT {
  const sc = scanner();
  // Positions are 32-bit in the module; a file this large is not a log file CloudTrail writes.
  if (sc === undefined || bytes.length >= 2 ** 30) return WASM_CANNOT;
  const ex = sc.ex;
  let n: number;
  try {
    const at = ex.input(bytes.length);
    new Uint8Array(ex.memory.buffer, at, bytes.length).set(bytes);
    n = ex.scan(bytes.length);
  } catch {
    // A trap: malformed JSON (BAD), or something left to the JavaScript scanner (ODD, or the
    // stack, or memory that could not grow).
    n = -(ex.why.value || ODD);
  }
  let out: Scanned | undefined | typeof WASM_CANNOT;
  if (n < 0) {
    ex.forget();
    out = n === -BAD ? undefined : WASM_CANNOT;
  } else {
    // The values the scan stored in its tables first: records name them by slot.
    const log = new Int32Array(ex.memory.buffer, ex.storeLogArea(), ex.stored.value * 3);
    for (let i = 0; i < log.length; i += 3)
      sc.strings[log[i]!] = bytes.toString('utf8', log[i + 1], log[i + 2]);
    const words = new Int32Array(ex.memory.buffer, ex.records(), n * WORDS);
    out = new RecordBuilder(words, bytes, sc.strings).all(n);
  }
  if (ex.memory.buffer.byteLength > KEEP_BYTES) instance = undefined;
  return out;
}

const F_PARAMS = 22;

/** Builds TrailRecords from the scanner's words, as the JavaScript scanner builds them. */
class RecordBuilder {
  /** The current record's first word. */
  private b = 0;

  constructor(
    private readonly w: Int32Array,
    private readonly bytes: Buffer,
    private readonly strings: readonly (string | undefined)[],
  ) {}

  all(n: number): Scanned {
    const out: Scanned = new Array<TrailRecord | typeof NOT_OBJECT>(n);
    for (let i = 0; i < n; i++) {
      this.b = i * WORDS;
      out[i] = this.record();
    }
    return out;
  }

  private record(): TrailRecord | typeof NOT_OBJECT {
    const kind = this.w[this.b]!;
    if ((kind & 1) === 0) return NOT_OBJECT;
    const r = new TrailRecord();
    r.eventVersion = this.str(0);
    r.eventID = this.str(1);
    r.eventTime = this.str(2);
    r.eventSource = this.str(3);
    r.eventName = this.str(4);
    r.eventType = this.str(5);
    r.awsRegion = this.str(6);
    r.sourceIPAddress = this.str(7);
    r.userAgent = this.str(8);
    r.errorCode = this.str(9);
    r.recipientAccountId = this.str(10);
    r.readOnly = this.any(11);
    if ((kind & 2) !== 0) {
      r.hasIdentity = true;
      r.idType = this.any(12);
      r.idArn = this.str(13);
      r.idPrincipalId = this.any(14);
      r.idAccessKeyId = this.str(15);
      r.idInvokedBy = this.str(16);
      r.idUserName = this.str(17);
      r.issuerArn = this.str(18);
    }
    r.resourceArn = this.str(19);
    r.consoleLogin = this.str(20);
    r.mfaUsed = this.str(21);
    if ((kind & 4) !== 0) {
      const p: ParamValues = {};
      for (let k = 0; k < PARAM_KEYS.length; k++) {
        const v = this.str(F_PARAMS + k);
        if (v !== undefined) p[PARAM_KEYS[k]!] = v;
      }
      r.params = p;
    }
    return r;
  }

  /**
   * Field `f`'s string, undefined when the record has none (or its value is not a string). Bytes
   * are decoded as UTF-8: the same string as latin1 for ASCII, and right for the rest.
   */
  private str(f: number): string | undefined {
    const w = this.w;
    const at = this.b + 1 + 3 * f;
    const s = w[at]!;
    if (s < 0) return undefined;
    const info = w[at + 2]!;
    const slot = info & NO_SLOT;
    if (slot !== NO_SLOT) return this.strings[slot];
    const text = this.bytes.toString('utf8', s, w[at + 1]);
    return (info & ESC) !== 0 ? (JSON.parse(`"${text}"`) as string) : text;
  }

  /** Field `f`'s value whatever its type: a string as {@link str}, else built by JSON.parse. */
  private any(f: number): unknown {
    const w = this.w;
    const at = this.b + 1 + 3 * f;
    const info = w[at + 2]!;
    if (w[at]! < 0 || (info & RAW) === 0) return this.str(f);
    if ((info & TRUE) !== 0) return true;
    if ((info & FALSE) !== 0) return false;
    if ((info & NULL) !== 0) return null;
    return JSON.parse(this.bytes.toString('utf8', w[at], w[at + 1]));
  }
}
