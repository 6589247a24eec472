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
}

function pathOf(l: ChainLink): string[] {
  const out = new Array<string>(l.length);
  for (let c: ChainLink | undefined = l, i = l.length - 1; c; c = c.prev, i--) out[i] = c.id;
  return out;
}

function stepsOf(l: ChainLink): ChainStep[] {
  const out = new Array<ChainStep>(l.length - 1);
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
  #link: ChainLink;
  #path: string[] | undefined;
  #chain: ChainStep[] | undefined;
  constructor(
    id: string,
    nativeId: string,
    level: AccessLevel,
    hops: number,
    link: ChainLink,
    provider: string | undefined,
    type: string | undefined,
    account: string | undefined,
    sensitivity: Sensitivity | undefined,
    admin: true | undefined,
  ) {
    this.#link = link;
    // Optional fields are own properties set to undefined when absent, as they always were.
    const o = this as Writable<Resource>;
    o.confidence = link.confidence;
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
    return (this.#path ??= pathOf(this.#link));
  }
  get chain(): ChainStep[] {
    return (this.#chain ??= stepsOf(this.#link));
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
