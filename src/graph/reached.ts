import type { AccessLevel, Sensitivity } from '../model/index.js';
import type { ChainStep, ReachedIdentity, ReachedResource } from './traverse.js';

/**
 * One chain as a persistent list: a node's link points at its parent's, so every resource hanging
 * off the same principal shares that principal's prefix instead of copying it.
 */
export interface ChainLink {
  prev: ChainLink | undefined;
  id: string;
  step: ChainStep | undefined;
  confidence: number;
  length: number;
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
 */
abstract class Chained {
  #link: ChainLink;
  #path: string[] | undefined;
  #chain: ChainStep[] | undefined;
  readonly confidence: number;
  constructor(link: ChainLink) {
    this.#link = link;
    this.confidence = link.confidence;
  }
  get path(): string[] {
    return (this.#path ??= pathOf(this.#link));
  }
  get chain(): ChainStep[] {
    return (this.#chain ??= stepsOf(this.#link));
  }
}

export class Resource extends Chained implements ReachedResource {
  provider?: string;
  type?: string;
  account?: string;
  sensitivity?: Sensitivity;
  admin?: boolean;
  constructor(
    readonly id: string,
    readonly nativeId: string,
    readonly level: AccessLevel,
    readonly hops: number,
    link: ChainLink,
  ) {
    super(link);
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

export class Identity extends Chained implements ReachedIdentity {
  provider?: string;
  type?: string;
  constructor(
    readonly id: string,
    readonly nativeId: string,
    readonly kind: string,
    readonly hops: number,
    link: ChainLink,
  ) {
    super(link);
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

/** A reached resource as a plain object (what `toJSON` writes), for code that copies or edits one. */
export function plainReached(r: ReachedResource): ReachedResource {
  return r instanceof Resource ? r.toJSON() : { ...r };
}
