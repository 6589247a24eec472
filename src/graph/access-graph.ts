import type { AccessLevel, EdgeKind, Sensitivity } from '../model/index.js';
import { EDGE_KIND_CODES, LEVELS, NODE_KINDS, SENSITIVITIES, type NodeKind } from './graph-codes.js';
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

/** Reusable per-graph scratch space, so a query on a 5-million-node graph allocates nothing big. */
export interface Scratch {
  stamp: Int32Array;
  epoch: number;
  parent: Int32Array;
  parentEdge: Int32Array;
  depth: Int32Array;
  level: Uint8Array;
  queue: Int32Array;
}

/**
 * The access graph, frozen: nodes (agents, identities, people, groups, roles, policies, resources,
 * admin targets) and typed edges in compact arrays, with a forward and a reverse index.
 * Build it with {@link GraphBuilder} or `buildGraphFromStore`.
 */
export class AccessGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  private scratchSpace: Scratch | undefined;

  constructor(
    readonly a: GraphArrays,
    readonly t: GraphTables,
  ) {
    this.nodeCount = a.nodeKind.length;
    this.edgeCount = a.targets.length;
  }

  /** Node index of a key, or -1. */
  find(key: string): number {
    return this.t.keys.find(key);
  }
  key(i: number): string {
    return this.t.keys.get(i);
  }
  nativeId(i: number): string {
    const n = this.a.nodeNative[i]!;
    return n < 0 ? this.t.keys.get(i) : this.t.natives.get(n);
  }
  kind(i: number): NodeKind {
    return NODE_KINDS[this.a.nodeKind[i]!]!;
  }
  type(i: number): string | undefined {
    return this.t.types[this.a.nodeType[i]!] || undefined;
  }
  provider(i: number): string | undefined {
    return this.t.providers[this.a.nodeProvider[i]!] || undefined;
  }
  account(i: number): string | undefined {
    return this.t.accounts[this.a.nodeAccount[i]!] || undefined;
  }
  sensitivity(i: number): Sensitivity | undefined {
    const s = SENSITIVITIES[this.a.nodeSensitivity[i]!];
    return s === 'unknown' ? undefined : s;
  }
  isAdmin(i: number): boolean {
    return (this.a.nodeFlags[i]! & 1) === 1;
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

  /** Bytes held by the typed arrays and string tables (and the traversal scratch, once allocated). */
  memoryBytes(): number {
    let total = this.t.keys.memoryBytes + this.t.natives.memoryBytes;
    for (const v of Object.values(this.a)) total += (v as ArrayBufferView).byteLength;
    return total + this.scratchBytes();
  }

  /** Bytes of the reusable traversal scratch arrays (0 before the first query). */
  scratchBytes(): number {
    const s = this.scratchSpace;
    if (!s) return 0;
    return (
      s.stamp.byteLength +
      s.parent.byteLength +
      s.parentEdge.byteLength +
      s.depth.byteLength +
      s.level.byteLength +
      s.queue.byteLength
    );
  }

  /** Scratch arrays for traversals; one query at a time per graph (JS is single-threaded). */
  scratch(): Scratch {
    if (!this.scratchSpace) {
      const n = this.nodeCount;
      this.scratchSpace = {
        stamp: new Int32Array(n),
        epoch: 0,
        parent: new Int32Array(n),
        parentEdge: new Int32Array(n),
        depth: new Int32Array(n),
        level: new Uint8Array(n),
        queue: new Int32Array(Math.max(1, n)),
      };
      // Touch every page now: fresh typed arrays are lazily mapped zero pages, and faulting them in
      // one by one during queries (random nodes of a 5-million-node graph) costs more than the BFS.
      const sp = this.scratchSpace;
      sp.stamp.fill(0);
      sp.parent.fill(-1);
      sp.parentEdge.fill(-1);
      sp.depth.fill(0);
      sp.level.fill(0);
      sp.queue.fill(0);
    }
    const s = this.scratchSpace;
    s.epoch++;
    if (s.epoch === 0x7fffffff) {
      s.stamp.fill(0);
      s.epoch = 1;
    }
    return s;
  }
}
