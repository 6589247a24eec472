import { sql, type ControlledTransaction, type Kysely } from 'kysely';
import { toWardenError, WardenError } from '../errors/index.js';
import type { ImportResult } from './import-session.js';
import type { BulkWriter } from './bulk-writer.js';
import type { ImportItem } from './import-types.js';
import { UsageTally, writeUsageRows, type UsageRows } from './usage-tally.js';
import type { Database } from './schema.js';
import type { ImportSourceOptions } from './store.js';

/** Records and events written between two commits of a batch. */
const COMMIT_EVERY = 100_000;
/** Distinct usage keys summed in memory before they are written (inside the transaction). */
const TALLY_FLUSH = 200_000;

/** Imports one source in the given transaction, leaving its usage in the returned tally. */
export type RunImport = (
  db: Kysely<Database>,
  options: ImportSourceOptions,
  items: AsyncIterable<ImportItem> | Iterable<ImportItem>,
) => Promise<{ result: ImportResult; tally: UsageTally }>;

/**
 * Imports many sources with few commits: each source runs in its own savepoint, so a source that
 * fails is rolled back alone and the store is as it was before it, while the sources around it
 * share one transaction. A commit per file made a folder of small files (a CloudTrail tree holds
 * one per region every five minutes) pay for writing the same random pages of the usage and id
 * indexes back once per file: most of the CPU of a CloudTrail import (bench aws-cloudtrail).
 *
 * Nothing is durable until {@link commit}: the caller reports the sources imported since the last
 * commit as failed when a commit fails.
 */
export class ImportBatch {
  private trx: ControlledTransaction<Database> | undefined;
  private pending = 0;
  private savepoints = 0;
  /** Usage of the sources imported since the last commit, written just before it. */
  private readonly tally = new UsageTally();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly run: RunImport,
    private readonly writer: (db: Kysely<Database>) => BulkWriter,
  ) {}

  /** Imports one source inside the batch; throws (with the source rolled back) if it fails. */
  async importSource(
    options: ImportSourceOptions,
    items: AsyncIterable<ImportItem> | Iterable<ImportItem>,
    { alone = false }: { alone?: boolean } = {},
  ): Promise<ImportResult> {
    if (alone) return this.importAlone(options, items);
    this.trx ??= await this.db.startTransaction().execute();
    const trx = this.trx;
    const name = `src_${++this.savepoints}`;
    await sql`SAVEPOINT ${sql.raw(name)}`.execute(trx);
    try {
      const { result, tally } = await this.run(trx, options, items);
      await sql`RELEASE SAVEPOINT ${sql.raw(name)}`.execute(trx);
      this.tally.merge(tally);
      if (this.tally.size >= TALLY_FLUSH) await this.tally.flushUsage(this.writer(trx));
      this.pending += Object.values(result.counts).reduce((a, b) => a + b, 0);
      return result;
    } catch (e) {
      try {
        await sql`ROLLBACK TO SAVEPOINT ${sql.raw(name)}`.execute(trx);
        await sql`RELEASE SAVEPOINT ${sql.raw(name)}`.execute(trx);
      } catch (rollbackError) {
        // The transaction itself is broken: drop it whole, and say so rather than go on half-written.
        await this.abandon();
        throw toWardenError(rollbackError, 'WARDEN_STORE_FAILED', `import of ${options.path} failed`);
      }
      if (e instanceof WardenError) throw e;
      throw toWardenError(e, 'WARDEN_STORE_FAILED', `import of ${options.path} failed`);
    }
  }

  /**
   * A large source in a transaction of its own, after committing what the batch holds: inside a
   * savepoint, SQLite keeps a copy of every page the source changes (to roll back to), which for a
   * million-record export is gigabytes of memory and most of the import's time.
   */
  private async importAlone(
    options: ImportSourceOptions,
    items: AsyncIterable<ImportItem> | Iterable<ImportItem>,
  ): Promise<ImportResult> {
    await this.commit();
    const trx = await this.db.startTransaction().execute();
    this.trx = trx;
    try {
      const { result, tally } = await this.run(trx, options, items);
      this.tally.merge(tally);
      await this.commit();
      return result;
    } catch (e) {
      await this.abandon();
      if (e instanceof WardenError) throw e;
      throw toWardenError(e, 'WARDEN_STORE_FAILED', `import of ${options.path} failed`);
    }
  }

  /**
   * Writes usage summed elsewhere (CloudTrail files aggregated in worker threads) into the open
   * transaction, added to what is stored. The sources whose events it sums were imported in this
   * batch with `counted` items; the caller must not commit between those and this call.
   */
  async writeUsage(rows: UsageRows): Promise<void> {
    this.trx ??= await this.db.startTransaction().execute();
    await writeUsageRows(this.writer(this.trx), rows);
  }

  /** Sources imported since the last commit, counted in records: worth a commit when large. */
  get due(): boolean {
    return this.pending >= COMMIT_EVERY;
  }

  /** Makes everything imported so far durable. */
  async commit(): Promise<void> {
    const trx = this.trx;
    if (!trx) return;
    this.trx = undefined;
    this.pending = 0;
    try {
      await this.tally.flush(this.writer(trx));
      await trx.commit().execute();
    } catch (e) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      throw toWardenError(e, 'WARDEN_STORE_FAILED', 'commit of the imported sources failed');
    }
  }

  /** Rolls back whatever has not been committed (the caller gave up). */
  async abandon(): Promise<void> {
    const trx = this.trx;
    this.trx = undefined;
    this.pending = 0;
    this.tally.clear();
    if (trx && !trx.isCommitted && !trx.isRolledBack)
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
  }
}
