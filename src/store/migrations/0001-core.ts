import { sql, type Kysely, type CreateTableBuilder } from 'kysely';
import type { MigrationContext } from './context.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Db = Kysely<any>;
type Ctb = CreateTableBuilder<string, string>;

function history(t: Ctb): Ctb {
  return t
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('gone_at', 'text');
}

export function core(ctx: MigrationContext) {
  const json = ctx.dialect === 'postgres' ? sql`jsonb` : sql`text`;
  const real = ctx.dialect === 'postgres' ? sql`double precision` : sql`real`;
  return {
    async up(db: Db): Promise<void> {
      if (ctx.dialect === 'postgres') {
        // SQLite has json_patch built in; give PostgreSQL the same function so merges share one query.
        await sql`CREATE OR REPLACE FUNCTION json_patch(a jsonb, b jsonb) RETURNS jsonb
          LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce(a, '{}'::jsonb) || coalesce(b, '{}'::jsonb) $$`.execute(
          db,
        );
      }
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('imports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('counts', json)
        .addColumn('skipped', json)
        .execute();
      await db.schema
        .createTable('observations')
        .addColumn('record_type', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('import_id', 'text', (c) => c.notNull())
        .addColumn('seen_at', 'text', (c) => c.notNull())
        .addColumn('gone_at', 'text')
        .addPrimaryKeyConstraint('observations_pk', ['record_type', 'record_id', 'source'])
        .execute();
      await db.schema
        .createIndex('observations_source')
        .on('observations')
        .columns(['source', 'import_id'])
        .execute();

      await history(
        db.schema
          .createTable('owners')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('ref', 'text', (c) => c.notNull())
          .addColumn('name', 'text')
          .addColumn('email', 'text')
          .addColumn('status', 'text')
          .addColumn('departed_at', 'text')
          .addColumn('attributes', json),
      ).execute();

      await history(
        db.schema
          .createTable('agents')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('kind', 'text')
          .addColumn('owner_ref', 'text')
          .addColumn('purpose', 'text')
          .addColumn('environment', 'text')
          .addColumn('status', 'text')
          .addColumn('expected_end', 'text')
          .addColumn('decommission_trigger', 'text')
          .addColumn('invokers', json)
          .addColumn('approval_required', 'integer')
          .addColumn('declared', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('attributes', json),
      ).execute();

      await history(
        db.schema
          .createTable('identities')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text')
          .addColumn('provider', 'text', (c) => c.notNull())
          .addColumn('native_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text')
          .addColumn('account', 'text')
          .addColumn('owner_ref', 'text')
          .addColumn('created_at', 'text')
          .addColumn('last_rotated_at', 'text')
          .addColumn('expires_at', 'text')
          .addColumn('last_used_at', 'text')
          .addColumn('status', 'text')
          .addColumn('fingerprint', 'text')
          .addColumn('third_party', 'integer')
          .addColumn('environment', 'text')
          .addColumn('attributes', json),
      ).execute();
      await db.schema
        .createIndex('identities_native')
        .on('identities')
        .columns(['provider', 'native_id'])
        .unique()
        .execute();
      await db.schema.createIndex('identities_fingerprint').on('identities').column('fingerprint').execute();

      await history(
        db.schema
          .createTable('links')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('agent_id', 'text', (c) => c.notNull())
          .addColumn('identity_id', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('evidence', 'text', (c) => c.notNull())
          .addColumn('confidence', real, (c) => c.notNull()),
      ).execute();
      await db.schema.createIndex('links_agent').on('links').column('agent_id').execute();
      await db.schema.createIndex('links_identity').on('links').column('identity_id').execute();

      await history(
        db.schema
          .createTable('grants')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('identity_id', 'text', (c) => c.notNull())
          .addColumn('effect', 'text', (c) => c.notNull())
          .addColumn('actions', json)
          .addColumn('resources', json)
          .addColumn('conditions', json)
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('sensitivity', 'text')
          .addColumn('via', 'text'),
      ).execute();
      await db.schema.createIndex('grants_identity').on('grants').column('identity_id').execute();

      await history(
        db.schema
          .createTable('resources')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('provider', 'text', (c) => c.notNull())
          .addColumn('native_id', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('name', 'text')
          .addColumn('account', 'text')
          .addColumn('sensitivity', 'text')
          .addColumn('attributes', json),
      ).execute();

      await history(
        db.schema
          .createTable('edges')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('from_id', 'text', (c) => c.notNull())
          .addColumn('to_id', 'text', (c) => c.notNull())
          .addColumn('level', 'text')
          .addColumn('technique', 'text')
          .addColumn('confidence', real, (c) => c.notNull())
          .addColumn('attributes', json),
      ).execute();
      await db.schema.createIndex('edges_from').on('edges').column('from_id').execute();
      await db.schema.createIndex('edges_to').on('edges').column('to_id').execute();

      await db.schema
        .createTable('events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('identity_id', 'text')
        .addColumn('principal', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('time', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('resource', 'text')
        .addColumn('source_address', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('attributes', json)
        .execute();
      await db.schema
        .createIndex('events_identity_time')
        .on('events')
        .columns(['identity_id', 'time'])
        .execute();

      await db.schema
        .createTable('usage')
        .addColumn('identity_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('resource', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('first_time', 'text', (c) => c.notNull())
        .addColumn('last_time', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('usage_pk', ['identity_id', 'action', 'resource'])
        .execute();

      await db.schema
        .createTable('audits')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('summary', json)
        .execute();
      await db.schema
        .createTable('findings')
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('audit_id', 'text', (c) => c.notNull())
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('subject_type', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('agent_ids', json)
        .addColumn('owasp_nhi', json)
        .addColumn('failure_mode', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('evidence', json)
        .addColumn('remediation', 'text', (c) => c.notNull())
        .addColumn('score', real, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('location', json)
        .addPrimaryKeyConstraint('findings_pk', ['audit_id', 'id'])
        .execute();
    },
  };
}
