import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Db = Kysely<any>;

/**
 * `sources.events_digest`: the content digest of the last file whose events a source counted into
 * `usage`. When raw events are not kept there is no event id to deduplicate on, so re-importing a
 * log file (a second audit of the same folder, or the same file under another path) would count
 * its events twice; the digest makes that import count nothing.
 */
export function sourceDigest(_ctx: MigrationContext) {
  return {
    async up(db: Db): Promise<void> {
      await db.schema.alterTable('sources').addColumn('events_digest', 'text').execute();
      await db.schema.createIndex('sources_events_digest').on('sources').column('events_digest').execute();
    },
  };
}
