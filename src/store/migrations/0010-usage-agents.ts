import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Db = Kysely<any>;

/**
 * `usage_agents`: per identity, user agent and UTC day, how many events (and failures) came from
 * that user agent. It is written with `usage`, from the same new events, whether raw events are
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
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('usage_agents_key', ['identity_id', 'user_agent', 'day']);
      if (!pg) create = create.modifyEnd(sql`without rowid`);
      await create.execute();
      await sql`INSERT INTO usage_agents (identity_id, user_agent, day, count, failures)
        SELECT identity_id, substr(user_agent, 1, 512), substr(time, 1, 10), count(*),
          sum(CASE WHEN outcome = 'failure' THEN 1 ELSE 0 END)
        FROM events WHERE identity_id IS NOT NULL AND user_agent IS NOT NULL
        GROUP BY identity_id, substr(user_agent, 1, 512), substr(time, 1, 10)`.execute(db);
    },
  };
}
