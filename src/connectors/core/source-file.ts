import { hash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { constants as zlibConstants, createGunzip, gunzipSync } from 'node:zlib';
import { WardenError } from '../../errors/index.js';

const HEAD_BYTES = 64 * 1024;

/**
 * The first {@link HEAD_BYTES} of a gzip file's contents as text. Only as much of the compressed
 * input is inflated as gives them (a partial stream is fine for a head, Z_SYNC_FLUSH): JSON
 * compresses about tenfold, so 64 KiB of input was half a megabyte of output to decompress per file
 * where 64 KiB is kept, most of the cost of detecting a CloudTrail log file. Nothing is cached beyond
 * the head, so detecting a thousand log files never holds their contents.
 */
function gzipHead(file: string, size: number): string {
  const fd = openSync(file, 'r');
  try {
    for (let want = 12 * 1024; ;) {
      const buf = Buffer.allocUnsafe(Math.min(want, size));
      const n = readSync(fd, buf, 0, buf.length, 0);
      let out: Buffer;
      try {
        out = gunzipSync(buf.subarray(0, n), {
          finishFlush: zlibConstants.Z_SYNC_FLUSH,
          chunkSize: 2 * HEAD_BYTES,
        });
      } catch {
        return '';
      }
      // Decode only the head's bytes: a slice of the whole decoded text would keep all of it
      // alive for as long as the file is planned for import.
      if (out.length >= HEAD_BYTES || n >= size)
        return out.toString('utf8', 0, Math.min(out.length, HEAD_BYTES));
      // Short of the head: read again, enough more at the ratio seen so far to need no third time.
      want = Math.ceil((want * 1.25 * HEAD_BYTES) / Math.max(out.length, 1024));
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * One input file as connectors see it: a cheap head for detection, and lazy whole-file or
 * streaming reads (gzip undone transparently). Errors name the file and, for JSON, line and column.
 */
export class SourceFile {
  readonly path: string;
  /** The path as shown to people: relative to the folder being imported. */
  readonly display: string;
  readonly name: string;
  readonly size: number;
  readonly gzip: boolean;
  private headCache: string | undefined;
  private rawCache: Buffer | undefined;
  private textCache: string | undefined;
  private jsonCache: { value: unknown } | undefined;

  constructor(
    file: string,
    /** The folder being imported, which `display` is relative to. */
    readonly root?: string,
  ) {
    this.path = path.resolve(file);
    this.display = root ? path.relative(root, this.path) || path.basename(this.path) : file;
    this.name = path.basename(this.path);
    this.size = statSync(this.path).size;
    this.gzip = this.name.endsWith('.gz');
  }

  /**
   * Digest of the file's bytes as stored (compressed when gzipped): names its content for
   * deduplication, not for security.
   */
  digest(): string {
    return hash('sha1', this.bytes(), 'base64url');
  }

  /**
   * The file's bytes as stored (still compressed when gzipped), read once and kept until
   * {@link release} or {@link text}: a usage-only import digests a log file and then parses it.
   * Synchronous on purpose: fs/promises readFile reads in chunks with a thread-pool round trip
   * each, which measured 4 µs per CloudTrail event against 0.5 µs (bench aws-cloudtrail).
   */
  bytes(): Buffer {
    return (this.rawCache ??= readFileSync(this.path));
  }

  /** The first 64 KiB as text (decompressed when gzipped). */
  head(): string {
    if (this.headCache !== undefined) return this.headCache;
    if (this.gzip) {
      this.headCache = stripBom(gzipHead(this.path, this.size));
      return this.headCache;
    }
    const fd = openSync(this.path, 'r');
    try {
      const buf = Buffer.alloc(Math.min(HEAD_BYTES, this.size));
      const n = readSync(fd, buf, 0, buf.length, 0);
      this.headCache = stripBom(buf.subarray(0, n).toString('utf8'));
    } finally {
      closeSync(fd);
    }
    return this.headCache;
  }

  /** The first non-blank character of the file: `{`, `[`, or something else. */
  firstChar(): string {
    return /\S/.exec(this.head())?.[0] ?? '';
  }

  async text(): Promise<string> {
    if (this.textCache !== undefined) return this.textCache;
    let raw: Buffer;
    try {
      raw = this.bytes();
      this.rawCache = undefined;
      if (this.gzip) raw = gunzipSync(raw);
    } catch (cause) {
      throw new WardenError(
        'WARDEN_INPUT_UNREADABLE',
        `${this.display}: cannot read: ${(cause as Error).message}`,
        {
          cause,
          details: { file: this.display },
        },
      );
    }
    this.textCache = stripBom(raw.toString('utf8'));
    return this.textCache;
  }

  /** The whole file parsed as JSON; a syntax error names line and column. */
  async json(): Promise<unknown> {
    if (this.jsonCache) return this.jsonCache.value;
    const text = await this.text();
    this.jsonCache = { value: parseJsonText(text, this.display) };
    return this.jsonCache.value;
  }

  /** Drops cached contents once a connector is done with them. */
  /** Drops what was read (head included; it is read again if asked for). */
  release(): void {
    this.rawCache = undefined;
    this.headCache = undefined;
    this.textCache = undefined;
    this.jsonCache = undefined;
  }

  stream(): Readable {
    const s = createReadStream(this.path);
    return this.gzip ? s.pipe(createGunzip()) : s;
  }

  /** Lines with 1-based numbers, streamed. */
  async *lines(): AsyncGenerator<{ line: number; text: string }> {
    const rl = createInterface({ input: this.stream(), crlfDelay: Infinity });
    let n = 0;
    for await (const text of rl) yield { line: ++n, text: n === 1 ? stripBom(text) : text };
  }
}

export function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/** JSON.parse with the error turned into `file:line:column: message`. */
export function parseJsonText(text: string, display: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const msg = (cause as Error).message;
    const m = /position (\d+)/.exec(msg);
    const pos = m ? Number(m[1]) : /Unexpected end of JSON input/.test(msg) ? text.length : undefined;
    let where = '';
    if (pos !== undefined) {
      const before = text.slice(0, pos);
      const line = before.split('\n').length;
      const col = pos - before.lastIndexOf('\n');
      where = `:${line}:${col}`;
    }
    throw new WardenError(
      'WARDEN_INPUT_INVALID',
      `${display}${where}: invalid JSON (${msg.replace(/^.*?: /, '')})`,
      {
        cause,
        details: { file: display },
      },
    );
  }
}
