import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AccessLevel, EdgeKind, Sensitivity } from '../model/index.js';
import { AccessGraph, type GraphArrays } from './access-graph.js';
import {
  edgeKindOf,
  FLAG_SERVICE_SCOPE,
  levelOf,
  nodeKindOf,
  SERVICE_SCOPE_RX,
  sensitivityOf,
  type NodeKind,
} from './graph-codes.js';
import { StringTable } from './string-table.js';

/** A node as callers describe it; `key` is unique (the store record id, or any stable string). */
export interface NodeSpec {
  key: string;
  kind: NodeKind;
  /** Shown to people and matched by the CLI; defaults to `key`. */
  nativeId?: string;
  provider?: string;
  /** Resource type (`s3-bucket`, `secret`, `repository`, ...) or identity kind. */
  type?: string;
  account?: string;
  sensitivity?: Sensitivity;
  /** An administrator-equivalent target (account, cluster, project or tenant admin). */
  admin?: boolean;
}

export interface EdgeSpec {
  level?: AccessLevel;
  technique?: string;
  /** 0..1; 1 = certain. Conditional or inferred edges carry less. */
  confidence?: number;
  /** Why the edge exists (policy, binding, workflow); kept only for small graphs' explanations. */
  note?: string;
}

class Small {
  readonly list: string[] = [''];
  private readonly map = new Map<string, number>([['', 0]]);
  code(s: string | undefined): number {
    if (!s) return 0;
    let c = this.map.get(s);
    if (c === undefined) {
      c = this.list.length;
      this.list.push(s);
      this.map.set(s, c);
    }
    return c;
  }
}

function grow<T extends Int32Array | Uint8Array | Uint16Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  let len = a.length * 2;
  while (len < need) len *= 2;
  const b = new (a.constructor as new (n: number) => T)(len);
  b.set(a);
  return b;
}

/**
 * Builds an {@link AccessGraph} from nodes and edges, in compact typed arrays. Usable without the
 * store (benchmarks, tests, raw-export analysis).
 *
 * @example
 * const b = new GraphBuilder();
 * const agent = b.addNode({ key: 'agt_1', kind: 'agent', nativeId: 'support-bot' });
 * const role = b.addNode({ key: 'arn:aws:iam::1:role/r', kind: 'identity', provider: 'aws' });
 * b.addEdge(agent, role, 'uses');
 * const graph = b.build();
 */
export class GraphBuilder {
  private readonly keys: StringTable;
  private readonly natives = new StringTable(64);
  private nodeKind: Uint8Array;
  private nodeSens: Uint8Array;
  private nodeFlags: Uint8Array;
  private nodeType: Uint16Array;
  private nodeProvider: Uint16Array;
  private nodeAccount: Int32Array;
  private nodeNative: Int32Array;
  private readonly types = new Small();
  private readonly providers = new Small();
  private readonly accounts = new Small();
  private readonly techniques = new Small();
  private eFrom: Int32Array;
  private eTo: Int32Array;
  private eKind: Uint8Array;
  private eLevel: Uint8Array;
  private eTech: Uint16Array;
  private eConf: Uint8Array;
  private m = 0;
  private readonly notes = new Map<number, string>();

  constructor(options: { expectedNodes?: number; expectedEdges?: number } = {}) {
    const n = Math.max(16, options.expectedNodes ?? 1024);
    const m = Math.max(16, options.expectedEdges ?? 4096);
    this.keys = new StringTable(n);
    this.nodeKind = new Uint8Array(n);
    this.nodeSens = new Uint8Array(n);
    this.nodeFlags = new Uint8Array(n);
    this.nodeType = new Uint16Array(n);
    this.nodeProvider = new Uint16Array(n);
    this.nodeAccount = new Int32Array(n);
    this.nodeNative = new Int32Array(n).fill(-1);
    this.eFrom = new Int32Array(m);
    this.eTo = new Int32Array(m);
    this.eKind = new Uint8Array(m);
    this.eLevel = new Uint8Array(m);
    this.eTech = new Uint16Array(m);
    this.eConf = new Uint8Array(m);
  }

  get nodeCount(): number {
    return this.keys.size;
  }
  get edgeCount(): number {
    return this.m;
  }

  /** Index of the node with this key, or -1. */
  find(key: string): number {
    return this.keys.find(key);
  }

  /**
   * Adds a node, or merges into the node of the same key: a known kind replaces `unknown`, the
   * higher sensitivity wins, other fields fill only what is still empty.
   */
  addNode(spec: NodeSpec): number {
    const before = this.keys.size;
    const i = this.keys.intern(spec.key);
    const fresh = i === before;
    if (fresh && i >= this.nodeKind.length) {
      const need = i + 1;
      this.nodeKind = grow(this.nodeKind, need);
      this.nodeSens = grow(this.nodeSens, need);
      this.nodeFlags = grow(this.nodeFlags, need);
      this.nodeType = grow(this.nodeType, need);
      this.nodeProvider = grow(this.nodeProvider, need);
      this.nodeAccount = grow(this.nodeAccount, need);
      const old = this.nodeNative.length;
      this.nodeNative = grow(this.nodeNative, need);
      this.nodeNative.fill(-1, old);
    }
    const kind = nodeKindOf(spec.kind);
    if (fresh || this.nodeKind[i] === 0) this.nodeKind[i] = kind;
    const s = sensitivityOf(spec.sensitivity);
    if (s > this.nodeSens[i]!) this.nodeSens[i] = s;
    if (spec.admin) this.nodeFlags[i]! |= 1;
    if (spec.type && (fresh || this.nodeType[i] === 0)) this.nodeType[i] = this.types.code(spec.type);
    if (spec.provider && (fresh || this.nodeProvider[i] === 0))
      this.nodeProvider[i] = this.providers.code(spec.provider);
    if (spec.account && (fresh || this.nodeAccount[i] === 0))
      this.nodeAccount[i] = this.accounts.code(spec.account);
    const setNative =
      spec.nativeId !== undefined && spec.nativeId !== spec.key && (fresh || this.nodeNative[i] === -1);
    if (setNative) this.nodeNative[i] = this.natives.intern(spec.nativeId!);
    if (fresh || setNative) {
      const native = setNative ? spec.nativeId! : spec.key;
      // The first character settles almost every node before the pattern runs.
      const scope = native.charCodeAt(0) === 97 && SERVICE_SCOPE_RX.test(native);
      this.nodeFlags[i] = (this.nodeFlags[i]! & ~FLAG_SERVICE_SCOPE) | (scope ? FLAG_SERVICE_SCOPE : 0);
    }
    return i;
  }

  /** Adds a directed edge between two node indexes (or keys of nodes already added). */
  addEdge(from: number | string, to: number | string, kind: EdgeKind, spec: EdgeSpec = {}): number {
    const f = typeof from === 'number' ? from : this.keys.find(from);
    const t = typeof to === 'number' ? to : this.keys.find(to);
    if (f < 0 || t < 0 || f >= this.keys.size || t >= this.keys.size) {
      throw new RangeError(`edge ${String(from)} -> ${String(to)}: unknown node`);
    }
    const e = this.m++;
    if (e >= this.eFrom.length) {
      this.eFrom = grow(this.eFrom, e + 1);
      this.eTo = grow(this.eTo, e + 1);
      this.eKind = grow(this.eKind, e + 1);
      this.eLevel = grow(this.eLevel, e + 1);
      this.eTech = grow(this.eTech, e + 1);
      this.eConf = grow(this.eConf, e + 1);
    }
    this.eFrom[e] = f;
    this.eTo[e] = t;
    this.eKind[e] = edgeKindOf(kind);
    this.eLevel[e] = levelOf(spec.level);
    this.eTech[e] = this.techniques.code(spec.technique);
    this.eConf[e] = Math.round(Math.min(1, Math.max(0, spec.confidence ?? 1)) * 100);
    if (spec.note) this.notes.set(e, spec.note);
    return e;
  }

  /**
   * Freezes the graph: edges sorted by source into CSR (offsets + parallel arrays) and a reverse
   * index by target. The builder must not be used afterwards.
   */
  build(): AccessGraph {
    const n = this.keys.size;
    const m = this.m;
    const outOffsets = new Int32Array(n + 1);
    for (let e = 0; e < m; e++) outOffsets[this.eFrom[e]! + 1]!++;
    for (let i = 0; i < n; i++) outOffsets[i + 1]! += outOffsets[i]!;
    const cursor = outOffsets.slice(0, n);
    const perm = new Int32Array(m);
    for (let e = 0; e < m; e++) perm[cursor[this.eFrom[e]!]!++] = e;
    const targets = new Int32Array(m);
    const kind = new Uint8Array(m);
    const level = new Uint8Array(m);
    const technique = new Uint16Array(m);
    const confidence = new Uint8Array(m);
    const notes = new Map<number, string>();
    for (let p = 0; p < m; p++) {
      const e = perm[p]!;
      targets[p] = this.eTo[e]!;
      kind[p] = this.eKind[e]!;
      level[p] = this.eLevel[e]!;
      technique[p] = this.eTech[e]!;
      confidence[p] = this.eConf[e]!;
      const note = this.notes.get(e);
      if (note !== undefined) notes.set(p, note);
    }
    // Reverse index: for each target, the CSR positions of the edges that reach it.
    const inOffsets = new Int32Array(n + 1);
    for (let p = 0; p < m; p++) inOffsets[targets[p]! + 1]!++;
    for (let i = 0; i < n; i++) inOffsets[i + 1]! += inOffsets[i]!;
    const inCursor = inOffsets.slice(0, n);
    const inEdges = new Int32Array(m);
    const sources = new Int32Array(m);
    for (let u = 0; u < n; u++) {
      for (let p = outOffsets[u]!; p < outOffsets[u + 1]!; p++) {
        const c = inCursor[targets[p]!]!++;
        inEdges[c] = p;
        sources[c] = u;
      }
    }
    this.keys.compact();
    this.natives.compact();
    const arrays: GraphArrays = {
      nodeKind: this.nodeKind.slice(0, n),
      nodeSensitivity: this.nodeSens.slice(0, n),
      nodeFlags: this.nodeFlags.slice(0, n),
      nodeType: this.nodeType.slice(0, n),
      nodeProvider: this.nodeProvider.slice(0, n),
      nodeAccount: this.nodeAccount.slice(0, n),
      nodeNative: this.nodeNative.slice(0, n),
      outOffsets,
      targets,
      kind,
      level,
      technique,
      confidence,
      inOffsets,
      inEdges,
      sources,
    };
    // Release the build-time arrays before the caller keeps the graph.
    this.eFrom = this.eTo = new Int32Array(0);
    this.eKind = this.eLevel = this.eConf = new Uint8Array(0);
    this.eTech = new Uint16Array(0);
    const graph = new AccessGraph(arrays, {
      keys: this.keys,
      natives: this.natives,
      types: this.types.list,
      providers: this.providers.list,
      accounts: this.accounts.list,
      techniques: this.techniques.list,
      notes,
    });
    collectAfterBuild(graph.memoryBytes());
    return graph;
  }
}

/** Graphs whose arrays reach this size get a full collection at the end of their build. */
const COLLECT_AFTER_BYTES = 64 * 2 ** 20;

/**
 * A large build leaves the collector a debt: hundreds of MB of build-time typed arrays (outside
 * the JS heap) and the garbage of whatever fed the builder start collections that only the next
 * JS allocations, the first query's, finish (on a 5-million-node graph that made the first blast
 * radius of a process 40 to 90 ms slower, and the CLI runs one query per process). One full
 * collection here settles it as part of the build (about 40 ms for that graph).
 */
function collectAfterBuild(bytes: number): void {
  if (bytes < COLLECT_AFTER_BYTES) return;
  const gc = collector();
  if (gc) gc();
}

let gcFn: (() => void) | null | undefined;

/**
 * The collector's `gc()`: the global one when the process runs with `--expose-gc`, else one taken
 * from a fresh V8 context created while the flag is set for a moment (the flag only decides
 * whether new contexts get a `gc` global: https://nodejs.org/api/cli.html#--expose-gc,
 * https://nodejs.org/api/v8.html#v8setflagsfromstringflags). Null when neither works.
 */
export function collector(): (() => void) | null {
  if (gcFn !== undefined) return gcFn;
  const own = (globalThis as { gc?: unknown }).gc;
  if (typeof own === 'function') return (gcFn = own as () => void);
  gcFn = null;
  try {
    setFlagsFromString('--expose-gc');
    const fn = runInNewContext('gc') as unknown;
    if (typeof fn === 'function') gcFn = fn as () => void;
  } catch {
    // No collector: the build ends without one, as it did before.
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  return gcFn;
}
