import type { Kysely, Transaction } from 'kysely';
import { RULES, type PreviousFinding } from '../posture/index.js';
import type { ReportFinding } from '../report/index.js';
import { parseJson, type Database, type Store } from '../store/index.js';

/** Columns migration 0005-audit adds to `audits` and `findings`. */
type AuditDb = Omit<Database, 'audits' | 'findings'> & {
  audits: Database['audits'] & { scope: string | null; status: string | null };
  findings: Database['findings'] & { subject: string | null; first_seen: string | null };
};

function db(store: Store): Kysely<AuditDb> {
  return store.db as unknown as Kysely<AuditDb>;
}

/** Rows per multi-row statement on the query-builder path (PostgreSQL), under its parameter limit. */
const BATCH = 500;
/** Rows per call of the cached SQLite insert: one call into SQLite for many rows. */
const ROWS_PER_STATEMENT = 50;
/** Previous findings read back per query when the diff needs them whole. */
const READ_BATCH = 500;
const META = new Map(RULES.map((r) => [r.meta.id, r.meta]));
/** Report fields that have no column of their own ride along in the evidence JSON under this key. */
const EXTRA = '_finding';

export interface StoredAudit {
  id: string;
  startedAt: string;
  finishedAt: string;
  scope: string[];
  summary: unknown;
}

/** The latest finished audit, if any. */
export async function latestAudit(store: Store): Promise<StoredAudit | undefined> {
  const row = await db(store)
    .selectFrom('audits')
    .selectAll()
    .where('finished_at', 'is not', null)
    .where('status', '=', 'ok')
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at!,
    scope: parseJson(row.scope, []),
    summary: parseJson(row.summary, {}),
  };
}

/** What the previous audit reported, to diff against. */
export async function previousFindings(store: Store, auditId: string): Promise<PreviousFinding[]> {
  const rows = await db(store).selectFrom('findings').selectAll().where('audit_id', '=', auditId).execute();
  return rows.map(toPrevious);
}

/**
 * What the diff needs of every finding of the previous audit: its id, status and first sighting.
 * Light on purpose (a million-finding audit is diffed without rebuilding a million findings);
 * `previousFindingsByIds` fetches whole the few that turn out fixed.
 */
export async function previousFindingStates(store: Store, auditId: string): Promise<PreviousFinding[]> {
  const rows = await db(store)
    .selectFrom('findings')
    .select(['id', 'status', 'first_seen'])
    .where('audit_id', '=', auditId)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status as PreviousFinding['status'],
    firstSeen: r.first_seen ?? '',
  }));
}

/** Whole findings of a previous audit, by id. */
export async function previousFindingsByIds(
  store: Store,
  auditId: string,
  ids: readonly string[],
): Promise<PreviousFinding[]> {
  const out: PreviousFinding[] = [];
  for (let i = 0; i < ids.length; i += READ_BATCH) {
    const rows = await db(store)
      .selectFrom('findings')
      .selectAll()
      .where('audit_id', '=', auditId)
      .where('id', 'in', ids.slice(i, i + READ_BATCH))
      .execute();
    for (const r of rows) out.push(toPrevious(r));
  }
  return out;
}

type FindingRow = AuditDb['findings'];

function toPrevious(r: FindingRow): PreviousFinding {
  const meta = META.get(r.rule_id);
  const ev = parseJson<Record<string, unknown>>(r.evidence, {});
  const extra = (ev[EXTRA] ?? {}) as Partial<ReportFinding>;
  delete ev[EXTRA];
  const finding: ReportFinding = {
    id: r.id,
    ruleId: r.rule_id,
    // Stored empty when they are the rule's own (see findingRow).
    title: r.title || meta?.title || r.rule_id,
    severity: r.severity as ReportFinding['severity'],
    subjectType: r.subject_type as ReportFinding['subjectType'],
    subjectId: r.subject_id,
    subject: r.subject ?? r.subject_id,
    agentIds: parseJson(r.agent_ids, []),
    agents: extra.agents ?? [],
    owaspNhi: parseJson(r.owasp_nhi, []),
    failureMode: r.failure_mode as ReportFinding['failureMode'],
    frameworks: extra.frameworks ?? meta?.frameworks ?? { owaspAgentic: [], nistCsf: [], cis: [], aiRmf: [] },
    message: r.message,
    evidence: ev,
    remediation: r.remediation || meta?.remediation || '',
    references: extra.references ?? meta?.references ?? [],
    score: Number(r.score),
    owners: extra.owners ?? [],
    status: r.status as ReportFinding['status'],
    change: extra.change ?? 'still-open',
    firstSeen: r.first_seen ?? '',
  };
  if (extra.fix) finding.fix = extra.fix;
  const loc = parseJson<ReportFinding['location'] | null>(r.location, null);
  if (loc) finding.location = loc;
  return { id: r.id, status: finding.status, firstSeen: finding.firstSeen, finding };
}

export async function startAudit(
  store: Store,
  id: string,
  startedAt: string,
  scope: string[],
): Promise<void> {
  await db(store)
    .insertInto('audits')
    .values({
      id,
      started_at: startedAt,
      finished_at: null,
      summary: null,
      scope: JSON.stringify(scope),
      status: 'running',
    })
    .execute();
}

const COLUMNS = [
  'id',
  'audit_id',
  'rule_id',
  'title',
  'severity',
  'subject_type',
  'subject_id',
  'subject',
  'agent_ids',
  'owasp_nhi',
  'failure_mode',
  'message',
  'evidence',
  'remediation',
  'score',
  'status',
  'location',
  'first_seen',
] as const;

type Row = Omit<FindingRow, 'score'> & { score: number };

/**
 * One finding as a row. The rule's title and remediation are stored empty when they are the
 * rule's own (they come back from the rule's metadata on read, like frameworks and references):
 * a million findings do not store a million copies of the same sentences.
 */
function findingRow(auditId: string, f: ReportFinding): Row {
  const meta = META.get(f.ruleId);
  const evidence = JSON.stringify(f.evidence);
  // Report fields without a column ride along in the evidence JSON under EXTRA.
  const extra = JSON.stringify({
    agents: f.agents,
    owners: f.owners,
    change: f.change,
    ...(f.fix ? { fix: f.fix } : {}),
  });
  return {
    id: f.id,
    audit_id: auditId,
    rule_id: f.ruleId,
    title: meta && f.title === meta.title ? '' : f.title,
    severity: f.severity,
    subject_type: f.subjectType,
    subject_id: f.subjectId,
    subject: f.subject,
    agent_ids: f.agentIds.length ? JSON.stringify(f.agentIds) : '[]',
    owasp_nhi: JSON.stringify(f.owaspNhi),
    failure_mode: f.failureMode,
    message: f.message,
    evidence: evidence === '{}' ? `{"${EXTRA}":${extra}}` : `${evidence.slice(0, -1)},"${EXTRA}":${extra}}`,
    remediation: meta && f.remediation === meta.remediation ? '' : f.remediation,
    score: f.score,
    status: f.status,
    location: f.location ? JSON.stringify(f.location) : null,
    first_seen: f.firstSeen,
  };
}

/** better-sqlite3's handle behind a SQLite store, when reachable. */
interface SqliteHandle {
  prepare(sql: string): { run(...params: unknown[]): unknown };
}

/**
 * SQLite's own handle, for one cached prepared insert: better-sqlite3 re-prepares every statement
 * the query builder sends, and preparing a 500-row, 18-column insert costs more than running it
 * (measured: 27 µs a row against 8 µs for a cached single-row statement). The store keeps the
 * handle for its own bulk writer too; the query-builder path is used on PostgreSQL.
 */
function sqliteHandle(store: Store): SqliteHandle | undefined {
  return store.dialect === 'sqlite' ? store.sqliteHandle : undefined;
}

async function insertFindings(
  store: Store,
  trx: Transaction<AuditDb>,
  auditId: string,
  findings: readonly ReportFinding[],
): Promise<void> {
  const handle = sqliteHandle(store);
  if (handle) {
    // Runs on the connection the transaction holds, so inside it. In id order: the primary key
    // (audit_id, id) then grows at its end instead of at a random place per row, which for a
    // million findings kept most of the index out of the page cache (33 µs a row, bench
    // audit-scale).
    const order = Uint32Array.from(findings.keys()).sort((a, b) => {
      const x = findings[a]!.id;
      const y = findings[b]!.id;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const tuple = `(${COLUMNS.map(() => '?').join(', ')})`;
    const one = handle.prepare(`insert into findings (${COLUMNS.join(', ')}) values ${tuple}`);
    const many = handle.prepare(
      `insert into findings (${COLUMNS.join(', ')}) values ${Array<string>(ROWS_PER_STATEMENT).fill(tuple).join(', ')}`,
    );
    const values: unknown[] = [];
    for (const i of order) {
      const r = findingRow(auditId, findings[i]!);
      for (const c of COLUMNS) values.push(r[c]);
      if (values.length === COLUMNS.length * ROWS_PER_STATEMENT) {
        many.run(values);
        values.length = 0;
      }
    }
    for (let k = 0; k < values.length; k += COLUMNS.length) one.run(values.slice(k, k + COLUMNS.length));
    return;
  }
  for (let i = 0; i < findings.length; i += BATCH)
    await trx
      .insertInto('findings')
      .values(findings.slice(i, i + BATCH).map((f) => findingRow(auditId, f)))
      .execute();
}

/** Stores this audit's findings (open, accepted, and the ones it found fixed) and closes it. */
export async function finishAudit(
  store: Store,
  id: string,
  finishedAt: string,
  summary: unknown,
  findings: readonly ReportFinding[],
  fixed: readonly ReportFinding[] = [],
): Promise<void> {
  await db(store)
    .transaction()
    .execute(async (trx) => {
      await insertFindings(store, trx, id, findings);
      await insertFindings(store, trx, id, fixed);
      await trx
        .updateTable('audits')
        .set({ finished_at: finishedAt, summary: JSON.stringify(summary), status: 'ok' })
        .where('id', '=', id)
        .execute();
    });
}

export async function failAudit(store: Store, id: string, finishedAt: string, reason: string): Promise<void> {
  await db(store)
    .updateTable('audits')
    .set({ finished_at: finishedAt, status: 'failed', summary: JSON.stringify({ error: reason }) })
    .where('id', '=', id)
    .execute();
}
