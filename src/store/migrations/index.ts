import type { Migration, MigrationProvider } from 'kysely';
import { core } from './0001-core.js';
import { audit } from './0005-audit.js';
import { compactObservations } from './0007-compact-observations.js';
import { eventsIngest } from './0008-events-ingest.js';
import { usageWithoutRowid } from './0009-usage-without-rowid.js';
import { usageAgents } from './0010-usage-agents.js';
import { sourceDigest } from './0011-source-digest.js';
import type { MigrationContext } from './context.js';

/**
 * Every migration, in order. Names are zero-padded so they sort; never rename or edit one that
 * has been released: add a new one. Dialect-specific SQL lives only here.
 */
export function migrationProvider(ctx: MigrationContext): MigrationProvider {
  const all: Record<string, Migration> = {
    '0001-core': core(ctx),
    '0005-audit': audit(ctx),
    '0007-compact-observations': compactObservations(ctx),
    '0008-events-ingest': eventsIngest(ctx),
    '0009-usage-without-rowid': usageWithoutRowid(ctx),
    '0010-usage-agents': usageAgents(ctx),
    '0011-source-digest': sourceDigest(ctx),
  };
  return { getMigrations: async () => all };
}

export type { Dialect, MigrationContext } from './context.js';
