import type { AccessLevel, Sensitivity } from '../model/index.js';
import type { AccessGraph } from './access-graph.js';
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
 * A reached node whose `path` and `chain` arrays are built on first read: a blast radius of
 * thousands of resources behind long role chains would otherwise spend its time (and the
 * collector's) copying prefixes nobody looks at. They are getters on the prototype (defining
 * accessors on each object cost more than the traversal), so a copy must name them:
 * `{ ...r, path: r.path, chain: r.chain }` or {@link plainReached}; `toJSON` writes the plain shape.
 *
 * Every field is set in the constructor, always in the same order (the optional ones to
 * `undefined` when absent), and there is no base class nor field initialiser: a first query
 * builds thousands of these before V8 has optimised anything, and a derived class with
 * initialised fields cost more to run and to compile than the traversal itself.
 */
export class Resource implements ReachedResource {
  declare readonly confidence: number;
  declare readonly id: string;
  declare readonly nativeId: string;
  declare readonly level: AccessLevel;
  declare readonly hops: number;
  declare provider?: string;
  declare type?: string;
  declare account?: string;
  declare sensitivity?: Sensitivity;
  declare admin?: boolean;
  /** Chain to the node it was reached from (shared with everything reached from there). */
  #prev: ChainLink;
  #g: AccessGraph;
  /** CSR position of the edge from there to here. */
  #edge: number;
  #path: string[] | undefined;
  #chain: ChainStep[] | undefined;
  constructor(
    id: string,
    nativeId: string,
    level: AccessLevel,
    hops: number,
    prev: ChainLink,
    g: AccessGraph,
    edge: number,
    provider: string | undefined,
    type: string | undefined,
    account: string | undefined,
    sensitivity: Sensitivity | undefined,
    admin: true | undefined,
  ) {
    // The resource is the last link of its chain itself (no ChainLink of its own: a blast
    // radius holds thousands of resources and one object less each is that much less to
    // allocate and collect in a first query).
    this.#prev = prev;
    this.#g = g;
    this.#edge = edge;
    // Optional fields are own properties set to undefined when absent, as they always were.
    const o = this as Writable<Resource>;
    o.confidence = Math.min(prev.confidence, g.edgeConfidence(edge));
    o.id = id;
    o.nativeId = nativeId;
    o.level = level;
    o.hops = hops;
    o.provider = provider;
    o.type = type;
    o.account = account;
    o.sensitivity = sensitivity;
    o.admin = admin;
  }
  get path(): string[] {
    return (this.#path ??= pathOf(this.#prev, this.nativeId));
  }
  get chain(): ChainStep[] {
    return (this.#chain ??= stepsOf(this.#prev, edgeStep(this.#g, this.#edge, this.#prev.id, this.nativeId)));
  }
  /** What `JSON.stringify(this, null, 2)` writes, nested at indentation `ind` (see writeReachedJson). */
  jsonText(ind: string): string {
    const i2 = ind + '  ';
    const i4 = i2 + '  ';
    let path: string;
    let chain: string;
    if (this.#path) path = indented(this.#path, i2);
    else path = '[' + this.#prev.pathText(i4) + ',\n' + i4 + JSON.stringify(this.nativeId) + '\n' + i2 + ']';
    if (this.#chain) chain = indented(this.#chain, i2);
    else {
      const last = stepText(edgeStep(this.#g, this.#edge, this.#prev.id, this.nativeId), i4);
      chain = '[' + joinItem(this.#prev.chainText(i4), last) + '\n' + i2 + ']';
    }
    return fieldsText(
      ind,
      [
        'id',
        this.id,
        'nativeId',
        this.nativeId,
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
    if (this.provider !== undefined) o.provider = this.provider;
    if (this.type !== undefined) o.type = this.type;
    if (this.account !== undefined) o.account = this.account;
    if (this.sensitivity !== undefined) o.sensitivity = this.sensitivity;
    if (this.admin !== undefined) o.admin = this.admin;
    return o;
  }
}

/** A reached identity; built like {@link Resource}. */
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
