import type { AccessLevel, EdgeKind, Sensitivity } from '../model/index.js';
import {
  EDGE_KIND_CODES,
  FLAG_SERVICE_SCOPE,
  LEVELS,
  NODE_KINDS,
  SENSITIVITIES,
  type NodeKind,
} from './graph-codes.js';
import type { StringTable } from './string-table.js';

/** The typed arrays of a frozen graph. Edges are in CSR order: node u's out-edges are [outOffsets[u], outOffsets[u+1]). */
export interface GraphArrays {
  nodeKind: Uint8Array;
  nodeSensitivity: Uint8Array;
  /** bit 0: administrator-equivalent target. */
  nodeFlags: Uint8Array;
  nodeType: Uint16Array;
  nodeProvider: Uint16Array;
  nodeAccount: Int32Array;
  /** Index into the native-id table, or -1 when the native id is the key. */
  nodeNative: Int32Array;
  outOffsets: Int32Array;
  targets: Int32Array;
  kind: Uint8Array;
  level: Uint8Array;
  technique: Uint16Array;
  /** 0..100. */
  confidence: Uint8Array;
  inOffsets: Int32Array;
  /** CSR position of each incoming edge, grouped by target. */
  inEdges: Int32Array;
  sources: Int32Array;
}

export interface GraphTables {
  keys: StringTable;
  natives: StringTable;
  types: string[];
  providers: string[];
  accounts: string[];
  techniques: string[];
  notes: Map<number, string>;
}

/**
 * The nodes one traversal reached, in the order it first reached them, with what the search knows
 * of each (parent, parent edge, depth, best level), in small typed arrays indexed by visit number
 * and an open-addressing hash table (Fibonacci hashing, linear probing) from node index to visit
 * number. Sized to the visit, not to the graph: dense per-node arrays meant the first query of a
 * process on a 5-million-node graph allocated and page-faulted about 100 MB before it read one
 * edge (measured at 0.5 to 0.6 s, most of it in the kernel), and later queries scattered their
 * writes over 20 MB arrays. One per graph, reused and cleared in O(visited) by the next query.
 */
export class Visits {
  /** Nodes reached so far. */
  size = 0;
  /** Node index of each visit. */
  node: Int32Array;
  /** Visit number of the node it was reached from (-1 for a start node). */
  parent: Int32Array;
  /** CSR position of the edge it was reached by (-1 for a start node). */
  edge: Int32Array;
  depth: Int32Array;
  level: Uint8Array;
  /**
   * The node's record (AccessGraph.nodeRecord, 4 ints) copied per visit, by the traversal, when
   * it reads it anyway: what the result needs of each node is then read from this small table
   * instead of again at a random place of the 80 MB record array, where each read costs a TLB
   * miss on a 5-million-node graph.
   */
  record: Int32Array;
  /**
   * Breadth-first queue of visit numbers (a node is queued again when a higher level opens pivots;
   * a node without out-edges is not queued at all).
   */
  queue: Int32Array;
  /** Visit number + 1 per hash slot; 0 = empty. Twice the entry capacity, so at most half full. */
  private slots: Int32Array;
  /** Hash slot of each visit, to clear the table in O(visited). */
  private slotOf: Int32Array;
  private shift: number;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity) cap *= 2;
    this.node = new Int32Array(cap);
    this.parent = new Int32Array(cap);
    this.edge = new Int32Array(cap);
    this.depth = new Int32Array(cap);
    this.level = new Uint8Array(cap);
    this.record = new Int32Array(cap * 4);
    this.queue = new Int32Array(cap);
    this.slotOf = new Int32Array(cap);
    this.slots = new Int32Array(cap * 2);
    this.shift = 32 - Math.log2(cap * 2);
  }

  /** Visit number of node v, or -1 when the traversal has not reached it. */
  indexOf(v: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let h = Math.imul(v, 0x9e3779b1) >>> this.shift; ; h = (h + 1) & mask) {
      const x = slots[h]!;
      if (x === 0) return -1;
      if (this.node[x - 1] === v) return x - 1;
    }
  }

  /** Adds node v (not yet visited) and returns its visit number; its fields are the caller's to set. */
  add(v: number): number {
    if (this.size === this.node.length) this.grow();
    const slots = this.slots;
    const mask = slots.length - 1;
    let h = Math.imul(v, 0x9e3779b1) >>> this.shift;
    while (slots[h] !== 0) h = (h + 1) & mask;
    const i = this.size++;
    slots[h] = i + 1;
    this.slotOf[i] = h;
    this.node[i] = v;
    return i;
  }

  /**
   * Visit number of node v when the traversal has reached it; otherwise adds it and returns
   * `-1 - its new visit number` (its fields are then the caller's to set). One probe sequence
   * instead of `indexOf` then `add`: the traversal makes this call once per edge it follows.
   */
  findOrAdd(v: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    let h = Math.imul(v, 0x9e3779b1) >>> this.shift;
    for (let x = slots[h]!; x !== 0; h = (h + 1) & mask, x = slots[h]!) {
      if (this.node[x - 1] === v) return x - 1;
    }
    if (this.size === this.node.length) return -1 - this.add(v);
    const i = this.size++;
    slots[h] = i + 1;
    this.slotOf[i] = h;
    this.node[i] = v;
    return -1 - i;
  }

  /** Forgets every visit (the arrays are kept for the next traversal). */
  clear(): void {
    const n = this.size;
    if (n * 8 > this.slots.length) this.slots.fill(0);
    else for (let i = 0; i < n; i++) this.slots[this.slotOf[i]!] = 0;
    this.size = 0;
  }

  /** Bytes held by the arrays. */
  get memoryBytes(): number {
    return (
      this.node.byteLength +
      this.parent.byteLength +
      this.edge.byteLength +
      this.depth.byteLength +
      this.level.byteLength +
      this.record.byteLength +
      this.queue.byteLength +
      this.slots.byteLength +
      this.slotOf.byteLength
    );
  }

  /** Makes room for a queue of at least n visit numbers. */
  growQueue(n: number): Int32Array {
    let len = this.queue.length * 2;
    while (len < n) len *= 2;
    const q = new Int32Array(len);
    q.set(this.queue);
    this.queue = q;
    return q;
  }

  private grow(): void {
    const cap = this.node.length * 2;
    this.node = widen(this.node, new Int32Array(cap));
    this.parent = widen(this.parent, new Int32Array(cap));
    this.edge = widen(this.edge, new Int32Array(cap));
    this.depth = widen(this.depth, new Int32Array(cap));
    this.level = widen(this.level, new Uint8Array(cap));
    this.record = widen(this.record, new Int32Array(cap * 4));
    this.slotOf = new Int32Array(cap);
    const slots = new Int32Array(cap * 2);
    const mask = slots.length - 1;
    this.shift = 32 - Math.log2(slots.length);
    for (let i = 0; i < this.size; i++) {
      let h = Math.imul(this.node[i]!, 0x9e3779b1) >>> this.shift;
      while (slots[h] !== 0) h = (h + 1) & mask;
      slots[h] = i + 1;
      this.slotOf[i] = h;
    }
    this.slots = slots;
  }
}

function widen<T extends Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * Bit of a node record's first word: the node has out-edges. A traversal does not queue a node
 * without any (most resources): looking at its empty edge list would cost a read at a random
 * place of the 20 MB offsets array, for nothing.
 */
export const HAS_OUT_EDGES = 1 << 24;
/** Bit of a node record's first word: the node's native id is its key (else in the native-id table). */
export const NATIVE_IS_KEY = 1 << 25;
/** Bit of a node record's first word: an AWS service scope node (see FLAG_SERVICE_SCOPE). */
export const SERVICE_SCOPE = 1 << 26;
/** Native-id length in a record (high half of its second word) meaning "too long: ask the table". */
const LONG_NATIVE = 0xffff;

/**
 * The access graph, frozen: nodes (agents, identities, people, groups, roles, policies, resources,
 * admin targets) and typed edges in compact arrays, with a forward and a reverse index.
 * Build it with {@link GraphBuilder} or `buildGraphFromStore`.
 */
export class AccessGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  /**
   * What a query reads of each node, packed in one 16-byte record per node (the same values as
   * the separate arrays of `a`): [kind | sensitivity << 4 | admin flag << 7 | provider << 8 |
   * has-out-edges flag << 24 | native-is-key flag << 25 | service-scope flag << 26, type | native-id byte length << 16,
   * account, byte offset of the native id in its string table]. A query reaches thousands of
   * nodes scattered over the graph, and on a 5-million-node graph each array it reads one of them
   * from costs a page-table walk, which was most of a first query's time; one record instead of
   * seven arrays makes that one walk, and the native id's place in it saves the walk into the
   * string table's offsets when the native id is decoded.
   */
  readonly nodeRecord: Int32Array;
  private visitTable: Visits | undefined;

  constructor(
    readonly a: GraphArrays,
    readonly t: GraphTables,
  ) {
    const n = a.nodeKind.length;
    this.nodeCount = n;
    this.edgeCount = a.targets.length;
    const rec = new Int32Array(n * 4);
    const { nodeKind, nodeSensitivity, nodeFlags, nodeProvider, nodeType, nodeAccount, nodeNative } = a;
    const out = a.outOffsets;
    const { keys, natives } = t;
    for (let i = 0, r = 0; i < n; i++, r += 4) {
      const nat = nodeNative[i]!;
      const start = nat < 0 ? keys.byteStart(i) : natives.byteStart(nat);
      const len = (nat < 0 ? keys.byteEnd(i) : natives.byteEnd(nat)) - start;
      rec[r] =
        nodeKind[i]! |
        (nodeSensitivity[i]! << 4) |
        ((nodeFlags[i]! & 1) << 7) |
        (nodeProvider[i]! << 8) |
        (out[i + 1]! > out[i]! ? HAS_OUT_EDGES : 0) |
        (nat < 0 ? NATIVE_IS_KEY : 0) |
        ((nodeFlags[i]! & FLAG_SERVICE_SCOPE) !== 0 ? SERVICE_SCOPE : 0);
      rec[r + 1] = nodeType[i]! | (Math.min(len, LONG_NATIVE) << 16);
      rec[r + 2] = nodeAccount[i]!;
      rec[r + 3] = start;
    }
    this.nodeRecord = rec;
  }

  /** Node index of a key, or -1. */
  find(key: string): number {
    return this.t.keys.find(key);
  }
  key(i: number): string {
    return this.t.keys.get(i);
  }
  nativeId(i: number): string {
    const rec = this.nodeRecord;
    return this.nativeOf(i, rec[i * 4]!, rec[i * 4 + 1]!, rec[i * 4 + 3]!);
  }
  /**
   * Native id of node v from words 0, 1 and 3 of its record (nodeRecord, or the copy a traversal
   * keeps): read straight from its string table at the offset the record holds.
   */
  nativeOf(v: number, w0: number, w1: number, start: number): string {
    const len = w1 >>> 16;
    const isKey = (w0 & NATIVE_IS_KEY) !== 0;
    if (len !== LONG_NATIVE) return (isKey ? this.t.keys : this.t.natives).decode(start, start + len);
    return isKey ? this.t.keys.get(v) : this.t.natives.get(this.a.nodeNative[v]!);
  }
  /** Kind code of node i (see NODE_KINDS). */
  kindCode(i: number): number {
    return this.nodeRecord[i * 4]! & 15;
  }
  kind(i: number): NodeKind {
    return NODE_KINDS[this.nodeRecord[i * 4]! & 15]!;
  }
  type(i: number): string | undefined {
    return this.t.types[this.nodeRecord[i * 4 + 1]! & 0xffff] || undefined;
  }
  provider(i: number): string | undefined {
    return this.t.providers[(this.nodeRecord[i * 4]! >>> 8) & 0xffff] || undefined;
  }
  account(i: number): string | undefined {
    return this.t.accounts[this.nodeRecord[i * 4 + 2]!] || undefined;
  }
  sensitivity(i: number): Sensitivity | undefined {
    const s = SENSITIVITIES[(this.nodeRecord[i * 4]! >>> 4) & 7];
    return s === 'unknown' ? undefined : s;
  }
  isAdmin(i: number): boolean {
    return (this.nodeRecord[i * 4]! & 0x80) !== 0;
  }

  edgeKind(p: number): EdgeKind {
    return EDGE_KIND_CODES[this.a.kind[p]!]!;
  }
  edgeLevel(p: number): AccessLevel | undefined {
    const l = this.a.level[p]!;
    return l === 0 ? undefined : LEVELS[l];
  }
  edgeTechnique(p: number): string | undefined {
    return this.t.techniques[this.a.technique[p]!] || undefined;
  }
  edgeConfidence(p: number): number {
    return this.a.confidence[p]! / 100;
  }
  edgeNote(p: number): string | undefined {
    return this.t.notes.get(p);
  }
  /** Source node of the edge at CSR position p (binary search over offsets). */
  edgeSource(p: number): number {
    const o = this.a.outOffsets;
    let lo = 0;
    let hi = this.nodeCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (o[mid]! <= p) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Nodes whose native id or key equals `ref` (native ids may repeat across providers). */
  findByNativeId(ref: string): number[] {
    const out: number[] = [];
    const k = this.t.keys.find(ref);
    if (k >= 0) out.push(k);
    const nat = this.t.natives.find(ref);
    if (nat >= 0) {
      const nn = this.a.nodeNative;
      for (let i = 0; i < this.nodeCount; i++) if (nn[i] === nat && i !== k) out.push(i);
    }
    return out;
  }

  /** Bytes held by the typed arrays and string tables (and the traversal's visit table, once used). */
  memoryBytes(): number {
    let total = this.t.keys.memoryBytes + this.t.natives.memoryBytes;
    for (const v of Object.values(this.a)) total += (v as ArrayBufferView).byteLength;
    return total + this.nodeRecord.byteLength + this.scratchBytes();
  }

  /** Bytes of the reusable traversal visit table (0 before the first query). */
  scratchBytes(): number {
    return this.visitTable?.memoryBytes ?? 0;
  }

  /**
   * The traversal's visit table, emptied; one query at a time per graph (JS is single-threaded,
   * and a traversal's results are copied out of it before the next one starts).
   */
  visits(): Visits {
    // Room for 16,384 visits from the start (under 1 MB; a quarter of the nodes of a smaller
    // graph): a first query that reaches thousands of nodes otherwise grew the table (and
    // rehashed it) three times, in code V8 had not optimised yet.
    const v = (this.visitTable ??= new Visits(Math.min(1 << 14, Math.max(16, this.nodeCount >>> 2))));
    v.clear();
    return v;
  }
}
