import type { Config } from '../config/index.js';
import { CONNECTORS, importPaths, type Connector, type ImportReport } from '../connectors/index.js';
import { WardenError } from '../errors/index.js';
import { newId } from '../model/index.js';
import {
  applyAcceptances,
  buildRoadmap,
  diffFindings,
  evaluatePosture,
  leastPrivilege,
  markFixed,
  maturityOf,
  scoreControls,
  type BlastRadius,
  type DeputyFact,
  type EscalationFact,
  type LeakFact,
  type PostureInput,
} from '../posture/index.js';
import type { ReportDocument, ReportSkip } from '../report/index.js';
import type { Store } from '../store/index.js';
import {
  failAudit,
  finishAudit,
  latestAudit,
  previousFindingsByIds,
  previousFindingStates,
  startAudit,
} from './audit-store.js';
import { grantReach } from './grant-reach.js';
import { buildPostureInput } from './posture-input-builder.js';
import { buildReportDocument } from './report-builder.js';

export interface AnalysisContext {
  store: Store;
  config: Readonly<Config>;
  paths: readonly string[];
  input: PostureInput;
  importReport: ImportReport;
}

export interface GraphAnalysis {
  /** Reach per identity and agent id (entries it lacks keep the stored-grants estimate). */
  blastRadius: Map<string, BlastRadius>;
  /** Principals that alone reach administrator-equivalent access. */
  escalations: EscalationFact[];
  deputies: Map<string, DeputyFact[]>;
  notes: ReportSkip[];
}

/** What the audit asks of the scanner and the access graph; each may be absent or fail alone. */
export interface AuditAnalysers {
  /** Leaked secrets in the audited paths, tied to inventoried identities where possible. */
  scan?(
    paths: readonly string[],
    ctx: { store: Store; config: Readonly<Config>; importReport: ImportReport },
  ): Promise<{ leaks: LeakFact[]; skipped: ReportSkip[] }>;
  graph?(ctx: AnalysisContext): Promise<GraphAnalysis>;
}

export type AuditStep = 'import' | 'scan' | 'read' | 'graph' | 'posture' | 'store' | 'report';

export interface AuditOptions {
  store: Store;
  config: Readonly<Config>;
  paths: string[];
  version: string;
  now?: string;
  connectors?: readonly Connector[];
  analysers?: AuditAnalysers;
  onProgress?: (step: AuditStep, detail?: string) => void;
  /**
   * Store each log event too. Off by default: the audit reads usage from the aggregate, which is
   * kept either way, and at ten million events the raw log is most of an audit's time and disk.
   */
  keepEvents?: boolean;
}

export interface AuditResult {
  doc: ReportDocument;
  importReport: ImportReport;
}

function noteOf(step: string, e: unknown): ReportSkip {
  return {
    file: '(analysis)',
    pointer: step,
    reason: `${step} could not run: ${(e as Error).message ?? String(e)}`,
  };
}

/**
 * The audit: import everything recognisable under the paths, scan for leaks, read the posture
 * model, add the graph's escalations and blast radius, evaluate the rules, apply acceptances, diff
 * with the previous audit, score controls and maturity, plan the roadmap, store the audit and
 * return the report document. Nothing recognisable is an error (exit 2); a failing analyser is a
 * note on the report's first page, never the end of the audit.
 */
export async function runAudit(o: AuditOptions): Promise<AuditResult> {
  const progress = o.onProgress ?? (() => undefined);
  const now = o.now ?? new Date().toISOString();
  progress('import');
  const importReport = await importPaths({
    store: o.store,
    config: o.config,
    connectors: o.connectors ?? CONNECTORS,
    paths: o.paths,
    now,
    rawEvents: o.keepEvents === true,
    onFile: (f) => progress('import', f.file),
  });
  if (!importReport.files.some((f) => f.status === 'imported')) {
    const failed = importReport.files.filter((f) => f.error).map((f) => f.error!.message);
    const issues = importReport.issues.map((i) => `${i.file}: ${i.reason}`);
    const why = [...failed, ...issues].slice(0, 5);
    const seen = importReport.files.filter((f) => f.status === 'unrecognised').map((f) => f.file);
    const n = importReport.files.length;
    const looked = seen.length
      ? ` (${n} ${n === 1 ? 'file' : 'files'} looked at, none an export Warden reads: ${seen.slice(0, 5).join(', ')}${seen.length > 5 ? ', …' : ''}; see \`warden import --help\`)`
      : ` (${n} ${n === 1 ? 'file' : 'files'} looked at)`;
    throw new WardenError(
      'WARDEN_NOTHING_RECOGNISED',
      `nothing Warden recognises in ${o.paths.join(', ')}${why.length ? ` (${why.join('; ')})` : looked}`,
      {
        details: { files: importReport.files.length },
      },
    );
  }
  const auditId = newId('aud');
  await startAudit(o.store, auditId, now, o.paths);
  try {
    const notes: ReportSkip[] = [];
    let leaks: LeakFact[] = [];
    let scanned = false;
    if (o.analysers?.scan) {
      progress('scan');
      try {
        const r = await o.analysers.scan(o.paths, { store: o.store, config: o.config, importReport });
        leaks = r.leaks;
        notes.push(...r.skipped);
        scanned = true;
      } catch (e) {
        notes.push(noteOf('secret scan', e));
      }
    }
    progress('read');
    const input = await buildPostureInput(o.store, { config: o.config, now, leaks });
    progress('graph');
    input.blastRadius = grantReach(input);
    if (o.analysers?.graph) {
      try {
        const g = await o.analysers.graph({
          store: o.store,
          config: o.config,
          paths: o.paths,
          input,
          importReport,
        });
        for (const [id, b] of g.blastRadius) input.blastRadius.set(id, b);
        input.escalations = g.escalations;
        input.deputies = g.deputies;
        notes.push(...g.notes);
      } catch (e) {
        notes.push(
          noteOf('access graph (blast radius estimated from stored grants, no escalation paths)', e),
        );
      }
    }
    progress('posture');
    const findings = evaluatePosture(input, { onRuleError: (id, e) => notes.push(noteOf(`rule ${id}`, e)) });
    applyAcceptances(findings, o.config.accept, now);
    const prev = await latestAudit(o.store);
    // The previous audit is read light (id, status, first seen); only the findings that are gone
    // are read back whole, to report them as fixed.
    const diff = diffFindings(findings, prev ? await previousFindingStates(o.store, prev.id) : [], now);
    if (prev && diff.gone.length) {
      for (const p of await previousFindingsByIds(o.store, prev.id, diff.gone))
        if (p.finding) diff.fixed.push(markFixed(p.finding, now));
      diff.gone = [];
    }
    const controls = scoreControls(input, findings, { scanned });
    const maturity = maturityOf(controls);
    const roadmap = buildRoadmap(input, findings, controls);
    const lp = leastPrivilege(input);
    progress('report');
    const doc = buildReportDocument({
      auditId,
      now,
      version: o.version,
      paths: o.paths,
      input,
      importReport,
      notes,
      findings,
      diff: { ...diff, previousAuditId: prev?.id ?? null },
      controls,
      maturity,
      roadmap,
      leastPrivilege: lp,
    });
    progress('store');
    await finishAudit(o.store, auditId, new Date().toISOString(), doc.summary, findings, diff.fixed);
    return { doc, importReport };
  } catch (e) {
    await failAudit(o.store, auditId, new Date().toISOString(), (e as Error).message).catch(() => undefined);
    throw e;
  }
}
