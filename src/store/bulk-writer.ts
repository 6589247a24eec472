import type SQLite from 'better-sqlite3';
import { sql, type Kysely, type Transaction } from 'kysely';
import {
  HISTORY_TABLES,
  type Database,
  type RecordType,
  type UsageAgentsTable,
  type UsageTable,
} from './schema.js';

export type Row = Record<string, unknown> & { id: string };
/** Rows of the usage tables as they are written (see schema.ts). */
export type UsageRow = UsageTable;
export type AgentUsageRow = UsageAgentsTable;
/** One source's observations in one import: record ids sorted (binary order) and distinct. */
export interface Observations {
  source: number;
  seq: number;
  ids: readonly string[];
}

/**
 * The write half of an import. Two implementations of one contract: the query builder (every
 * dialect), and prepared statements on SQLite's own handle, because an import of a million records
 * spends most of its time here and better-sqlite3 runs a cached single-row statement several times
 * faster than a freshly compiled multi-row one. Both run inside the caller's transaction and
 * produce the same rows (the store tests run every dialect against the same assertions).
 */
export interface BulkWriter {
  upsert(type: RecordType, rows: Row[]): Promise<void>;
  observe(o: Observations): Promise<void>;
  /** Inserts events not stored yet; returns those that were new. */
  insertEvents(rows: Row[]): Promise<Row[]>;
  addUsage(rows: UsageRow[]): Promise<void>;
  addAgentUsage(rows: AgentUsageRow[]): Promise<void>;
  /** Moves last_used_at forward (never back) for each identity. */
  lastUsed(entries: [string, string][]): Promise<void>;
}

/** Rows per statement for the query-builder writer: under every dialect's bound-parameter limit. */
const BATCH = 400;
/** Rows per cached multi-row statement of the SQLite writer (20 columns x 50 is far under its limit). */
const ROWS_PER_STATEMENT = 50;
const KEEP_ON_UPDATE = new Set(['id', 'first_seen']);

/** The merge rule of every soft-history table: a source's nulls never erase another source's values. */
function mergeExpression(table: string, type: RecordType, column: string): string | null {
  const cur = `${table}.${column}`;
  const ex = `excluded.${column}`;
  if (KEEP_ON_UPDATE.has(column)) return null;
  if (column === 'attributes') return `json_patch(coalesce(${cur}, '{}'), coalesce(${ex}, '{}'))`;
  if (column === 'gone_at') return 'NULL';
  if (column === 'declared') return `CASE WHEN ${ex} = 1 THEN 1 ELSE ${cur} END`;
  if (column === 'status' && type === 'identity') {
    return `CASE WHEN ${ex} IS NULL OR (${ex} = 'declared' AND ${cur} IS NOT NULL) THEN ${cur} ELSE ${ex} END`;
  }
  return `coalesce(${ex}, ${cur})`;
}

const USAGE_MERGE = {
  count: 'usage.count + excluded.count',
  failures: 'usage.failures + excluded.failures',
  first_time:
    'CASE WHEN excluded.first_time < usage.first_time THEN excluded.first_time ELSE usage.first_time END',
  last_time:
    'CASE WHEN excluded.last_time > usage.last_time THEN excluded.last_time ELSE usage.last_time END',
};

/** The same merge as usage's, on usage_agents. */
const AGENT_MERGE = Object.fromEntries(
  Object.entries(USAGE_MERGE).map(([k, v]) => [k, v.replaceAll('usage.', 'usage_agents.')]),
);

type Db = Kysely<Database> | Transaction<Database>;

/** The fastest writer for a transaction: SQLite's own handle when there is one. */
export function writerFor(db: Db, sqliteHandle: SQLite.Database | undefined): BulkWriter {
  return sqliteHandle ? SqliteWriter.for(sqliteHandle) : new QueryBuilderWriter(db);
}

export class QueryBuilderWriter implements BulkWriter {
  constructor(private readonly db: Db) {}

  async upsert(type: RecordType, rows: Row[]): Promise<void> {
    const table = HISTORY_TABLES[type];
    const set: Record<string, unknown> = {};
    for (const c of Object.keys(rows[0]!)) {
      const e = mergeExpression(table, type, c);
      if (e !== null) set[c] = sql.raw(e);
    }
    for (let i = 0; i < rows.length; i += BATCH) {
      await this.db
        .insertInto(table)
        .values(rows.slice(i, i + BATCH) as never)
        .onConflict((oc) => oc.column('id').doUpdateSet(set as never))
        .execute();
    }
  }

  async observe({ source, seq, ids }: Observations): Promise<void> {
    for (let i = 0; i < ids.length; i += BATCH) {
      await this.db
        .insertInto('observations')
        .values(ids.slice(i, i + BATCH).map((record_id) => ({ source, record_id, seq, gone_at: null })))
        .onConflict((oc) =>
          oc.columns(['source', 'record_id']).doUpdateSet({ seq: sql`excluded.seq`, gone_at: null }),
        )
        .execute();
    }
  }

  async insertEvents(rows: Row[]): Promise<Row[]> {
    const fresh = new Set<string>();
    for (let i = 0; i < rows.length; i += BATCH) {
      const inserted = await this.db
        .insertInto('events')
        .values(rows.slice(i, i + BATCH) as never)
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .execute();
      for (const r of inserted) fresh.add(r.id);
    }
    return rows.filter((r) => fresh.has(r.id));
  }

  async addUsage(rows: UsageRow[]): Promise<void> {
    const set = Object.fromEntries(Object.entries(USAGE_MERGE).map(([k, v]) => [k, sql.raw(v)]));
    for (let i = 0; i < rows.length; i += BATCH) {
      await this.db
        .insertInto('usage')
        .values(rows.slice(i, i + BATCH))
        .onConflict((oc) => oc.columns(['identity_id', 'action', 'resource']).doUpdateSet(set as never))
        .execute();
    }
  }

  async addAgentUsage(rows: AgentUsageRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += BATCH) {
      await this.db
        .insertInto('usage_agents')
        .values(rows.slice(i, i + BATCH))
        .onConflict((oc) =>
          oc
            .columns(['identity_id', 'user_agent'])
            .doUpdateSet(
              Object.fromEntries(Object.entries(AGENT_MERGE).map(([k, v]) => [k, sql.raw(v)])) as never,
            ),
        )
        .execute();
    }
  }

  async lastUsed(entries: [string, string][]): Promise<void> {
    for (const [id, time] of entries) {
      await this.db
        .updateTable('identities')
        .set({ last_used_at: time })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', time)]))
        .execute();
    }
  }
}

/** Prepared statements on the SQLite handle the transaction runs on; built once per column set. */
const writers = new WeakMap<SQLite.Database, SqliteWriter>();

/**
 * Binds the rows' values, in `columns` order, ROWS_PER_STATEMENT rows per call of `run` and the
 * rest one row per call (`n` says which). One values array is reused: better-sqlite3 binds it
 * before returning.
 */
function bindRows(columns: string[], rows: Row[], run: (values: unknown[], n: number) => void): void {
  const values: unknown[] = new Array(columns.length * ROWS_PER_STATEMENT);
  let i = 0;
  for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) {
    let n = 0;
    for (let j = i; j < i + ROWS_PER_STATEMENT; j++) {
      const r = rows[j]!;
      for (const c of columns) values[n++] = r[c] ?? null;
    }
    run(values, ROWS_PER_STATEMENT);
  }
  values.length = columns.length;
  for (; i < rows.length; i++) {
    const r = rows[i]!;
    for (let k = 0; k < columns.length; k++) values[k] = r[columns[k]!] ?? null;
    run(values, 1);
  }
}

export class SqliteWriter implements BulkWriter {
  private readonly statements = new Map<string, SQLite.Statement>();

  private constructor(private readonly handle: SQLite.Database) {}

  /**
   * One writer per database handle: its prepared statements outlive each import (compiling the
   * 50-row upserts again for every file of a folder of small files cost more than running them).
   */
  static for(handle: SQLite.Database): SqliteWriter {
    let w = writers.get(handle);
    if (!w) {
      w = new SqliteWriter(handle);
      writers.set(handle, w);
    }
    return w;
  }

  private prepare(key: string, text: () => string): SQLite.Statement {
    let s = this.statements.get(key);
    if (!s) {
      s = this.handle.prepare(text());
      this.statements.set(key, s);
    }
    return s;
  }

  async upsert(type: RecordType, rows: Row[]): Promise<void> {
    const table = HISTORY_TABLES[type];
    const columns = Object.keys(rows[0]!);
    const text = (n: number) => {
      const set = columns
        .map((c) => [c, mergeExpression(table, type, c)] as const)
        .filter((e): e is [string, string] => e[1] !== null)
        .map(([c, e]) => `${c} = ${e}`)
        .join(', ');
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(n).fill(tuple).join(', ')} ON CONFLICT(id) DO UPDATE SET ${set}`;
    };
    const key = `${table}:${columns.join(',')}`;
    // Rows of a batch have distinct ids, so a multi-row statement stores what row-by-row would,
    // with one call into SQLite per ROWS_PER_STATEMENT rows.
    const many = this.prepare(`${key}:${ROWS_PER_STATEMENT}`, () => text(ROWS_PER_STATEMENT));
    bindRows(columns, rows, (values, n) => (n === 1 ? this.prepare(key, () => text(1)) : many).run(values));
  }

  async observe({ source, seq, ids }: Observations): Promise<void> {
    // Ids arrive sorted, so on the (source, record_id) key this walks the source's range in order.
    const stmt = this.prepare(
      'observations',
      () => `INSERT INTO observations (source, record_id, seq, gone_at) VALUES (?, ?, ?, NULL)
        ON CONFLICT(source, record_id) DO UPDATE SET seq = excluded.seq, gone_at = NULL`,
    );
    const many = this.prepare(
      `observations:${ROWS_PER_STATEMENT}`,
      () => `INSERT INTO observations (source, record_id, seq, gone_at) VALUES ${Array(ROWS_PER_STATEMENT).fill('(?, ?, ?, NULL)').join(', ')}
        ON CONFLICT(source, record_id) DO UPDATE SET seq = excluded.seq, gone_at = NULL`,
    );
    const values: unknown[] = new Array(3 * ROWS_PER_STATEMENT);
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= ids.length; i += ROWS_PER_STATEMENT) {
      for (let j = 0; j < ROWS_PER_STATEMENT; j++) {
        values[3 * j] = source;
        values[3 * j + 1] = ids[i + j];
        values[3 * j + 2] = seq;
      }
      many.run(values);
    }
    for (; i < ids.length; i++) stmt.run(source, ids[i], seq);
  }

  async insertEvents(rows: Row[]): Promise<Row[]> {
    if (rows.length === 0) return [];
    const columns = Object.keys(rows[0]!);
    const text = (n: number) => {
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      return `INSERT INTO events (${columns.join(', ')}) VALUES ${Array(n).fill(tuple).join(', ')} ON CONFLICT(id) DO NOTHING RETURNING id`;
    };
    const key = `events:${columns.join(',')}`;
    // RETURNING names the rows that were new, so one call per ROWS_PER_STATEMENT rows still tells
    // which events count towards usage (rows of a batch have distinct ids).
    const many = this.prepare(`${key}:${ROWS_PER_STATEMENT}`, () => text(ROWS_PER_STATEMENT)).pluck();
    const one = this.prepare(key, () => text(1)).pluck();
    const fresh = new Set<unknown>();
    bindRows(columns, rows, (values, n) => {
      for (const id of (n === 1 ? one : many).all(values)) fresh.add(id);
    });
    return fresh.size === rows.length ? rows : rows.filter((r) => fresh.has(r.id));
  }

  async addUsage(rows: UsageRow[]): Promise<void> {
    const stmt = this.prepare(
      'usage',
      () => `INSERT INTO usage (identity_id, action, resource, count, failures, first_time, last_time) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(identity_id, action, resource) DO UPDATE SET ${Object.entries(USAGE_MERGE)
          .map(([k, v]) => `${k} = ${v}`)
          .join(', ')}`,
    );
    for (const u of rows)
      stmt.run(u.identity_id, u.action, u.resource, u.count, u.failures, u.first_time, u.last_time);
  }

  async addAgentUsage(rows: AgentUsageRow[]): Promise<void> {
    const stmt = this.prepare(
      'usage-agents',
      () => `INSERT INTO usage_agents (identity_id, user_agent, count, failures, first_time, last_time)
        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(identity_id, user_agent) DO UPDATE SET ${Object.entries(
          AGENT_MERGE,
        )
          .map(([k, v]) => `${k} = ${v}`)
          .join(', ')}`,
    );
    for (const a of rows)
      stmt.run(a.identity_id, a.user_agent, a.count, a.failures, a.first_time, a.last_time);
  }

  async lastUsed(entries: [string, string][]): Promise<void> {
    const stmt = this.prepare(
      'last-used',
      () =>
        'UPDATE identities SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)',
    );
    for (const [id, time] of entries) stmt.run(time, id, time);
  }
}
