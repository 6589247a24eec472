import { BAD, JsonCursor, keyTable, type KeyTable, type Recent } from './cloudtrail-json-cursor.js';
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
import { scanWithWasm, WASM_CANNOT } from './cloudtrail-scan-wasm.js';

/**
 * Single-pass reader of a CloudTrail log file `{"Records": [...]}` that builds only the fields the
 * connector uses (see {@link TrailRecord}) and steps over everything else without creating objects:
 * a file of a thousand records holds tens of thousands of values the connector never reads, and
 * building them is most of the cost of `JSON.parse` (RFC 8259, https://www.rfc-editor.org/rfc/rfc8259).
 *
 * It is a full validator: every value it skips is checked against the JSON grammar (strings,
 * escapes, control characters, numbers, literals, nesting), so a file it accepts is one `JSON.parse`
 * accepts, and it returns what `JSON.parse` then `trailRecordOf` would (duplicate keys: the last
 * wins, as in JSON.parse). On anything else (malformed JSON, a duplicate or non-array `Records`, a
 * document that is not an object) it returns `undefined` and the caller takes the tolerant path,
 * which owns every error message.
 *
 * Input is the decompressed bytes (read in WebAssembly when it is built, else decoded as latin1,
 * one char per byte, much cheaper than UTF-8 decoding: structural characters are ASCII so
 * positions are byte offsets, and a wanted string with non-ASCII bytes is decoded from the bytes
 * as UTF-8), or a JS string.
 */
export type { Scanned };

export function scanTrailFile(
  input: string | Buffer,
  /** 'js': the JavaScript scanner only (the tests compare the two). */
  engine: 'auto' | 'js' = 'auto',
): Scanned | undefined {
  if (typeof input !== 'string' && engine === 'auto') {
    // The same walk in WebAssembly when it is built; it hands back the few files it does not
    // handle itself.
    const w = scanWithWasm(input);
    if (w !== WASM_CANNOT) return w;
  }
  const s =
    typeof input === 'string' ? new Scanner(input, undefined) : new Scanner(input.toString('latin1'), input);
  try {
    return s.file();
  } catch (e) {
    // BAD: malformed; RangeError: nesting deeper than the stack. Both go to the tolerant path.
    if (e === BAD || e instanceof RangeError) return undefined;
    throw e;
  }
}

const T_TOP = keyTable(LEVEL_KEYS[0]);
const T_RECORD = keyTable(LEVEL_KEYS[1]);
const T_IDENTITY = keyTable(LEVEL_KEYS[2]);
const T_SESSION = keyTable(LEVEL_KEYS[3]);
const T_ARN_LOWER = keyTable(LEVEL_KEYS[4]);
const T_ARN_UPPER = keyTable(LEVEL_KEYS[5]);
const T_CONSOLE = keyTable(LEVEL_KEYS[6]);
const T_MFA = keyTable(LEVEL_KEYS[7]);
const T_PARAMS = keyTable(LEVEL_KEYS[8]);
const KEY_PARAM = PARAM_KEYS.indexOf('key') + 1;

class Scanner extends JsonCursor {
  constructor(t: string, bytes: Buffer | undefined) {
    super(t, bytes);
  }

  file(): Scanned | undefined {
    const t = this.t;
    // A UTF-8 byte order mark, as latin1 (bytes) or as U+FEFF (string).
    if (this.bytes ? t.startsWith('\u00ef\u00bb\u00bf') : t.charCodeAt(0) === 0xfeff)
      this.pos = this.bytes ? 3 : 1;
    this.ws();
    if (t.charCodeAt(this.pos) !== 123) return undefined;
    this.pos++;
    let records: Scanned | undefined;
    this.ws();
    if (t.charCodeAt(this.pos) === 125) this.pos++;
    else
      for (;;) {
        if (this.key(T_TOP) === 1) {
          // A second `Records` or a non-array one: JSON.parse semantics are the tolerant path's job.
          if (records || t.charCodeAt(this.pos) !== 91) return undefined;
          records = this.records();
        } else this.skip();
        if (this.next(125)) break;
      }
    this.ws();
    if (this.pos !== this.n) throw BAD;
    return records;
  }

  private records(): Scanned {
    const out: Scanned = [];
    const t = this.t;
    this.pos++;
    this.ws();
    if (t.charCodeAt(this.pos) === 93) {
      this.pos++;
      return out;
    }
    for (;;) {
      if (t.charCodeAt(this.pos) === 123) out.push(this.record());
      else {
        this.skip();
        out.push(NOT_OBJECT);
      }
      if (this.next(93)) return out;
    }
  }

  private record(): TrailRecord {
    const r = new TrailRecord();
    if (this.open()) return r;
    for (;;) {
      switch (this.key(T_RECORD)) {
        case 1:
          r.eventVersion = this.str(META);
          break;
        case 2:
          r.eventID = this.str();
          break;
        case 3:
          r.eventTime = this.str();
          break;
        case 4:
          r.eventSource = this.str(META);
          break;
        case 5:
          r.eventName = this.str(META);
          break;
        case 6:
          r.eventType = this.str(META);
          break;
        case 7:
          r.awsRegion = this.str(META);
          break;
        case 8:
          r.sourceIPAddress = this.str(ADDRESSES);
          break;
        case 9:
          r.userAgent = this.str(AGENTS);
          break;
        case 10:
          r.errorCode = this.str(META);
          break;
        case 11:
          r.recipientAccountId = this.str(META);
          break;
        case 12:
          r.readOnly = this.any(META);
          break;
        case 13:
          this.identity(r);
          break;
        case 14:
          r.resourceArn = this.resources();
          break;
        case 15:
          r.params = this.requestParameters();
          break;
        case 16:
          r.consoleLogin = this.field(T_CONSOLE, META);
          break;
        case 17:
          r.mfaUsed = this.field(T_MFA, META);
          break;
        default:
          this.skip();
      }
      if (this.next(125)) return r;
    }
  }

  private identity(r: TrailRecord): void {
    // A repeated `userIdentity` replaces the first one entirely (JSON.parse: the last key wins).
    r.hasIdentity = false;
    r.idType = r.idArn = r.idPrincipalId = r.idAccessKeyId = undefined;
    r.idInvokedBy = r.idUserName = r.issuerArn = undefined;
    if (this.t.charCodeAt(this.pos) !== 123) {
      this.skip();
      return;
    }
    r.hasIdentity = true;
    if (this.open()) return;
    for (;;) {
      switch (this.key(T_IDENTITY)) {
        case 1:
          r.idType = this.any(META);
          break;
        case 2:
          // A session ARN is new with every session: not worth keeping.
          r.idArn = this.str();
          break;
        case 3:
          r.idPrincipalId = this.any();
          break;
        case 4:
          r.idAccessKeyId = this.str();
          break;
        case 5:
          r.idInvokedBy = this.str(IDENTITIES);
          break;
        case 6:
          r.idUserName = this.str(IDENTITIES);
          break;
        case 7:
          r.issuerArn = this.sessionContext();
          break;
        default:
          this.skip();
      }
      if (this.next(125)) return;
    }
  }

  private sessionContext(): string | undefined {
    if (this.t.charCodeAt(this.pos) !== 123) {
      this.skip();
      return undefined;
    }
    let arn: string | undefined;
    if (this.open()) return undefined;
    for (;;) {
      if (this.key(T_SESSION) === 1) arn = this.field(T_ARN_LOWER, IDENTITIES);
      else this.skip();
      if (this.next(125)) return arn;
    }
  }

  /** `resources[0].ARN` when `resources` is an array whose first element is an object. */
  private resources(): string | undefined {
    const t = this.t;
    if (t.charCodeAt(this.pos) !== 91) {
      this.skip();
      return undefined;
    }
    this.pos++;
    this.ws();
    if (t.charCodeAt(this.pos) === 93) {
      this.pos++;
      return undefined;
    }
    const arn = this.field(T_ARN_UPPER, RESOURCES);
    for (;;) {
      if (this.next(93)) return arn;
      this.skip();
    }
  }

  private requestParameters(): ParamValues | undefined {
    if (this.t.charCodeAt(this.pos) !== 123) {
      this.skip();
      return undefined;
    }
    const p: ParamValues = {};
    if (!this.open())
      for (;;) {
        const code = this.key(T_PARAMS);
        // An S3 object key is new in almost every event: kept out of the recent strings.
        if (code > 0) p[PARAM_KEYS[code - 1]!] = code === KEY_PARAM ? this.str() : this.str(RESOURCES);
        else this.skip();
        if (this.next(125)) break;
      }
    return p;
  }

  /** The string value of one key of an object value (undefined if not an object or no such string). */
  private field(table: KeyTable, cache: Recent): string | undefined {
    if (this.t.charCodeAt(this.pos) !== 123) {
      this.skip();
      return undefined;
    }
    let v: string | undefined;
    if (this.open()) return undefined;
    for (;;) {
      if (this.key(table) === 1) v = this.str(cache);
      else this.skip();
      if (this.next(125)) return v;
    }
  }

  /** At `{`: steps in; true if the object is empty (and steps past it). */
}
