/**
 * Interned strings packed as UTF-8 in one growable byte buffer with an open-addressing hash index,
 * so millions of native ids cost their bytes plus 8-12 bytes each, not one JS string object each
 * (a JS string of 40 ASCII characters costs about 56 bytes plus a Map entry of about 80).
 */
export class StringTable {
  private bytes: Buffer;
  private byteLength = 0;
  private offsets: Int32Array;
  private hashes: Int32Array;
  private slots: Int32Array;
  private mask: number;
  private n = 0;
  /** Every string interned so far is ASCII. */
  private ascii = true;
  private scratch = Buffer.allocUnsafe(1024);

  constructor(expected = 1024) {
    const cap = Math.max(16, expected);
    this.bytes = Buffer.allocUnsafe(cap * 24);
    this.offsets = new Int32Array(cap + 1);
    this.hashes = new Int32Array(cap);
    let size = 16;
    while (size < cap * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.n;
  }

  /** Bytes held by the table's buffers (its memory cost). */
  get memoryBytes(): number {
    return this.bytes.byteLength + this.offsets.byteLength + this.hashes.byteLength + this.slots.byteLength;
  }

  private encode(s: string): number {
    const need = s.length * 3;
    if (need > this.scratch.length) this.scratch = Buffer.allocUnsafe(need * 2);
    return this.scratch.write(s, 0, 'utf8');
  }

  private hashScratch(len: number): number {
    let h = 0x811c9dc5;
    const b = this.scratch;
    for (let i = 0; i < len; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    return h | 0;
  }

  private equalsScratch(id: number, len: number): boolean {
    const a = this.offsets[id]!;
    if (this.offsets[id + 1]! - a !== len) return false;
    const b = this.bytes;
    const s = this.scratch;
    for (let i = 0; i < len; i++) if (b[a + i] !== s[i]) return false;
    return true;
  }

  /** Id of `s`, or -1. */
  find(s: string): number {
    const h = asciiHash(s);
    if (h === null) return this.findEncoded(s);
    let slot = h & this.mask;
    for (;;) {
      const v = this.slots[slot]!;
      if (v === 0) return -1;
      if (this.hashes[v - 1] === h && this.equalsAscii(v - 1, s)) return v - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  private findEncoded(s: string): number {
    const len = this.encode(s);
    const h = this.hashScratch(len);
    let slot = h & this.mask;
    for (;;) {
      const v = this.slots[slot]!;
      if (v === 0) return -1;
      if (this.hashes[v - 1] === h && this.equalsScratch(v - 1, len)) return v - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  private equalsAscii(id: number, s: string): boolean {
    const a = this.offsets[id]!;
    const len = s.length;
    if (this.offsets[id + 1]! - a !== len) return false;
    const b = this.bytes;
    for (let i = 0; i < len; i++) if (b[a + i] !== s.charCodeAt(i)) return false;
    return true;
  }

  /** Id of `s`, adding it when new. Ids are dense, in order of first insertion. */
  intern(s: string): number {
    // ASCII fast path (native ids nearly always are): hash and compare the char codes, which are
    // the UTF-8 bytes, without encoding.
    const h = asciiHash(s);
    if (h === null) return this.internEncoded(s);
    let slot = h & this.mask;
    for (;;) {
      const v = this.slots[slot]!;
      if (v === 0) break;
      if (this.hashes[v - 1] === h && this.equalsAscii(v - 1, s)) return v - 1;
      slot = (slot + 1) & this.mask;
    }
    const len = s.length;
    const id = this.n;
    this.ensure(len);
    const b = this.bytes;
    const at = this.byteLength;
    for (let i = 0; i < len; i++) b[at + i] = s.charCodeAt(i);
    return this.commit(id, len, h, slot);
  }

  private internEncoded(s: string): number {
    const len = this.encode(s);
    const h = this.hashScratch(len);
    let slot = h & this.mask;
    for (;;) {
      const v = this.slots[slot]!;
      if (v === 0) break;
      if (this.hashes[v - 1] === h && this.equalsScratch(v - 1, len)) return v - 1;
      slot = (slot + 1) & this.mask;
    }
    const id = this.n;
    this.ensure(len);
    this.ascii = false;
    this.scratch.copy(this.bytes, this.byteLength, 0, len);
    return this.commit(id, len, h, slot);
  }

  private commit(id: number, len: number, h: number, slot: number): number {
    this.byteLength += len;
    this.offsets[id + 1] = this.byteLength;
    this.hashes[id] = h;
    this.n++;
    this.slots[slot] = id + 1;
    if (this.n * 2 > this.slots.length) this.rehash();
    return id;
  }

  get(id: number): string {
    if (id < 0 || id >= this.n) throw new RangeError(`string id ${id} out of range`);
    const a = this.offsets[id]!;
    const e = this.offsets[id + 1]!;
    // Pure-ASCII tables (native ids nearly always are) decode through the cheaper latin1 path.
    if (this.ascii) return latin1(this.bytes, a, e);
    return this.bytes.toString('utf8', a, e);
  }

  /** Byte offset of string `id` in the table (see {@link decode}). */
  byteStart(id: number): number {
    return this.offsets[id]!;
  }
  /** Byte offset just past string `id`. */
  byteEnd(id: number): number {
    return this.offsets[id + 1]!;
  }
  /**
   * The string whose bytes are [start, end) of the table: a caller that keeps a string's offsets
   * next to what it reads anyway saves the read of the offsets array (on a table of millions of
   * strings, a random read costs a page-table walk of its own).
   */
  decode(start: number, end: number): string {
    if (this.ascii) return latin1(this.bytes, start, end);
    return this.bytes.toString('utf8', start, end);
  }

  /** Drops spare capacity once the table is complete. */
  compact(): void {
    this.bytes = Buffer.from(this.bytes.subarray(0, this.byteLength));
    this.offsets = this.offsets.slice(0, this.n + 1);
    this.hashes = this.hashes.slice(0, this.n);
  }

  private ensure(len: number): void {
    if (this.byteLength + len > this.bytes.length) {
      const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.byteLength + len + 1024));
      this.bytes.copy(next, 0, 0, this.byteLength);
      this.bytes = next;
    }
    if (this.n + 2 > this.offsets.length || this.n + 1 > this.hashes.length) {
      const o = new Int32Array(this.offsets.length * 2);
      o.set(this.offsets);
      this.offsets = o;
      const hs = new Int32Array(this.hashes.length * 2);
      hs.set(this.hashes);
      this.hashes = hs;
    }
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.n; id++) {
      let slot = this.hashes[id]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** FNV-1a over the char codes of an ASCII string (= its UTF-8 bytes), or null if not ASCII. */
function asciiHash(s: string): number | null {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) return null;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h | 0;
}

type Latin1 = { latin1Slice?: (start: number, end: number) => string };
/**
 * Buffer's own latin1 decoder, skipping the argument checks of `toString` (a third of the cost of a
 * short native id); falls back to `toString` where it is absent.
 */
function latin1(b: Buffer, a: number, e: number): string {
  const f = (b as unknown as Latin1).latin1Slice;
  return f ? f.call(b, a, e) : b.toString('latin1', a, e);
}
