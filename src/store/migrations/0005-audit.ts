import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Db = Kysely<any>;

/**
 * What the audit needs beyond 0001-core's `audits` and `findings`: the subject's readable name and
 * when a finding was first reported (carried from audit to audit for the new / fixed / still-open
 * diff), what each audit covered and how it ended, and an index to find the latest audit.
 */
export function audit(_ctx: MigrationContext) {
  return {
    async up(db: Db): Promise<void> {
      await db.schema.alterTable('findings').addColumn('subject', 'text').execute();
      await db.schema.alterTable('findings').addColumn('first_seen', 'text').execute();
      await db.schema.alterTable('audits').addColumn('scope', 'text').execute();
      await db.schema.alterTable('audits').addColumn('status', 'text').execute();
      await db.schema.createIndex('audits_finished').on('audits').column('finished_at').execute();
      await db.schema.createIndex('findings_rule').on('findings').columns(['audit_id', 'rule_id']).execute();
    },
  };
}
