import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Db = Kysely<any>;

/**
 * `usage_agents`: per identity and user agent, how many events (and failures) came from that user
 * agent, and when first and last (as `usage` keeps them per action and resource). It is written with `usage`, from the same new events, whether raw events are
 * kept or not, so what the audit reads about how an identity is used (a browser or the console
 * signing in as a service user: OWASP NHI10) no longer needs the raw `events` table. Existing raw
 * events are folded in once here.
 */
export function usageAgents(ctx: MigrationContext) {
  const pg = ctx.dialect === 'postgres';
  return {
    async up(db: Db): Promise<void> {
      let create = db.schema
        .createTable('usage_agents')
        .addColumn('identity_id', 'text', (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('first_time', 'text', (c) => c.notNull())
        .addColumn('last_time', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('usage_agents_key', ['identity_id', 'user_agent']);
      if (!pg) create = create.modifyEnd(sql`without rowid`);
      await create.execute();
      await sql`INSERT INTO usage_agents (identity_id, user_agent, count, failures, first_time, last_time)
        SELECT identity_id, substr(user_agent, 1, 512), count(*),
          sum(CASE WHEN outcome = 'failure' THEN 1 ELSE 0 END), min(time), max(time)
        FROM events WHERE identity_id IS NOT NULL AND user_agent IS NOT NULL
        GROUP BY identity_id, substr(user_agent, 1, 512)`.execute(db);
    },
  };
}
