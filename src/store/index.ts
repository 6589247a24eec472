/**
 * Persistence behind one interface: SQLite (embedded default) or PostgreSQL, one typed query path,
 * versioned migrations run at open, one transaction per imported source, soft history.
 *
 * @example
 * const store = await openStore('postgres://warden@localhost:5432/warden');
 * const { counts, skipped } = await store.importSource({ source, format, path }, items);
 */
export { Store, openStore, type ListOptions, type ImportSourceOptions } from './store.js';
export { isPostgresUrl, redactUrl } from './connect.js';
export type { ImportResult } from './import-session.js';
export type { ImportBatch } from './import-batch.js';
export { UsageTally, type UsageRows } from './usage-tally.js';
export { identityIdOf } from './id-cache.js';
export { prepareItem } from './record-rows.js';
export * from './import-types.js';
export type { Stored } from './mappers.js';
export type { Database } from './schema.js';
export type { Dialect } from './migrations/index.js';
export { parseJson } from './json.js';
