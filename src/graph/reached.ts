import type { AccessLevel, Sensitivity } from '../model/index.js';
import { NATIVE_IS_KEY, type AccessGraph } from './access-graph.js';
import { LEVELS, SENSITIVITIES } from './graph-codes.js';
import type { ChainStep, ReachedIdentity, ReachedResource } from './traverse.js';

/** The step people read for the edge at CSR position e, from one native id to another. */
export function edgeStep(g: AccessGraph, e: number, from: string, to: string): ChainStep {
  const step: ChainStep = { from, to, kind: g.edgeKind(e), confidence: g.edgeConfidence(e) };
  const t = g.edgeTechnique(e);
  if (t) step.technique = t;
  const l = g.edgeLevel(e);
  if (l) step.level = l;
  const note = g.edgeNote(e);
  if (note) step.note = note;
  return step;
}

/**
 * One chain as a persistent list: a node's link points at its parent's, so every resource hanging
 * off the same principal shares that principal's prefix instead of copying it. The link keeps
 * the edge that reached it and builds its step (an object people read) only when a chain is read.
 */
export class ChainLink {
  /** Lowest edge confidence from the start to here. */
  readonly confidence: number;
  readonly length: number;
  #step: ChainStep | undefined;
  constructor(
    readonly prev: ChainLink | undefined,
    readonly id: string,
    private readonly g: AccessGraph,
    /** CSR position of the edge from `prev` to here; -1 at the start. */
    private readonly edge: number,
    edgeConfidence: number,
  ) {
    this.confidence = prev ? Math.min(prev.confidence, edgeConfidence) : 1;
    this.length = prev ? prev.length + 1 : 1;
  }
  get step(): ChainStep | undefined {
    if (!this.prev) return undefined;
    return (this.#step ??= edgeStep(this.g, this.edge, this.prev.id, this.id));
  }

  // JSON text of the chain up to here, memoised for one indentation (see writeReachedJson).
  #jsonIndent: string | undefined;
  #jsonPath = '';
  #jsonChain = '';
  /** `path` elements up to here as JSON.stringify(…, null, 2) writes them at indentation `ind`. */
  pathText(ind: string): string {
    if (this.#jsonIndent !== ind) this.#json(ind);
    return this.#jsonPath;
  }
  /** `chain` elements up to here ('' at the start), likewise. */
  chainText(ind: string): string {
    if (this.#jsonIndent !== ind) this.#json(ind);
    return this.#jsonChain;
  }
  #json(ind: string): void {
    const own = '\n' + ind + JSON.stringify(this.id);
    const prev = this.prev;
    // Kept flat: each resource then writes a few flat strings instead of a deep tree of
    // concatenations that every later read would walk again.
    this.#jsonPath = flat(prev ? prev.pathText(ind) + ',' + own : own);
    this.#jsonChain = prev ? flat(joinItem(prev.chainText(ind), stepText(this.step!, ind))) : '';
    this.#jsonIndent = ind;
  }
}

/**
 * The same string, flattened: V8 keeps `a + b` as a tree of its parts (a "cons string") until
 * something reads it by index, which copies the parts into one string once (`String::Flatten`
 * in V8's src/objects/string.cc). A link's text is read by every resource behind it.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** JSON items `a` (possibly none) then one more item `b` (text that starts with its newline). */
function joinItem(a: string, b: string): string {
  return a === '' ? b : a + ',' + b;
}

/** One chain step as an array element at indentation `ind`. */
function stepText(step: ChainStep, ind: string): string {
  return '\n' + ind + indented(step, ind);
}

/**
 * JSON.stringify(v, null, 2) of a value nested at indentation `ind`: the same text with every
 * line after the first indented by `ind` more (JSON strings never hold a raw newline).
 */
function indented(v: unknown, ind: string): string {
  const text = JSON.stringify(v, null, 2) as string | undefined;
  if (text === undefined) return 'null';
  return ind === '' ? text : text.replaceAll('\n', '\n' + ind);
}

function pathOf(l: ChainLink, last?: string): string[] {
  const n = last === undefined ? l.length : l.length + 1;
  const out = new Array<string>(n);
  if (last !== undefined) out[n - 1] = last;
  for (let c: ChainLink | undefined = l, i = l.length - 1; c; c = c.prev, i--) out[i] = c.id;
  return out;
}

function stepsOf(l: ChainLink, last?: ChainStep): ChainStep[] {
  const n = last === undefined ? l.length - 1 : l.length;
  const out = new Array<ChainStep>(n);
  if (last !== undefined) out[n - 1] = last;
  for (let c: ChainLink | undefined = l, i = l.length - 2; c?.step; c = c.prev, i--) out[i] = c.step;
  return out;
}

/**
 * What the resources of one blast radius hold, in typed arrays indexed by row (a resource's
 * number in the order the traversal reached it), shared by their {@link Resource} views: a first
 * query on a large graph lists thousands of resources before V8 has optimised anything, and one
 * object of ten fields each (with its strings, chains and the collections they start) cost more
 * than the traversal itself.
 */
export class ResourceRows {
  /** Node index of each row. */
  readonly node: Int32Array;
  /** Level code reached (see LEVELS). */
  readonly level: Uint8Array;
  readonly hops: Int32Array;
  /** CSR position of the edge the resource was reached by. */
  readonly edge: Int32Array;
  /** The node's record (AccessGraph.nodeRecord, 4 ints per row). */
  readonly record: Int32Array;
  /** Native id of each row. */
  readonly native: string[];
  /** Chain to the node each listed row was reached from (shared with everything reached from there). */
  readonly prev: (ChainLink | undefined)[];
  /** Keys of rows whose native id is not their key, decoded on first read. */
  #ids: (string | undefined)[] | undefined;
  /** `path` and `chain` of rows, built on first read. */
  #paths: (string[] | undefined)[] | undefined;
  #chains: (ChainStep[] | undefined)[] | undefined;
  constructor(
    readonly g: AccessGraph,
    capacity: number,
  ) {
    this.node = new Int32Array(capacity);
    this.level = new Uint8Array(capacity);
    this.hops = new Int32Array(capacity);
    this.edge = new Int32Array(capacity);
    this.record = new Int32Array(capacity * 4);
    this.native = new Array<string>(capacity);
    this.prev = new Array<ChainLink | undefined>(capacity);
  }
  id(r: number): string {
    if ((this.record[r * 4]! & NATIVE_IS_KEY) !== 0) return this.native[r]!;
    const ids = (this.#ids ??= new Array<string | undefined>(this.native.length));
    return (ids[r] ??= this.g.key(this.node[r]!));
  }
  path(r: number): string[] {
    const paths = (this.#paths ??= new Array<string[] | undefined>(this.native.length));
    return (paths[r] ??= pathOf(this.prev[r]!, this.native[r]));
  }
  /** `path` of row r when it has been read (and may have been changed by its reader). */
  pathIfRead(r: number): string[] | undefined {
    return this.#paths?.[r];
  }
  chain(r: number): ChainStep[] {
    const chains = (this.#chains ??= new Array<ChainStep[] | undefined>(this.native.length));
    return (chains[r] ??= stepsOf(this.prev[r]!, this.lastStep(r)));
  }
  chainIfRead(r: number): ChainStep[] | undefined {
    return this.#chains?.[r];
  }
  /** The step from the node row r was reached from to it. */
  lastStep(r: number): ChainStep {
    return edgeStep(this.g, this.edge[r]!, this.prev[r]!.id, this.native[r]!);
  }
}

/**
 * A reached resource: a view of one row of its blast radius's {@link ResourceRows}, every field
 * a getter on the prototype, made on first read (`path` and `chain` are kept once made). An
 * object of two fields: a 7,000-resource blast radius made as many objects of ten fields and
 * decoded their strings and chains before V8 had optimised anything, which was half of a first
 * query's time and most of its garbage. A copy must therefore name the fields: use
 * {@link plainReached} (or `toJSON`), not a spread; JSON.stringify writes the plain shape.
 */
export class Resource {
  #rows: ResourceRows;
  #r: number;
  constructor(rows: ResourceRows, row: number) {
    this.#rows = rows;
    this.#r = row;
  }
  get id(): string {
    return this.#rows.id(this.#r);
  }
  get nativeId(): string {
    return this.#rows.native[this.#r]!;
  }
  /** The highest level reached over every chain. */
  get level(): AccessLevel {
    return LEVELS[this.#rows.level[this.#r]!]!;
  }
  get hops(): number {
    return this.#rows.hops[this.#r]!;
  }
  /** Lowest edge confidence along the chain. */
  get confidence(): number {
    const rows = this.#rows;
    return Math.min(rows.prev[this.#r]!.confidence, rows.g.edgeConfidence(rows.edge[this.#r]!));
  }
  get provider(): string | undefined {
    return this.#rows.g.t.providers[(this.#rows.record[this.#r * 4]! >>> 8) & 0xffff] || undefined;
  }
  get type(): string | undefined {
    return this.#rows.g.t.types[this.#rows.record[this.#r * 4 + 1]! & 0xffff] || undefined;
  }
  get account(): string | undefined {
    return this.#rows.g.t.accounts[this.#rows.record[this.#r * 4 + 2]!] || undefined;
  }
  get sensitivity(): Sensitivity | undefined {
    const s = SENSITIVITIES[(this.#rows.record[this.#r * 4]! >>> 4) & 7];
    return s === 'unknown' ? undefined : s;
  }
  /** True for an administrator-equivalent target (absent otherwise). */
  get admin(): true | undefined {
    return (this.#rows.record[this.#r * 4]! & 0x80) !== 0 ? true : undefined;
  }
  get path(): string[] {
    return this.#rows.path(this.#r);
  }
  get chain(): ChainStep[] {
    return this.#rows.chain(this.#r);
  }
  /** What `JSON.stringify(this, null, 2)` writes, nested at indentation `ind` (see writeReachedJson). */
  jsonText(ind: string): string {
    const rows = this.#rows;
    const r = this.#r;
    const i2 = ind + '  ';
    const i4 = i2 + '  ';
    const prev = rows.prev[r]!;
    const nativeId = rows.native[r]!;
    const readPath = rows.pathIfRead(r);
    const readChain = rows.chainIfRead(r);
    const path = readPath
      ? indented(readPath, i2)
      : '[' + prev.pathText(i4) + ',\n' + i4 + JSON.stringify(nativeId) + '\n' + i2 + ']';
    const chain = readChain
      ? indented(readChain, i2)
      : '[' + joinItem(prev.chainText(i4), stepText(rows.lastStep(r), i4)) + '\n' + i2 + ']';
    return fieldsText(
      ind,
      [
        'id',
        this.id,
        'nativeId',
        nativeId,
        'level',
        this.level,
        'hops',
        this.hops,
        'path',
        RAW,
        'chain',
        RAW,
        'confidence',
        this.confidence,
        'provider',
        this.provider,
        'type',
        this.type,
        'account',
        this.account,
        'sensitivity',
        this.sensitivity,
        'admin',
        this.admin,
      ],
      [path, chain],
    );
  }
  toJSON(): ReachedResource {
    const o: ReachedResource = {
      id: this.id,
      nativeId: this.nativeId,
      level: this.level,
      hops: this.hops,
      path: this.path,
      chain: this.chain,
      confidence: this.confidence,
    };
    const { provider, type, account, sensitivity, admin } = this;
    if (provider !== undefined) o.provider = provider;
    if (type !== undefined) o.type = type;
    if (account !== undefined) o.account = account;
    if (sensitivity !== undefined) o.sensitivity = sensitivity;
    if (admin !== undefined) o.admin = admin;
    return o;
  }
}

/**
 * A reached identity, its fields its own (a blast radius reaches few identities next to its
 * resources); `path` and `chain` are getters, as on {@link Resource}.
 */
export class Identity implements ReachedIdentity {
  declare readonly confidence: number;
  declare readonly id: string;
  declare readonly nativeId: string;
  declare readonly kind: string;
  declare readonly hops: number;
  declare provider?: string;
  declare type?: string;
  #link: ChainLink;
  #path: string[] | undefined;
  #chain: ChainStep[] | undefined;
  constructor(
    id: string,
    nativeId: string,
    kind: string,
    hops: number,
    link: ChainLink,
    provider: string | undefined,
    type: string | undefined,
  ) {
    this.#link = link;
    const o = this as Writable<Identity>;
    o.confidence = link.confidence;
    o.id = id;
    o.nativeId = nativeId;
    o.kind = kind;
    o.hops = hops;
    o.provider = provider;
    o.type = type;
  }
  get path(): string[] {
    return (this.#path ??= pathOf(this.#link));
  }
  get chain(): ChainStep[] {
    return (this.#chain ??= stepsOf(this.#link));
  }
  /** What `JSON.stringify(this, null, 2)` writes, nested at indentation `ind` (see writeReachedJson). */
  jsonText(ind: string): string {
    const i2 = ind + '  ';
    const i4 = i2 + '  ';
    const path = this.#path ? indented(this.#path, i2) : '[' + this.#link.pathText(i4) + '\n' + i2 + ']';
    let chain: string;
    if (this.#chain) chain = indented(this.#chain, i2);
    else {
      const c = this.#link.chainText(i4);
      chain = c === '' ? '[]' : '[' + c + '\n' + i2 + ']';
    }
    return fieldsText(
      ind,
      [
        'id',
        this.id,
        'nativeId',
        this.nativeId,
        'kind',
        this.kind,
        'hops',
        this.hops,
        'path',
        RAW,
        'chain',
        RAW,
        'confidence',
        this.confidence,
        'provider',
        this.provider,
        'type',
        this.type,
      ],
      [path, chain],
    );
  }
  toJSON(): ReachedIdentity {
    const o: ReachedIdentity = {
      id: this.id,
      nativeId: this.nativeId,
      kind: this.kind,
      hops: this.hops,
      path: this.path,
      chain: this.chain,
      confidence: this.confidence,
    };
    if (this.provider !== undefined) o.provider = this.provider;
    if (this.type !== undefined) o.type = this.type;
    return o;
  }
}

/** The fields of T, writable and each allowed to hold `undefined` (for constructors only). */
type Writable<T> = { -readonly [K in keyof T]: T[K] | undefined };

/** A reached resource as a plain object (what `toJSON` writes), for code that copies or edits one. */
export function plainReached(r: ReachedResource): ReachedResource {
  return r instanceof Resource ? r.toJSON() : { ...r };
}

/** Marks a field whose JSON text is given (in order) rather than its value. */
const RAW = Symbol('raw');

/**
 * An object's JSON text as JSON.stringify(…, null, 2) writes it at indentation `ind`, from
 * alternating names and values (undefined values left out, as JSON.stringify does).
 */
function fieldsText(ind: string, kv: unknown[], raw: string[]): string {
  const i2 = ind + '  ';
  let out = '{';
  let r = 0;
  for (let k = 0; k < kv.length; k += 2) {
    const v = kv[k + 1];
    if (v === undefined) continue;
    const text = v === RAW ? raw[r++]! : indented(v, i2);
    out += (out.length > 1 ? ',\n' : '\n') + i2 + JSON.stringify(kv[k]) + ': ' + text;
  }
  return out === '{' ? '{}' : out + '\n' + ind + '}';
}
