import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Db = Kysely<any>;

/**
 * Drops the `(identity_id, time)` index on `events`. Events arrive in time order but from every
 * identity at once, so each log file's commit dirtied one page of that index per identity it
 * named: on SQLite, writing those pages back took more CPU than everything else in a CloudTrail
 * import together (bench/cases/aws-cloudtrail.mjs). Nothing reads events by identity and time: usage
 * and last use come from the `usage` table, and the audit's one events query scans by time and
 * user agent across all identities.
 */
export function eventsIngest(_ctx: MigrationContext) {
  return {
    async up(db: Db): Promise<void> {
      await db.schema.dropIndex('events_identity_time').ifExists().execute();
    },
  };
}
