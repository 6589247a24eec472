import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type SQLite from 'better-sqlite3';
import {
  newId,
  type Agent,
  type Edge,
  type Grant,
  type Identity,
  type Link,
  type Owner,
  type Resource,
} from '../model/index.js';
import { toWardenError, WardenError } from '../errors/index.js';
import { connect, type Connection } from './connect.js';
import { writerFor } from './bulk-writer.js';
import { ImportBatch } from './import-batch.js';
import { ImportSession, type ImportResult, type ImportSessionOptions } from './import-session.js';
import type { ImportItem } from './import-types.js';
import { toJson } from './json.js';
import { toAgent, toEdge, toGrant, toIdentity, toLink, toOwner, toResource, type Stored } from './mappers.js';
import type { Dialect } from './migrations/index.js';
import type { Database } from './schema.js';
import type { UsageTally } from './usage-tally.js';

export interface ListOptions {
  /** Include records every source has stopped reporting. */
  includeGone?: boolean;
}

/** SQLite page cache during an import, in KiB as `cache_size` takes it (negative): 256 MiB. */
const IMPORT_CACHE_KIB = -262144;

export interface ImportSourceOptions extends Omit<ImportSessionOptions, 'importId' | 'now'> {
  now?: string;
}

/**
 * The inventory store: one typed query path over SQLite or PostgreSQL.
 *
 * @example
 * const store = await openStore('.warden/warden.db');
 * await store.importSource({ source: 'agents.yaml', format: 'agents-yaml', path: 'agents.yaml' }, items);
 * const agents = await store.listAgents();
 */
export class Store {
  private constructor(private readonly conn: Connection) {}

  static async open(url: string): Promise<Store> {
    return new Store(await connect(url));
  }

  get dialect(): Dialect {
    return this.conn.dialect;
  }
  get location(): string {
    return this.conn.location;
  }
  /**
   * better-sqlite3's own handle on a SQLite store (undefined on PostgreSQL), for bulk writers that
   * need one cached prepared statement: the query builder re-prepares every multi-row insert. Use
   * it only inside a transaction the store opened, where it runs on that transaction's connection.
   */
  get sqliteHandle(): SQLite.Database | undefined {
    return this.conn.sqlite;
  }
  /** The typed query builder, for read models that need their own queries. */
  get db(): Kysely<Database> {
    return this.conn.db;
  }

  async close(): Promise<void> {
    await this.conn.close();
  }

  /**
   * Imports one source in one transaction: either every record it yielded is stored (with its
   * skipped records listed) or, if reading fails part-way, nothing is and the store is as it was.
   */
  async importSource(
    options: ImportSourceOptions,
    items: AsyncIterable<ImportItem> | Iterable<ImportItem>,
  ): Promise<ImportResult> {
    return this.withImportCache(async () => {
      try {
        return await this.conn.db
          .transaction()
          .execute(async (trx) => (await this.runImport(trx, options, items, false)).result);
      } catch (e) {
        if (e instanceof WardenError) throw e;
        throw toWardenError(e, 'WARDEN_STORE_FAILED', `import of ${options.path} failed`);
      }
    });
  }

  /**
   * Imports many sources with few commits (see {@link ImportBatch}): `run` imports through the
   * batch and commits when `batch.due`; whatever is left is committed when `run` returns, and
   * rolled back if it throws. No other query may run on the store until `run` has returned: on
   * SQLite the batch holds the one connection.
   *
   * @example
   * await store.importBatch(async (batch) => {
   *   for (const f of files) {
   *     await batch.importSource({ source: f, format, path: f }, read(f));
   *     if (batch.due) await batch.commit();
   *   }
   * });
   */
  async importBatch<T>(run: (batch: ImportBatch) => Promise<T>): Promise<T> {
    return this.withImportCache(async () => {
      const batch = new ImportBatch(
        this.conn.db,
        (db, options, items) => this.runImport(db, options, items, true),
        (db) => writerFor(db, this.conn.sqlite),
      );
      try {
        const out = await run(batch);
        await batch.commit();
        return out;
      } finally {
        await batch.abandon();
      }
    });
  }

  /**
   * Record ids are hashes, so an import inserts at random places in every id index: a larger page
   * cache while importing keeps those pages in memory instead of spilling them to the WAL and
   * reading them back (SQLite allocates cache pages only as they are used; restored afterwards).
   */
  private async withImportCache<T>(f: () => Promise<T>): Promise<T> {
    const sqlite = this.conn.sqlite;
    const cache = sqlite ? Number(sqlite.pragma('cache_size', { simple: true })) : 0;
    const grow = sqlite !== undefined && cache < 0 && cache > IMPORT_CACHE_KIB;
    if (grow) sqlite.pragma(`cache_size = ${IMPORT_CACHE_KIB}`);
    try {
      return await f();
    } finally {
      if (grow) sqlite.pragma(`cache_size = ${cache}`);
    }
  }

  /** One source inside a transaction the caller owns; with `deferUsage` its usage is left unwritten. */
  private async runImport(
    trx: Kysely<Database>,
    options: ImportSourceOptions,
    items: AsyncIterable<ImportItem> | Iterable<ImportItem>,
    deferUsage: boolean,
  ): Promise<{ result: ImportResult; tally: UsageTally }> {
    const now = options.now ?? new Date().toISOString();
    const importId = newId('imp');
    const session = new ImportSession(trx, { ...options, importId, now }, this.conn.sqlite);
    await session.start();
    for await (const item of items) {
      const due = session.add(item);
      if (due) await due;
    }
    const result = await session.finish({ deferUsage });
    await trx
      .insertInto('imports')
      .values({
        id: importId,
        source: options.source,
        format: options.format,
        path: options.path,
        started_at: now,
        finished_at: new Date().toISOString(),
        status: 'ok',
        counts: toJson(result.counts),
        skipped: toJson(result.skipped.slice(0, 1000)),
      })
      .execute();
    return { result, tally: session.tally };
  }

  /** Content digests of the log files whose events were counted into usage (usage-only imports). */
  async countedEventDigests(): Promise<string[]> {
    const rows = await this.conn.db
      .selectFrom('sources')
      .select('events_digest')
      .where('events_digest', 'is not', null)
      .execute();
    return rows.map((r) => r.events_digest!);
  }

  async getSetting(key: string): Promise<string | undefined> {
    const row = await this.conn.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.value;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.conn.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  /** The installation's fingerprint salt: the configured one, else one generated once and kept. */
  async fingerprintSalt(configured?: string): Promise<string> {
    if (configured) return configured;
    const existing = await this.getSetting('fingerprint_salt');
    if (existing) return existing;
    const salt = randomBytes(32).toString('base64url');
    await this.conn.db
      .insertInto('settings')
      .values({ key: 'fingerprint_salt', value: salt })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return (await this.getSetting('fingerprint_salt')) ?? salt;
  }

  async listAgents(options: ListOptions = {}): Promise<Stored<Agent>[]> {
    let q = this.conn.db.selectFrom('agents').selectAll().orderBy('name');
    if (!options.includeGone) q = q.where('gone_at', 'is', null);
    return (await q.execute()).map(toAgent);
  }

  async findAgent(name: string): Promise<Stored<Agent> | undefined> {
    const row = await this.conn.db
      .selectFrom('agents')
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['name']), '=', name.trim().toLowerCase()))
      .executeTakeFirst();
    return row ? toAgent(row) : undefined;
  }

  async getIdentity(id: string): Promise<Stored<Identity> | undefined> {
    const row = await this.conn.db
      .selectFrom('identities')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toIdentity(row) : undefined;
  }

  async findIdentity(provider: string, nativeId: string): Promise<Stored<Identity> | undefined> {
    const row = await this.conn.db
      .selectFrom('identities')
      .selectAll()
      .where('provider', '=', provider.toLowerCase())
      .where('native_id', '=', nativeId)
      .executeTakeFirst();
    return row ? toIdentity(row) : undefined;
  }

  async identitiesByIds(ids: readonly string[]): Promise<Stored<Identity>[]> {
    const out: Stored<Identity>[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.conn.db
        .selectFrom('identities')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      out.push(...rows.map(toIdentity));
    }
    return out;
  }

  /** Every identity in pages, so a million-row inventory is never one array. */
  async *iterateIdentities(
    options: ListOptions & { pageSize?: number; withAttribute?: string | readonly string[] } = {},
  ): AsyncGenerator<Stored<Identity>> {
    const size = options.pageSize ?? 2000;
    let after = '';
    for (;;) {
      let q = this.conn.db
        .selectFrom('identities')
        .selectAll()
        .where('id', '>', after)
        .orderBy('id')
        .limit(size);
      if (!options.includeGone) q = q.where('gone_at', 'is', null);
      // A cheap pre-filter (the exact check is the caller's): rows whose attributes mention a key.
      const needles =
        typeof options.withAttribute === 'string' ? [options.withAttribute] : options.withAttribute;
      if (needles) {
        q = q.where((eb) =>
          eb.or(
            needles.map((n) =>
              eb(sql<string>`cast(attributes as text)`, 'like', `%"${n.replace(/[%_"\\]/g, '')}"%`),
            ),
          ),
        );
      }
      const rows = await q.execute();
      for (const r of rows) yield toIdentity(r);
      if (rows.length < size) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  async listIdentities(options: ListOptions = {}): Promise<Stored<Identity>[]> {
    const out: Stored<Identity>[] = [];
    for await (const i of this.iterateIdentities(options)) out.push(i);
    return out;
  }

  async listLinks(
    filter: { agentId?: string; identityId?: string } & ListOptions = {},
  ): Promise<Stored<Link>[]> {
    let q = this.conn.db.selectFrom('links').selectAll().orderBy('id');
    if (filter.agentId) q = q.where('agent_id', '=', filter.agentId);
    if (filter.identityId) q = q.where('identity_id', '=', filter.identityId);
    if (!filter.includeGone) q = q.where('gone_at', 'is', null);
    return (await q.execute()).map(toLink);
  }

  async listOwners(options: ListOptions = {}): Promise<Stored<Owner>[]> {
    let q = this.conn.db.selectFrom('owners').selectAll().orderBy('ref');
    if (!options.includeGone) q = q.where('gone_at', 'is', null);
    return (await q.execute()).map(toOwner);
  }

  async listGrants(filter: { identityId?: string } & ListOptions = {}): Promise<Stored<Grant>[]> {
    let q = this.conn.db.selectFrom('grants').selectAll().orderBy('id');
    if (filter.identityId) q = q.where('identity_id', '=', filter.identityId);
    if (!filter.includeGone) q = q.where('gone_at', 'is', null);
    return (await q.execute()).map(toGrant);
  }

  async listResources(options: ListOptions = {}): Promise<Stored<Resource>[]> {
    let q = this.conn.db.selectFrom('resources').selectAll().orderBy('id');
    if (!options.includeGone) q = q.where('gone_at', 'is', null);
    return (await q.execute()).map(toResource);
  }

  async listEdges(filter: { kind?: string; fromId?: string } & ListOptions = {}): Promise<Stored<Edge>[]> {
    let q = this.conn.db.selectFrom('edges').selectAll().orderBy('id');
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    if (filter.fromId) q = q.where('from_id', '=', filter.fromId);
    if (!filter.includeGone) q = q.where('gone_at', 'is', null);
    return (await q.execute()).map(toEdge);
  }

  async usageFor(identityId: string) {
    return this.conn.db
      .selectFrom('usage')
      .selectAll()
      .where('identity_id', '=', identityId)
      .orderBy('action')
      .execute();
  }

  /** Row counts of the main tables (live records only). */
  async counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of ['agents', 'identities', 'owners', 'links', 'grants', 'resources', 'edges'] as const) {
      const r = await this.conn.db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('gone_at', 'is', null)
        .executeTakeFirstOrThrow();
      out[t] = Number(r.n);
    }
    const ev = await this.conn.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    out.events = Number(ev.n);
    return out;
  }
}

export function openStore(url: string): Promise<Store> {
  return Store.open(url);
}
