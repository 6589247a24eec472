import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Db = Kysely<any>;

/**
 * Soft history written once per record per import must be cheap: 0001-core's `observations`
 * repeated the record type, a text source key, a 40-character import id and a timestamp on every
 * row, and kept two text indexes beside the table (about 270 bytes and three B-tree inserts per
 * record). Here a source is a small integer from `sources`, which also holds its import counter
 * `seq` and its latest import id and time; an observation is (source, record_id, seq, gone_at),
 * keyed by (source, record_id) and, on SQLite, stored in that key's order (WITHOUT ROWID). An
 * import writes its observations sorted by record id, which on SQLite appends to the source's
 * range instead of scattering writes over random pages. Record ids carry their type's prefix, so
 * the record type needs no column.
 */
export function compactObservations(ctx: MigrationContext) {
  const pg = ctx.dialect === 'postgres';
  return {
    async up(db: Db): Promise<void> {
      await db.schema
        .createTable('sources')
        .addColumn('id', pg ? 'serial' : 'integer', (c) =>
          pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text')
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('import_id', 'text')
        .addColumn('seen_at', 'text')
        .execute();
      await db.schema.alterTable('observations').renameTo('observations_0001').execute();
      let create = db.schema
        .createTable('observations')
        .addColumn('source', 'integer', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('gone_at', 'text')
        .addPrimaryKeyConstraint('observations_source_record', ['source', 'record_id']);
      if (!pg) create = create.modifyEnd(sql`without rowid`);
      await create.execute();
      // Existing observations become import 1 of their source: the next import is 2, so whatever
      // it does not report is marked gone exactly as before.
      await sql`INSERT INTO sources (key, seq) SELECT DISTINCT source, 1 FROM observations_0001`.execute(db);
      await sql`INSERT INTO observations (source, record_id, seq, gone_at)
        SELECT s.id, o.record_id, 1, o.gone_at FROM observations_0001 o JOIN sources s ON s.key = o.source
        ORDER BY s.id, o.record_id`.execute(db);
      await db.schema.dropTable('observations_0001').execute();
    },
  };
}
