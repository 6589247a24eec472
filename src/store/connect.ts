import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { WardenError } from '../errors/index.js';
import { migrationProvider, type Dialect } from './migrations/index.js';
import type { Database } from './schema.js';

export interface Connection {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, with any password masked. */
  location: string;
  /** SQLite's own handle (SQLite only), for the prepared-statement bulk writer. */
  sqlite?: SQLite.Database;
  close(): Promise<void>;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Masks the password of a connection URL for messages. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1****@');
}

/**
 * Opens the store: a SQLite file (created with its folder, WAL mode) or a PostgreSQL URL, then runs
 * pending migrations. Fails with WARDEN_STORE_UNREACHABLE or WARDEN_MIGRATION_FAILED.
 */
export async function connect(url: string): Promise<Connection> {
  let conn: Connection;
  if (isPostgresUrl(url)) {
    // Loaded only for PostgreSQL: every command of a SQLite install would pay for the driver.
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    try {
      const client = await pool.connect();
      client.release();
    } catch (cause) {
      await pool.end().catch(() => undefined);
      throw new WardenError(
        'WARDEN_STORE_UNREACHABLE',
        `cannot connect to ${redactUrl(url)}: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    conn = { db, dialect: 'postgres', location: redactUrl(url), close: () => db.destroy() };
  } else {
    let sqlite: SQLite.Database;
    try {
      if (url !== ':memory:') mkdirSync(path.dirname(url), { recursive: true });
      sqlite = new SQLite(url);
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('busy_timeout = 5000');
      // Imports write random-keyed B-trees; a 64 MiB page cache keeps them off the disk.
      sqlite.pragma('cache_size = -65536');
      sqlite.pragma('temp_store = MEMORY');
      // Checkpoint (and fsync) every 64 MiB of WAL rather than every 4 MiB: bulk imports commit often.
      sqlite.pragma('wal_autocheckpoint = 16384');
    } catch (cause) {
      throw new WardenError(
        'WARDEN_STORE_UNREACHABLE',
        `cannot open SQLite database ${url}: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    conn = { db, dialect: 'sqlite', location: url, sqlite, close: () => db.destroy() };
  }
  try {
    await migrate(conn);
  } catch (e) {
    await conn.close().catch(() => undefined);
    throw e;
  }
  return conn;
}

async function migrate(conn: Connection): Promise<void> {
  const migrator = new Migrator({
    db: conn.db,
    provider: migrationProvider({ dialect: conn.dialect }),
    migrationTableName: 'warden_migrations',
    migrationLockTableName: 'warden_migrations_lock',
    // Modules number their own migrations; one that lands later with a lower number must still run.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new WardenError(
      'WARDEN_MIGRATION_FAILED',
      `migration ${failed} failed: ${(error as Error).message}`,
      {
        cause: error,
        details: { migration: failed },
      },
    );
  }
}
