import type { Kysely } from 'kysely';
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

const BATCH = 200;
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
  return rows.map((r) => {
    const ev = parseJson<Record<string, unknown>>(r.evidence, {});
    const extra = (ev[EXTRA] ?? {}) as Partial<ReportFinding>;
    delete ev[EXTRA];
    const finding: ReportFinding = {
      id: r.id,
      ruleId: r.rule_id,
      title: r.title,
      severity: r.severity as ReportFinding['severity'],
      subjectType: r.subject_type as ReportFinding['subjectType'],
      subjectId: r.subject_id,
      subject: r.subject ?? r.subject_id,
      agentIds: parseJson(r.agent_ids, []),
      agents: extra.agents ?? [],
      owaspNhi: parseJson(r.owasp_nhi, []),
      failureMode: r.failure_mode as ReportFinding['failureMode'],
      frameworks: extra.frameworks ??
        META.get(r.rule_id)?.frameworks ?? { owaspAgentic: [], nistCsf: [], cis: [], aiRmf: [] },
      message: r.message,
      evidence: ev,
      remediation: r.remediation,
      references: extra.references ?? META.get(r.rule_id)?.references ?? [],
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
  });
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

/** Stores this audit's findings (open, accepted, and the ones it found fixed) and closes it. */
export async function finishAudit(
  store: Store,
  id: string,
  finishedAt: string,
  summary: unknown,
  findings: readonly ReportFinding[],
): Promise<void> {
  await db(store)
    .transaction()
    .execute(async (trx) => {
      for (let i = 0; i < findings.length; i += BATCH) {
        const rows = findings.slice(i, i + BATCH).map((f) => ({
          id: f.id,
          audit_id: id,
          rule_id: f.ruleId,
          title: f.title,
          severity: f.severity,
          subject_type: f.subjectType,
          subject_id: f.subjectId,
          subject: f.subject,
          agent_ids: JSON.stringify(f.agentIds),
          owasp_nhi: JSON.stringify(f.owaspNhi),
          failure_mode: f.failureMode,
          message: f.message,
          evidence: JSON.stringify({
            ...f.evidence,
            // Frameworks and references come back from the rule's metadata: not stored per finding.
            [EXTRA]: {
              agents: f.agents,
              owners: f.owners,
              change: f.change,
              ...(f.fix ? { fix: f.fix } : {}),
            },
          }),
          remediation: f.remediation,
          score: f.score,
          status: f.status,
          location: f.location ? JSON.stringify(f.location) : null,
          first_seen: f.firstSeen,
        }));
        await trx.insertInto('findings').values(rows).execute();
      }
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
