import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { Store } from '../store.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export type TestDialect = 'sqlite' | 'postgres';
export const DIALECTS: TestDialect[] = ['sqlite', 'postgres'];

let counter = 0;

/**
 * A fresh, empty database of the dialect: a new SQLite file, or a new PostgreSQL database on the
 * suite's server. Returns its URL and a cleanup. Under CI=true a missing server throws.
 */
export async function freshDatabase(
  dialect: TestDialect,
): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'warden-test-'));
    return {
      url: path.join(dir, 'warden.db'),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = inject('pgUrl');
  if (!base) throw new Error('no PostgreSQL server for the tests');
  const name = `t_${process.pid}_${Date.now()}_${counter++}`;
  const pg = (await import('pg')).default;
  const template = await migratedTemplate(base);
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const url = base.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

let templateReady: Promise<string> | undefined;

/**
 * One migrated database per test process, copied for each test: CREATE DATABASE … TEMPLATE is much
 * faster than running the migrations every time.
 */
function migratedTemplate(base: string): Promise<string> {
  templateReady ??= (async () => {
    const pg = (await import('pg')).default;
    const name = `tpl_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const store = await Store.open(base.replace(/\/[^/]*$/, `/${name}`));
    await store.close();
    return name;
  })();
  return templateReady;
}

/** Whether PostgreSQL tests can run here (always true under CI, where its absence fails setup). */
export function hasPostgres(): boolean {
  return Boolean(inject('pgUrl'));
}

/** Opens a store on a fresh database; `close` also drops it. */
export async function openTestStore(
  dialect: TestDialect,
): Promise<{ store: Store; url: string; close: () => Promise<void> }> {
  const { url, drop } = await freshDatabase(dialect);
  const store = await Store.open(url);
  return {
    store,
    url,
    close: async () => {
      await store.close();
      await drop();
    },
  };
}
