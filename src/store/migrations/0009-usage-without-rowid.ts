import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Db = Kysely<any>;

/**
 * On SQLite, `usage` becomes a WITHOUT ROWID table stored in its key's order (identity, action,
 * resource). As a rowid table each upsert probed the key's index and then updated the table: two
 * B-trees at random places per usage row, the largest cost of a CloudTrail import after the events
 * themselves (bench aws-cloudtrail). PostgreSQL keeps its heap and primary-key index as they are.
 */
export function usageWithoutRowid(ctx: MigrationContext) {
  const pg = ctx.dialect === 'postgres';
  return {
    async up(db: Db): Promise<void> {
      if (pg) return;
      await db.schema.alterTable('usage').renameTo('usage_0001').execute();
      await db.schema
        .createTable('usage')
        .addColumn('identity_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('resource', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('first_time', 'text', (c) => c.notNull())
        .addColumn('last_time', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('usage_key', ['identity_id', 'action', 'resource'])
        .modifyEnd(sql`without rowid`)
        .execute();
      await sql`INSERT INTO usage (identity_id, action, resource, count, failures, first_time, last_time)
        SELECT identity_id, action, resource, count, failures, first_time, last_time FROM usage_0001
        ORDER BY identity_id, action, resource`.execute(db);
      await db.schema.dropTable('usage_0001').execute();
    },
  };
}
