/**
 * The parts of the store a reader in a worker thread uses: building rows and summing usage, with
 * none of the database drivers. A worker that imported `index.ts` would load Kysely, pg and
 * better-sqlite3 (most of a second of start-up each time) only to leave them unused.
 */
export { prepareItem } from './record-rows.js';
export { UsageTally, decimalAt, isoMs, type UsageRows } from './usage-tally.js';
export { own } from './own-string.js';
export { identityIdOf } from './id-cache.js';
