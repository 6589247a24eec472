import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { freshDatabase, type TestDialect } from './dialects.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export function kyselyOn(url: string): Kysely<any> {
  if (!url.startsWith('postgres'))
    return new Kysely({ dialect: new SqliteDialect({ database: new SQLite(url) }) });
  return new Kysely({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
  });
}

/** A database without any migration: a new SQLite file, or a new (not templated) PostgreSQL one. */
export async function emptyDatabase(
  dialect: TestDialect,
  onDrop: (drop: () => Promise<void>) => void,
): Promise<string> {
  if (dialect === 'sqlite') {
    const { url, drop } = await freshDatabase('sqlite');
    onDrop(drop);
    return url;
  }
  const base = inject('pgUrl');
  if (!base) throw new Error('no PostgreSQL server for the tests');
  const name = `m_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  onDrop(async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  return base.replace(/\/[^/]*$/, `/${name}`);
}

/** Runs exactly the given (older) migrations on `db`, as a store of that release would have. */
export async function migrateWith(db: Kysely<any>, migrations: Record<string, Migration>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'warden_migrations',
    migrationLockTableName: 'warden_migrations_lock',
    allowUnorderedMigrations: true,
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
