import { constants, Gunzip, gunzipSync } from 'node:zlib';

/**
 * Gunzip for a thread that reads log file after log file: each file is inflated into one output
 * buffer kept from file to file, by one inflate engine reset between files. `gunzipSync` gives
 * each file a new buffer of its full size (1.6 MB for a thousand events), and the inflate's first
 * writes to fresh memory cost a page fault per 4 KiB: a quarter of the time of reading a file.
 *
 * Node has no public call that inflates into a given buffer, so this drives the engine behind its
 * `Gunzip` stream the way `gunzipSync` does (`_handle.writeSync`, `_writeState`); where that is
 * missing, and for anything out of the ordinary (output larger than the trailer says, input left
 * over, an error, no gzip magic), the file goes through `gunzipSync`, which gives the same bytes or
 * throws its own error.
 */
export class Gunzipper {
  private out = Buffer.alloc(0);
  private engine: Engine | undefined;

  /** The decompressed bytes of `raw`: a view valid until the next call. */
  gunzip(raw: Buffer): Buffer {
    // The gzip trailer's ISIZE (RFC 1952 section 2.3.1: the uncompressed size modulo 2^32). One
    // more byte of room tells a trailer that is exact from one that is too small.
    const isize = raw.length >= 18 ? raw.readUInt32LE(raw.length - 4) : 0;
    const room = isize + 1;
    if (raw[0] !== 0x1f || raw[1] !== 0x8b || room > KEEP_BYTES) return oneShot(raw, isize);
    const engine = this.engineFor();
    if (engine === undefined) return oneShot(raw, isize);
    if (this.out.length < room) this.out = Buffer.allocUnsafe(Math.max(room, 64 * 1024));
    engine._handle!.writeSync(constants.Z_FINISH, raw, 0, raw.length, this.out, 0, room);
    if (engine.destroyed || !engine._handle) {
      // An inflate error closed the engine; gunzipSync throws it with its message.
      this.engine = undefined;
      return oneShot(raw, isize);
    }
    const [outLeft, inLeft] = engine._writeState!;
    engine.reset();
    if (outLeft === 0 || inLeft !== 0) return oneShot(raw, isize);
    return this.out.subarray(0, room - outLeft!);
  }

  private engineFor(): Engine | undefined {
    if (this.engine) return this.engine;
    const g = new Gunzip() as Engine;
    if (typeof g._handle?.writeSync !== 'function' || !(g._writeState instanceof Uint32Array))
      return undefined;
    // Errors are read from the engine's state after each call; the stream's error event must not
    // go unhandled.
    g.on('error', () => undefined);
    return (this.engine = g);
  }
}

/** The inflate engine behind a Gunzip stream, as gunzipSync drives it (node:zlib internals). */
type Engine = Gunzip & {
  _handle?: {
    writeSync(
      flush: number,
      input: Uint8Array,
      inOff: number,
      inLen: number,
      out: Uint8Array,
      outOff: number,
      outLen: number,
    ): void;
  } | null;
  /** [output bytes left, input bytes left] after the last write. */
  _writeState?: Uint32Array;
  /** zlib's reset (public, though Node's types give it to the compressors only). */
  reset(): void;
};

/** Files whose output would need more than this are inflated into a buffer of their own. */
const KEEP_BYTES = 64 * 2 ** 20;

/** gunzipSync in one output chunk sized from ISIZE (default 16 KiB chunks are copied together at the end). */
function oneShot(raw: Buffer, isize: number): Buffer {
  return gunzipSync(raw, { chunkSize: Math.min(Math.max(isize + 1, 64 * 1024), 256 * 1024 * 1024) });
}
