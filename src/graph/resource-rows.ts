import type { AccessLevel, Sensitivity } from '../model/index.js';
import { NATIVE_IS_KEY, type AccessGraph } from './access-graph.js';
import { LEVELS, SENSITIVITIES } from './graph-codes.js';
import type { ChainLink } from './reached.js';
import { RAW, edgeStep, fieldsText, indented, joinItem, pathOf, stepText, stepsOf } from './reached.js';
import type { ChainStep, ReachedResource } from './traverse.js';

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
  /**
   * Native id of each row, decoded on first read ({@link nativeId}): each is a read at a random
   * place of a string table of hundreds of megabytes and a new string, which for a blast radius of
   * thousands of resources was a third of a first query's time, most of it for resources a caller
   * lists but never names (a summary, the first page) or names once on output.
   */
  readonly #native: (string | undefined)[];
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
    this.#native = new Array<string | undefined>(capacity);
    this.prev = new Array<ChainLink | undefined>(capacity);
  }
  nativeId(r: number): string {
    const rec = this.record;
    return (this.#native[r] ??= this.g.nativeOf(
      this.node[r]!,
      rec[r * 4]!,
      rec[r * 4 + 1]!,
      rec[r * 4 + 3]!,
    ));
  }
  id(r: number): string {
    if ((this.record[r * 4]! & NATIVE_IS_KEY) !== 0) return this.nativeId(r);
    const ids = (this.#ids ??= new Array<string | undefined>(this.#native.length));
    return (ids[r] ??= this.g.key(this.node[r]!));
  }
  path(r: number): string[] {
    const paths = (this.#paths ??= new Array<string[] | undefined>(this.#native.length));
    return (paths[r] ??= pathOf(this.prev[r]!, this.nativeId(r)));
  }
  /** `path` of row r when it has been read (and may have been changed by its reader). */
  pathIfRead(r: number): string[] | undefined {
    return this.#paths?.[r];
  }
  chain(r: number): ChainStep[] {
    const chains = (this.#chains ??= new Array<ChainStep[] | undefined>(this.#native.length));
    return (chains[r] ??= stepsOf(this.prev[r]!, this.lastStep(r)));
  }
  chainIfRead(r: number): ChainStep[] | undefined {
    return this.#chains?.[r];
  }
  /** The step from the node row r was reached from to it. */
  lastStep(r: number): ChainStep {
    return edgeStep(this.g, this.edge[r]!, this.prev[r]!.id, this.nativeId(r));
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
    return this.#rows.nativeId(this.#r);
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
    const nativeId = rows.nativeId(r);
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

/** A reached resource as a plain object (what `toJSON` writes), for code that copies or edits one. */
export function plainReached(r: ReachedResource): ReachedResource {
  return r instanceof Resource ? r.toJSON() : { ...r };
}
