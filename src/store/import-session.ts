import { sql, type Kysely, type Transaction } from 'kysely';
import { recordId, stableId } from '../model/index.js';
import {
  emptyCounts,
  type EventInput,
  type GrantInput,
  type ImportCounts,
  type ImportItem,
  type LinkInput,
  type SkipInput,
} from './import-types.js';
import type SQLite from 'better-sqlite3';
import { writerFor, type BulkWriter, type Row } from './bulk-writer.js';
import { HISTORY_TABLES, type Database, type RecordType } from './schema.js';
import { identityIdOf } from './id-cache.js';
import { agentRow, edgeRow, eventRow, grantRow, identityRow, ownerRow, resourceRow } from './record-rows.js';
import { UsageTally } from './usage-tally.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits for our widest table. */
const BATCH = 400;
/** Distinct usage keys kept in memory before they are written out. */
const USAGE_FLUSH = 100_000;
/**
 * Records of one type buffered before they are written, sorted by id: larger sorted runs touch
 * each page of the id index once per run instead of once per row.
 */
const RECORD_BATCH = 2000;
const RECORD_TYPES = Object.keys(HISTORY_TABLES) as RecordType[];

export interface ImportSessionOptions {
  /** Stable name of what is being imported (format + file or account); re-imports of it replace it. */
  source: string;
  format: string;
  path: string;
  importId: string;
  now: string;
  /** Keep every event (default), or only the per-identity usage aggregate. */
  rawEvents?: boolean;
  /** When false, records this source no longer reports are not marked gone (partial reads). */
  complete?: boolean;
  /**
   * Content digest of the file being imported. Without raw events, a file whose events some
   * import already counted (same digest) counts none again: usage stays idempotent. A function
   * is called only when the file turns out to hold events (digesting costs a read of the file).
   */
  digest?: string | (() => string);
}

export interface ImportResult {
  importId: string;
  counts: ImportCounts;
  skipped: SkipInput[];
  notes: SkipInput[];
  gone: number;
}

/**
 * Streams records of one source into the store in batches, inside the caller's transaction: it
 * never holds more than one batch per table, merges what several sources say of the same record,
 * and at `finish` marks what this source stopped reporting as gone (soft history).
 */
export class ImportSession {
  private readonly buffers: { [K in RecordType]: Map<string, Row> } = {
    owner: new Map(),
    agent: new Map(),
    identity: new Map(),
    link: new Map(),
    grant: new Map(),
    resource: new Map(),
    edge: new Map(),
  };
  private events: Row[] = [];
  /** Usage of the events this import stored for the first time (see `finish`'s `deferUsage`). */
  readonly tally = new UsageTally();
  private readonly placeholders = { agent: new Set<string>(), identity: new Set<string>() };
  readonly counts: ImportCounts = emptyCounts();
  /** Short stable key of the source in `sources`. */
  private readonly sourceId: string;
  /** Ids of every record this import reported, written to `observations` (sorted) at `finish`. */
  private seen: string[] = [];
  readonly skipped: SkipInput[] = [];
  readonly notes: SkipInput[] = [];

  private readonly writer: BulkWriter;
  /** Events go to usage: false when raw events are off and this exact file was counted before. */
  private countEvents = true;
  /** The file's digest, once known (see `ImportSessionOptions.digest`). */
  private digest: string | undefined;
  /** Whether events summed outside the session (`counted` items) went into usage. */
  private countedElsewhere: boolean | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: ImportSessionOptions,
    /** SQLite's own handle, when the store is SQLite: enables the prepared-statement writer. */
    sqliteHandle?: SQLite.Database,
  ) {
    this.sourceId = stableId('src', options.source).slice(0, 16);
    this.writer = writerFor(db, sqliteHandle);
  }

  /** Looks up, before the first item, whether this file's events were counted already. */
  async start(): Promise<void> {
    if (typeof this.options.digest === 'string') await this.checkDigest();
  }

  private async checkDigest(): Promise<void> {
    const { digest, rawEvents } = this.options;
    if (rawEvents !== false || !digest || this.digest !== undefined) return;
    this.digest = typeof digest === 'string' ? digest : digest();
    const seen = await this.db
      .selectFrom('sources')
      .select('id')
      .where('events_digest', '=', this.digest)
      .executeTakeFirst();
    this.countEvents = seen === undefined;
  }

  /** Takes one item; returns a promise only when a batch had to be written (most calls need none). */
  add(item: ImportItem): Promise<void> | undefined {
    switch (item.type) {
      case 'skip':
        this.counts.skipped++;
        this.skipped.push(item.value);
        return;
      case 'note':
        this.counts.notes++;
        this.notes.push(item.value);
        return;
      case 'counted':
        this.counts.event += item.value.events;
        if (item.value.events > 0) this.countedElsewhere = item.value.counted;
        return;
      case 'owner':
        this.put('owner', ownerRow(item.value, this.options.now));
        break;
      case 'agent':
        this.put('agent', agentRow(item.value, this.options.now));
        break;
      case 'identity':
        this.put('identity', identityRow(item.value, this.options.now));
        break;
      case 'link':
        this.link(item.value);
        break;
      case 'grant':
        this.grant(item.value);
        break;
      case 'resource':
        this.put('resource', resourceRow(item.value, this.options.now));
        break;
      case 'edge':
        this.put('edge', edgeRow(item.value, this.options.now));
        break;
      case 'row':
        this.put(item.value.record, item.value.row);
        this.counts[item.value.record]++;
        return this.flushFull();
      case 'event':
      case 'event-row': {
        // Events never fill the record buffers: counted here, without the flushFull walk, and
        // without a promise unless a batch is due.
        this.counts.event++;
        // A digest given as a function is taken at the first event (files without events skip it).
        if (this.digest === undefined && typeof this.options.digest === 'function')
          return this.checkDigest().then(() => this.anyEvent(item));
        return this.anyEvent(item);
      }
    }
    this.counts[item.type]++;
    return this.flushFull();
  }

  private put(type: RecordType, row: Row): void {
    const buf = this.buffers[type];
    const prev = buf.get(row.id);
    buf.set(row.id, prev ? mergeRows(prev, row) : row);
  }

  /** Links may name an agent or identity no source has reported yet: keep a placeholder for it. */
  private link(l: LinkInput): void {
    const agentId = recordId.agent(l.agent);
    const identityId = recordId.identity(l.identity.provider, l.identity.nativeId);
    this.placeholderAgent(l.agent);
    this.placeholderIdentity(l.identity.provider, l.identity.nativeId);
    const now = this.options.now;
    this.put('link', {
      id: recordId.link(agentId, identityId, l.source),
      agent_id: agentId,
      identity_id: identityId,
      source: l.source,
      evidence: l.evidence,
      confidence: l.confidence,
      first_seen: now,
      updated_at: now,
      gone_at: null,
    });
  }

  private placeholderAgent(name: string): void {
    const id = recordId.agent(name);
    if (this.placeholders.agent.has(id) || this.buffers.agent.has(id)) return;
    this.placeholders.agent.add(id);
    this.put('agent', agentRow({ name }, this.options.now));
  }

  private placeholderIdentity(provider: string, nativeId: string): void {
    const id = recordId.identity(provider, nativeId);
    if (this.placeholders.identity.has(id) || this.buffers.identity.has(id)) return;
    this.placeholders.identity.add(id);
    this.put('identity', identityRow({ provider, nativeId }, this.options.now));
  }

  private grant(g: GrantInput): void {
    this.put('grant', grantRow(g, this.options.now));
  }

  private anyEvent(item: Extract<ImportItem, { type: 'event' | 'event-row' }>): Promise<void> | undefined {
    return item.type === 'event' ? this.event(item.value) : this.eventRow(item.value);
  }

  /** Buffers one event (or folds it into the aggregate); returns a promise only when a batch is written. */
  private event(e: EventInput): Promise<void> | undefined {
    if (!this.countEvents) return undefined;
    if (this.options.rawEvents === false) {
      const identityId = e.identity ? identityIdOf(e.identity.provider, e.identity.nativeId) : null;
      if (identityId)
        this.tally.add(
          identityId,
          e.action,
          e.resource ?? null,
          e.time,
          e.outcome === 'failure',
          e.userAgent ?? null,
        );
      return undefined;
    }
    return this.eventRow(eventRow(e));
  }

  /** {@link event} for an event whose row is built already. */
  private eventRow(row: Row): Promise<void> | undefined {
    if (!this.countEvents) return undefined;
    if (this.options.rawEvents === false) {
      this.aggregate(row);
      return undefined;
    }
    this.events.push(row);
    if (this.events.length >= BATCH) return this.flushEvents();
    return undefined;
  }

  private aggregate(row: Row): void {
    const identityId = row.identity_id as string | null;
    if (!identityId) return;
    this.tally.add(
      identityId,
      row.action as string,
      row.resource as string | null,
      row.time as string,
      row.outcome === 'failure',
      row.user_agent as string | null,
    );
  }

  private async flushEvents(): Promise<void> {
    if (this.events.length === 0) return;
    const rows = dedupe(this.events);
    this.events = [];
    // Only events not stored before count towards usage, so re-importing a log is idempotent.
    for (const r of await this.writer.insertEvents(rows)) this.aggregate(r);
    if (this.tally.size >= USAGE_FLUSH) await this.flushUsage();
  }

  private async flushUsage(): Promise<void> {
    await this.tally.flushUsage(this.writer);
  }

  private flushFull(): Promise<void> | undefined {
    for (const type of RECORD_TYPES) {
      if (this.buffers[type].size >= RECORD_BATCH) return this.flushType(type);
    }
    return undefined;
  }

  private async flushType(type: RecordType): Promise<void> {
    const buf = this.buffers[type];
    if (buf.size === 0) return;
    const rows = [...buf.values()];
    buf.clear();
    rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    await this.writer.upsert(type, rows);
    for (const r of rows) this.seen.push(r.id);
  }

  /**
   * Counts this import in its source's `seq` and returns the source's number, or nothing for a
   * source that never reported a record and reports none now (e.g. a log of events only).
   */
  private async openSource(): Promise<{ source: number; seq: number } | undefined> {
    const { importId, now, source: name } = this.options;
    const key = this.sourceId;
    // The digest of a file whose events were counted now (raw events off), kept for the next import.
    const counted = this.countedElsewhere ?? (this.countEvents && this.counts.event > 0);
    const digest = this.options.rawEvents === false && counted ? (this.digest ?? null) : undefined;
    const prev = await this.db
      .selectFrom('sources')
      .select(['id', 'seq'])
      .where('key', '=', key)
      .executeTakeFirst();
    if (prev) {
      const seq = Number(prev.seq) + 1;
      await this.db
        .updateTable('sources')
        .set({
          seq,
          name,
          import_id: importId,
          seen_at: now,
          ...(digest !== undefined ? { events_digest: digest } : {}),
        })
        .where('id', '=', prev.id)
        .execute();
      return { source: Number(prev.id), seq };
    }
    if (this.seen.length === 0 && !digest) return undefined;
    const row = await this.db
      .insertInto('sources')
      .values({ key, name, seq: 1, import_id: importId, seen_at: now, events_digest: digest ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { source: Number(row.id), seq: 1 };
  }

  /**
   * Writes what is buffered, marks what this source no longer reports, and records the import.
   * With `deferUsage`, the usage of this import's events stays in {@link tally} for the caller to
   * write (a batch sums the tallies of its imports and writes them once).
   */
  async finish({ deferUsage = false } = {}): Promise<ImportResult> {
    // Parents first, so a reader in the same transaction never sees a link without its ends.
    for (const type of ['owner', 'agent', 'identity', 'resource', 'grant', 'link', 'edge'] as const) {
      await this.flushType(type);
    }
    await this.flushEvents();
    if (!deferUsage) await this.tally.flush(this.writer);
    const source = await this.openSource();
    if (source) await this.writer.observe({ ...source, ids: sortedDistinct(this.seen) });
    this.seen = [];
    // A source's first import has nothing it could stop reporting.
    const gone =
      this.options.complete === false || !source || source.seq === 1 ? 0 : await this.markGone(source);
    return {
      importId: this.options.importId,
      counts: this.counts,
      skipped: this.skipped,
      notes: this.notes,
      gone,
    };
  }

  /**
   * Marks gone what this source reported before but not in this import (`seq`), and every such
   * record no other source still reports. Record ids carry their type's prefix, so each table
   * only matches its own ids; another source's observation is found by probing the
   * (source, record_id) key once per source.
   */
  private async markGone({ source, seq }: { source: number; seq: number }): Promise<number> {
    const { now } = this.options;
    const marked = await this.db
      .updateTable('observations')
      .set({ gone_at: now })
      .where('source', '=', source)
      .where('seq', '<>', seq)
      .where('gone_at', 'is', null)
      .executeTakeFirst();
    if (Number(marked.numUpdatedRows) === 0) return 0;
    let gone = 0;
    for (const table of Object.values(HISTORY_TABLES)) {
      const res = await sql`UPDATE ${sql.table(table)} SET gone_at = ${now}
        WHERE gone_at IS NULL
          AND id IN (SELECT record_id FROM observations WHERE source = ${source} AND gone_at = ${now})
          AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.source IN (SELECT id FROM sources)
            AND o.record_id = ${sql.table(table)}.id AND o.gone_at IS NULL)`.execute(this.db);
      gone += Number(res.numAffectedRows ?? 0n);
    }
    return gone;
  }
}

/** Sorts in place (binary order, as SQLite compares text) and drops repeats. */
function sortedDistinct(ids: string[]): string[] {
  ids.sort();
  let n = 0;
  for (const id of ids) if (n === 0 || id !== ids[n - 1]) ids[n++] = id;
  ids.length = n;
  return ids;
}

function dedupe(rows: Row[]): Row[] {
  const m = new Map<string, Row>();
  for (const r of rows) m.set(r.id, r);
  return [...m.values()];
}

/** Later non-null values win; attributes are merged key by key. */
function mergeRows(a: Row, b: Row): Row {
  const out: Row = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v === null || v === undefined) continue;
    if (k === 'attributes' && typeof a.attributes === 'string') {
      out.attributes = JSON.stringify({ ...JSON.parse(a.attributes), ...JSON.parse(v as string) });
    } else if (k === 'declared') out.declared = Math.max(Number(a.declared ?? 0), Number(v));
    else out[k] = v;
  }
  return out;
}
