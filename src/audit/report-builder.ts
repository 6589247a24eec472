import type { ImportReport } from '../connectors/index.js';
import { isOwnerAlias, type Severity } from '../model/index.js';
import type { AuditDiff, BlastRadius, PostureInput } from '../posture/index.js';
import {
  REPORT_SCHEMA,
  type ReportAgent,
  type ReportBlastRadius,
  type ReportControl,
  type ReportDocument,
  type ReportFinding,
  type ReportIdentity,
  type ReportInputFile,
  type ReportLeastPrivilege,
  type ReportMaturity,
  type ReportRoadmapItem,
  type ReportSkip,
} from '../report/index.js';
import { agentGraph, graphIndex } from './agent-graph.js';

export interface BuildReportOptions {
  auditId: string;
  now: string;
  version: string;
  paths: string[];
  input: PostureInput;
  importReport: ImportReport;
  /** Extra notes for the first page: scanner skips, analysis steps that could not run. */
  notes: ReportSkip[];
  findings: ReportFinding[];
  diff: AuditDiff & { previousAuditId: string | null };
  controls: ReportControl[];
  maturity: ReportMaturity;
  roadmap: ReportRoadmapItem[];
  leastPrivilege: ReportLeastPrivilege[];
}

const MAX_SKIPS = 5000;
/** One shared empty list for the many identities no agent holds (never mutated). */
const NONE: string[] = Object.freeze([]) as unknown as string[];

function zeroSeverities(): Record<Severity, number> {
  return { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
}

function br(b: BlastRadius | undefined): ReportBlastRadius {
  return b
    ? {
        resources: b.resources,
        write: b.write,
        admin: b.admin,
        sensitive: b.sensitive,
        systems: b.systems,
        pivots: b.pivots,
        score: Math.round(b.score * 1000) / 1000,
      }
    : { resources: 0, write: 0, admin: 0, sensitive: 0, systems: [], pivots: 0, score: 0 };
}

/** What was read, what was skipped and why: the report's first page. */
export function describeInput(
  report: ImportReport,
  notes: ReportSkip[],
): { files: ReportInputFile[]; skipped: ReportSkip[]; skippedTotal: number } {
  const files: ReportInputFile[] = [];
  const skipped: ReportSkip[] = [];
  let total = 0;
  const skip = (s: ReportSkip) => {
    total++;
    if (skipped.length < MAX_SKIPS) skipped.push(s);
  };
  for (const f of report.files) {
    const records = f.counts
      ? Object.entries(f.counts)
          .filter(([k]) => k !== 'skipped' && k !== 'notes')
          .reduce((n, [, v]) => n + v, 0)
      : 0;
    const rf: ReportInputFile = { file: f.file, status: f.status, records, skipped: f.skipped.length };
    if (f.format) rf.format = f.format;
    if (f.error) rf.error = f.error.message;
    files.push(rf);
    if (f.status === 'failed')
      skip({ file: f.file, pointer: 'file', reason: f.error?.message ?? 'could not be imported' });
    for (const s of f.skipped) skip({ file: f.file, pointer: s.pointer, reason: s.reason });
  }
  for (const i of report.issues) skip({ file: i.file, pointer: 'file', reason: i.reason });
  for (const n of notes) skip(n);
  return { files, skipped, skippedTotal: total };
}

/** Assembles the report document every renderer reads. */
export function buildReportDocument(o: BuildReportOptions): ReportDocument {
  const { input, findings } = o;
  const gi = graphIndex(input, findings);
  const byAgent = new Map<string, ReportFinding[]>();
  const countBySubject = new Map<string, number>();
  for (const f of findings) {
    for (const a of f.agentIds) (byAgent.get(a) ?? byAgent.set(a, []).get(a)!).push(f);
    countBySubject.set(f.subjectId, (countBySubject.get(f.subjectId) ?? 0) + 1);
  }
  const owners = new Map<string, string>();
  for (const ow of input.owners) {
    owners.set(ow.ref.toLowerCase(), ow.status);
    if (ow.email) owners.set(ow.email.toLowerCase(), ow.status);
  }
  const ownerStatus = (ref: string | undefined) =>
    ref ? (owners.get(ref.toLowerCase()) ?? 'unknown') : 'none';
  const agentNames = new Map(input.agents.map((a) => [a.id, a.name]));
  const agentsOfIdentity = new Map<string, Set<string>>();
  for (const l of input.links)
    (
      agentsOfIdentity.get(l.identityId) ?? agentsOfIdentity.set(l.identityId, new Set()).get(l.identityId)!
    ).add(l.agentId);

  const agents: ReportAgent[] = input.agents.map((a) => {
    const fs = (byAgent.get(a.id) ?? []).filter((f) => f.status === 'open');
    const bySeverity = zeroSeverities();
    for (const f of fs) bySeverity[f.severity]++;
    return {
      id: a.id,
      name: a.name,
      kind: a.kind ?? null,
      environment: a.environment,
      status: a.status,
      owner: a.ownerRef ?? null,
      ownerStatus: ownerStatus(a.ownerRef),
      declared: a.declared,
      approvalRequired: a.approvalRequired,
      invokers: a.invokers,
      identityIds: [...new Set((gi.linksOfAgent.get(a.id) ?? []).map((l) => l.identityId))],
      blastRadius: br(input.blastRadius.get(a.id)),
      findings: { total: fs.length, bySeverity },
      risk: fs.reduce((m, f) => Math.max(m, f.score), 0),
      graph: agentGraph(a, gi),
    };
  });
  agents.sort((x, y) => y.risk - x.risk || x.name.localeCompare(y.name));

  const identities: ReportIdentity[] = [];
  for (const i of input.identities) {
    const linked = agentsOfIdentity.get(i.id);
    const n = countBySubject.get(i.id) ?? 0;
    if (!linked && n === 0) continue;
    const r: ReportIdentity = {
      id: i.id,
      provider: i.provider,
      kind: i.kind,
      nativeId: i.nativeId,
      owner: i.ownerRef ?? null,
      ownerStatus: ownerStatus(i.ownerRef),
      status: i.status,
      thirdParty: i.thirdParty ?? false,
      agents: linked ? [...linked].map((id) => agentNames.get(id) ?? id).sort() : NONE,
      findings: n,
    };
    for (const k of [
      'name',
      'account',
      'environment',
      'createdAt',
      'lastRotatedAt',
      'expiresAt',
      'lastUsedAt',
    ] as const) {
      const v = i[k];
      if (v !== undefined) r[k] = v;
    }
    const b = input.blastRadius.get(i.id);
    if (b) r.blastRadius = br(b);
    identities.push(r);
  }

  const bySeverity = zeroSeverities();
  let open = 0;
  let accepted = 0;
  for (const f of findings) {
    if (f.status === 'accepted') accepted++;
    else {
      open++;
      bySeverity[f.severity]++;
    }
  }
  const inputDesc = describeInput(o.importReport, o.notes);
  return {
    schema: REPORT_SCHEMA,
    auditId: o.auditId,
    generatedAt: o.now,
    tool: { name: 'warden', version: o.version },
    input: { paths: o.paths, ...inputDesc },
    summary: {
      agents: input.agents.length,
      identities: input.identities.length,
      owners: input.owners.filter((o) => !isOwnerAlias(o)).length,
      findings: { total: findings.length, open, accepted, bySeverity },
      diff: {
        previousAuditId: o.diff.previousAuditId,
        new: o.diff.new,
        stillOpen: o.diff.stillOpen,
        fixed: o.diff.fixed.length,
        reopened: o.diff.reopened,
      },
      maturity: { level: o.maturity.level, name: o.maturity.name },
    },
    agents,
    identities,
    findings,
    fixed: o.diff.fixed,
    escalations: input.escalations.map((e) => ({
      identityId: e.identityId,
      principal: e.principal,
      technique: e.technique,
      hops: e.hops,
      path: e.path,
    })),
    leaks: input.leaks.map((l) => {
      const r: ReportDocument['leaks'][number] = {
        file: l.file,
        line: l.line,
        rule: l.rule,
        type: l.type,
        masked: l.masked,
      };
      if (l.column !== undefined) r.column = l.column;
      if (l.commit) r.commit = l.commit;
      if (l.identityId) r.identityId = l.identityId;
      return r;
    }),
    leastPrivilege: o.leastPrivilege,
    controls: o.controls,
    maturity: o.maturity,
    roadmap: o.roadmap,
  };
}
