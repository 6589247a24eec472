import { sql, type Kysely, type Transaction } from 'kysely';
import { nodeId, recordId, stableId } from '../model/index.js';
import { bool, toJson } from './json.js';
import {
  emptyCounts,
  type AgentInput,
  type EdgeInput,
  type EventInput,
  type GrantInput,
  type IdentityInput,
  type ImportCounts,
  type ImportItem,
  type LinkInput,
  type OwnerInput,
  type ResourceInput,
  type SkipInput,
} from './import-types.js';
import type SQLite from 'better-sqlite3';
import { QueryBuilderWriter, SqliteWriter, type BulkWriter, type Row, type UsageRow } from './bulk-writer.js';
import { HISTORY_TABLES, type Database, type RecordType } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits for our widest table. */
const BATCH = 400;
/** Distinct usage keys kept in memory before they are written out. */
const USAGE_FLUSH = 100_000;

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
  private readonly usage = new Map<
    string,
    { count: number; failures: number; first: string; last: string }
  >();
  private readonly lastUsed = new Map<string, string>();
  private readonly placeholders = { agent: new Set<string>(), identity: new Set<string>() };
  readonly counts: ImportCounts = emptyCounts();
  /** Short key of the source in `observations`, where it is repeated on every row. */
  private readonly sourceId: string;
  readonly skipped: SkipInput[] = [];
  readonly notes: SkipInput[] = [];

  private readonly writer: BulkWriter;

  constructor(
    private readonly db: Db,
    private readonly options: ImportSessionOptions,
    /** SQLite's own handle, when the store is SQLite: enables the prepared-statement writer. */
    sqliteHandle?: SQLite.Database,
  ) {
    this.sourceId = stableId('src', options.source).slice(0, 16);
    this.writer = sqliteHandle ? new SqliteWriter(sqliteHandle) : new QueryBuilderWriter(db);
  }

  async add(item: ImportItem): Promise<void> {
    switch (item.type) {
      case 'skip':
        this.counts.skipped++;
        this.skipped.push(item.value);
        return;
      case 'note':
        this.counts.notes++;
        this.notes.push(item.value);
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
      case 'event':
        await this.event(item.value);
        break;
    }
    this.counts[item.type]++;
    await this.flushFull();
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
    const identityId = recordId.identity(g.identity.provider, g.identity.nativeId);
    const now = this.options.now;
    this.put('grant', {
      id: recordId.grant(identityId, g.key),
      identity_id: identityId,
      effect: g.effect,
      actions: toJson(g.actions),
      resources: toJson(g.resources),
      conditions: toJson(g.conditions),
      level: g.level,
      sensitivity: g.sensitivity ?? null,
      via: g.via ?? null,
      first_seen: now,
      updated_at: now,
      gone_at: null,
    });
  }

  private async event(e: EventInput): Promise<void> {
    const identityId = e.identity ? recordId.identity(e.identity.provider, e.identity.nativeId) : null;
    const raw = this.options.rawEvents !== false;
    const row: Row = {
      // Ids and attribute JSON only matter for stored events; the aggregate needs neither.
      id: raw ? recordId.event(e.provider, e.key, e.time) : '',
      identity_id: identityId,
      principal: e.principal,
      provider: e.provider,
      time: e.time,
      action: e.action,
      resource: e.resource ?? null,
      source_address: e.sourceAddress ?? null,
      user_agent: e.userAgent ?? null,
      outcome: e.outcome,
      attributes: raw ? toJson(e.attributes) : null,
    };
    if (!raw) this.aggregate(row);
    else {
      this.events.push(row);
      if (this.events.length >= BATCH) await this.flushEvents();
    }
  }

  private aggregate(row: Row): void {
    const identityId = row.identity_id as string | null;
    if (!identityId) return;
    const time = row.time as string;
    const key = `${identityId}\u0000${row.action as string}\u0000${(row.resource as string | null) ?? '*'}`;
    const u = this.usage.get(key);
    const failed = row.outcome === 'failure' ? 1 : 0;
    if (u) {
      u.count++;
      u.failures += failed;
      if (time < u.first) u.first = time;
      if (time > u.last) u.last = time;
    } else this.usage.set(key, { count: 1, failures: failed, first: time, last: time });
    if (!failed) {
      const prev = this.lastUsed.get(identityId);
      if (!prev || prev < time) this.lastUsed.set(identityId, time);
    }
  }

  private async flushEvents(): Promise<void> {
    if (this.events.length === 0) return;
    const rows = dedupe(this.events);
    this.events = [];
    // Only events not stored before count towards usage, so re-importing a log is idempotent.
    for (const r of await this.writer.insertEvents(rows)) this.aggregate(r);
    if (this.usage.size >= USAGE_FLUSH) await this.flushUsage();
  }

  private async flushUsage(): Promise<void> {
    const rows: UsageRow[] = [];
    for (const [key, u] of this.usage) {
      const [identity_id, action, resource] = key.split('\u0000') as [string, string, string];
      rows.push({
        identity_id,
        action,
        resource,
        count: u.count,
        failures: u.failures,
        first_time: u.first,
        last_time: u.last,
      });
    }
    this.usage.clear();
    if (rows.length) await this.writer.addUsage(rows);
  }

  private async flushFull(): Promise<void> {
    for (const type of Object.keys(this.buffers) as RecordType[]) {
      if (this.buffers[type].size >= BATCH) await this.flushType(type);
    }
  }

  private async flushType(type: RecordType): Promise<void> {
    const buf = this.buffers[type];
    if (buf.size === 0) return;
    const rows = [...buf.values()];
    buf.clear();
    await this.writer.upsert(type, rows);
    const { importId, now } = this.options;
    await this.writer.observe(
      rows.map((r) => ({
        record_type: type,
        record_id: r.id,
        source: this.sourceId,
        import_id: importId,
        seen_at: now,
      })),
    );
  }

  /** Writes what is buffered, marks what this source no longer reports, and records the import. */
  async finish(): Promise<ImportResult> {
    // Parents first, so a reader in the same transaction never sees a link without its ends.
    for (const type of ['owner', 'agent', 'identity', 'resource', 'grant', 'link', 'edge'] as const) {
      await this.flushType(type);
    }
    await this.flushEvents();
    await this.flushUsage();
    await this.applyLastUsed();
    const gone = this.options.complete === false ? 0 : await this.markGone();
    return {
      importId: this.options.importId,
      counts: this.counts,
      skipped: this.skipped,
      notes: this.notes,
      gone,
    };
  }

  private async applyLastUsed(): Promise<void> {
    await this.writer.lastUsed([...this.lastUsed.entries()]);
    this.lastUsed.clear();
  }

  private async markGone(): Promise<number> {
    const { importId, now } = this.options;
    const source = this.sourceId;
    await this.db
      .updateTable('observations')
      .set({ gone_at: now })
      .where('source', '=', source)
      .where('import_id', '<>', importId)
      .where('gone_at', 'is', null)
      .execute();
    let gone = 0;
    for (const [type, table] of Object.entries(HISTORY_TABLES)) {
      const res = await sql`UPDATE ${sql.table(table)} SET gone_at = ${now}
        WHERE gone_at IS NULL
          AND id IN (SELECT record_id FROM observations WHERE record_type = ${type} AND source = ${source} AND gone_at = ${now})
          AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.record_type = ${type} AND o.record_id = ${sql.table(table)}.id AND o.gone_at IS NULL)`.execute(
        this.db,
      );
      gone += Number(res.numAffectedRows ?? 0n);
    }
    return gone;
  }
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

function ownerRow(o: OwnerInput, now: string): Row {
  return {
    id: recordId.owner(o.ref),
    ref: o.ref.trim().toLowerCase(),
    name: o.name ?? null,
    email: o.email ?? null,
    status: o.status ?? null,
    departed_at: o.departedAt ?? null,
    attributes: toJson(o.attributes),
    first_seen: now,
    updated_at: now,
    gone_at: null,
  };
}

function agentRow(a: AgentInput, now: string): Row {
  return {
    id: recordId.agent(a.name),
    name: a.name.trim(),
    kind: a.kind ?? null,
    owner_ref: a.ownerRef ?? null,
    purpose: a.purpose ?? null,
    environment: a.environment ?? null,
    status: a.status ?? null,
    expected_end: a.expectedEnd ?? null,
    decommission_trigger: a.decommissionTrigger ?? null,
    invokers: toJson(a.invokers),
    approval_required: bool(a.approvalRequired),
    declared: a.declared ? 1 : 0,
    attributes: toJson(a.attributes),
    first_seen: now,
    updated_at: now,
    gone_at: null,
  };
}

function identityRow(i: IdentityInput, now: string): Row {
  return {
    id: recordId.identity(i.provider, i.nativeId),
    kind: i.kind ?? null,
    provider: i.provider.toLowerCase(),
    native_id: i.nativeId,
    name: i.name ?? null,
    account: i.account ?? null,
    owner_ref: i.ownerRef ?? null,
    created_at: i.createdAt ?? null,
    last_rotated_at: i.lastRotatedAt ?? null,
    expires_at: i.expiresAt ?? null,
    last_used_at: i.lastUsedAt ?? null,
    status: i.status ?? null,
    fingerprint: i.fingerprint ?? null,
    third_party: bool(i.thirdParty),
    environment: i.environment ?? null,
    attributes: toJson(i.attributes),
    first_seen: now,
    updated_at: now,
    gone_at: null,
  };
}

function resourceRow(r: ResourceInput, now: string): Row {
  return {
    id: recordId.resource(r.provider, r.nativeId),
    provider: r.provider.toLowerCase(),
    native_id: r.nativeId,
    type: r.type,
    name: r.name ?? null,
    account: r.account ?? null,
    sensitivity: r.sensitivity ?? null,
    attributes: toJson(r.attributes),
    first_seen: now,
    updated_at: now,
    gone_at: null,
  };
}

function edgeRow(e: EdgeInput, now: string): Row {
  const from = nodeId(e.from);
  const to = nodeId(e.to);
  return {
    id: recordId.edge(e.kind, from, to, e.key ?? e.technique ?? ''),
    kind: e.kind,
    from_id: from,
    to_id: to,
    level: e.level ?? null,
    technique: e.technique ?? null,
    confidence: e.confidence ?? 1,
    attributes: toJson(e.attributes),
    first_seen: now,
    updated_at: now,
    gone_at: null,
  };
}
