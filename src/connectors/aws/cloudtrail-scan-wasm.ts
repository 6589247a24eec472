import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { decodedText, rawValue, recentSlice, type Recent } from './cloudtrail-json-cursor.js';
import { NOT_OBJECT, PARAM_KEYS, TrailRecord, type ParamValues } from './cloudtrail-record.js';
import {
  ADDRESSES,
  AGENTS,
  IDENTITIES,
  LEVEL_KEYS,
  META,
  RESOURCES,
  type Scanned,
} from './cloudtrail-scan-fields.js';

/**
 * The CloudTrail scanner's walk in WebAssembly (wasm/cloudtrail-scan.ts, built to
 * dist/wasm/cloudtrail-scan.wasm by `npm run build`): it validates a log file's bytes as the
 * JavaScript scanner does and gives, per record, where each kept field lies; this side builds the
 * records from those positions, through the same recent-string caches.
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
/** Words of one record: header, escaped-string bits (2), raw-value bits (2), (start, end) per field. */
const FIELDS = 36;
const WORDS = 5 + FIELDS * 2;
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
  keyArea(): number;
  defineKey(table: number, len: number): number;
  input(len: number): number;
  records(): number;
  scan(len: number): number;
}

let compiled: object | null | undefined;
let instance: ScanExports | undefined;

/** This thread's scanner instance, made on first use; undefined when the module is not built. */
function scanner(): ScanExports | undefined {
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
  return (instance = ex);
}

/** Whether the built WebAssembly scanner is there (the tests check that a build has one). */
export function wasmScannerBuilt(): boolean {
  return scanner() !== undefined;
}

/**
 * The file's records, as scanTrailFile gives them; undefined for a file the tolerant path must
 * read; {@link WASM_CANNOT} when the JavaScript scanner must read it instead. `text` is `bytes` as
 * latin1.
 */
export function scanWithWasm(text: string, bytes: Buffer): Scanned | undefined | typeof WASM_CANNOT {
  const ex = scanner();
  if (ex === undefined) return WASM_CANNOT;
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
  if (n === -BAD) out = undefined;
  else if (n < 0) out = WASM_CANNOT;
  else {
    const words = new Int32Array(ex.memory.buffer, ex.records(), n * WORDS);
    out = new RecordBuilder(words, text, isAscii(bytes) ? undefined : bytes).all(n);
  }
  if (ex.memory.buffer.byteLength > KEEP_BYTES) instance = undefined;
  return out;
}

/** Field numbers of the WebAssembly scanner's records (its F_ constants). */
const F_ID_TYPE = 12;
const F_PARAMS = 22;
const KEY_PARAM = PARAM_KEYS.indexOf('key');

/** Builds TrailRecords from the scanner's words, as the JavaScript scanner builds them. */
class RecordBuilder {
  /** The current record's first word. */
  private b = 0;

  constructor(
    private readonly w: Int32Array,
    private readonly t: string,
    /** The file's bytes when they hold non-ASCII (strings with such bytes are decoded from them). */
    private readonly high: Buffer | undefined,
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
    r.eventVersion = this.str(0, META);
    r.eventID = this.str(1);
    r.eventTime = this.str(2);
    r.eventSource = this.str(3, META);
    r.eventName = this.str(4, META);
    r.eventType = this.str(5, META);
    r.awsRegion = this.str(6, META);
    r.sourceIPAddress = this.str(7, ADDRESSES);
    r.userAgent = this.str(8, AGENTS);
    r.errorCode = this.str(9, META);
    r.recipientAccountId = this.str(10, META);
    r.readOnly = this.any(11, META);
    if ((kind & 2) !== 0) {
      r.hasIdentity = true;
      r.idType = this.any(F_ID_TYPE, META);
      r.idArn = this.str(13);
      r.idPrincipalId = this.any(14);
      r.idAccessKeyId = this.str(15);
      r.idInvokedBy = this.str(16, IDENTITIES);
      r.idUserName = this.str(17, IDENTITIES);
      r.issuerArn = this.str(18, IDENTITIES);
    }
    r.resourceArn = this.str(19, RESOURCES);
    r.consoleLogin = this.str(20, META);
    r.mfaUsed = this.str(21, META);
    if ((kind & 4) !== 0) {
      const p: ParamValues = {};
      for (let k = 0; k < PARAM_KEYS.length; k++)
        // An S3 object key is new in almost every event: kept out of the recent strings.
        if (this.w[this.b + 5 + 2 * (F_PARAMS + k)]! >= 0)
          p[PARAM_KEYS[k]!] = this.str(F_PARAMS + k, k === KEY_PARAM ? undefined : RESOURCES);
      r.params = p;
    }
    return r;
  }

  /** Field `f`'s string, undefined when the record has none (or its value is not a string). */
  private str(f: number, cache?: Recent): string | undefined {
    const w = this.w;
    const at = this.b + 5 + 2 * f;
    const s = w[at]!;
    if (s < 0) return undefined;
    const e = w[at + 1]!;
    const esc = ((w[this.b + 1 + (f >> 5)]! >>> (f & 31)) & 1) !== 0;
    if (esc || this.high) return decodedText(this.t, this.high, s, e, esc);
    return cache === undefined ? this.t.slice(s, e) : recentSlice(this.t, s, e, cache);
  }

  /** Field `f`'s value whatever its type: a string as {@link str}, else built by JSON.parse. */
  private any(f: number, cache?: Recent): unknown {
    const w = this.w;
    const at = this.b + 5 + 2 * f;
    if (w[at]! >= 0 && ((w[this.b + 3 + (f >> 5)]! >>> (f & 31)) & 1) !== 0)
      return rawValue(this.t, this.high, w[at]!, w[at + 1]!);
    return this.str(f, cache);
  }
}
