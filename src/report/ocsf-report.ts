import type { Severity } from '../model/index.js';
import type { ReportControl, ReportDocument, ReportFinding } from './report-types.js';
import { JsonFragments, jsonString, type TextSink } from './text-sink.js';

/**
 * OCSF events for SIEMs (https://schema.ocsf.io/1.6.0/): posture findings as IAM Analysis Finding
 * (class_uid 2008, category Findings = 2) and controls as Compliance Finding (class_uid 2003).
 * type_uid = class_uid * 100 + activity_id; activity 1 = Create. Times are epoch milliseconds.
 */
export const OCSF_VERSION = '1.6.0';
const IAM_ANALYSIS_FINDING = 2008;
const COMPLIANCE_FINDING = 2003;

const SEVERITY_ID: Record<Severity, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
const SEVERITY_NAME: Record<Severity, string> = {
  info: 'Informational',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};
/** Finding status_id: 1 New, 3 Suppressed (accepted risk), 4 Resolved. */
const STATUS: Record<ReportFinding['status'], [number, string]> = {
  open: [1, 'New'],
  accepted: [3, 'Suppressed'],
  fixed: [4, 'Resolved'],
};
/** Compliance status_id: 1 Pass, 2 Warning, 3 Fail, 0 Unknown. */
const COMPLIANCE_STATUS: Record<ReportControl['status'], [number, string]> = {
  pass: [1, 'Pass'],
  partial: [2, 'Warning'],
  fail: [3, 'Fail'],
  unknown: [0, 'Unknown'],
};

function base(doc: ReportDocument, classUid: number, className: string, time: number) {
  return {
    activity_id: 1,
    activity_name: 'Create',
    category_uid: 2,
    category_name: 'Findings',
    class_uid: classUid,
    class_name: className,
    type_uid: classUid * 100 + 1,
    type_name: `${className}: Create`,
    time,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'Warden', vendor_name: 'Warden', version: doc.tool.version },
      correlation_uid: doc.auditId,
    },
  };
}

function findingEvent(
  doc: ReportDocument,
  f: ReportFinding,
  time: number,
  lps: Map<string, ReportDocument['leastPrivilege'][number]>,
): Record<string, unknown> {
  const [statusId, status] = STATUS[f.status];
  const lp =
    f.ruleId === 'unused-permissions' || f.ruleId === 'admin-wildcard-grant'
      ? lps.get(f.subjectId)
      : undefined;
  const ev: Record<string, unknown> = {
    ...base(doc, IAM_ANALYSIS_FINDING, 'IAM Analysis Finding', time),
    severity_id: SEVERITY_ID[f.severity],
    severity: SEVERITY_NAME[f.severity],
    status_id: statusId,
    status,
    message: f.message,
    risk_score: Math.round(f.score),
    finding_info: {
      uid: f.id,
      title: f.title,
      desc: f.message,
      types: [f.ruleId, f.failureMode],
      first_seen_time: Date.parse(f.firstSeen) || time,
      last_seen_time: time,
    },
    remediation: { desc: f.fix ? `${f.remediation} Fix: ${f.fix}` : f.remediation, references: f.references },
    resources: [{ uid: f.subjectId, name: f.subject, type: f.subjectType }],
    unmapped: {
      owasp_nhi: f.owaspNhi,
      frameworks: f.frameworks,
      agents: f.agents,
      owners: f.owners,
      change: f.change,
    },
  };
  if (f.subjectType === 'identity')
    ev.user = { uid: f.subjectId, name: f.subject, type: 'Service Account', type_id: 99 };
  if (lp)
    ev.permission_analysis_results = [
      {
        policy: { name: 'generated least-privilege policy', data: lp.policy },
        granted_privileges: lp.granted,
        unused_privileges_count: lp.unused.length,
      },
    ];
  return ev;
}

function controlEvent(doc: ReportDocument, c: ReportControl, time: number): Record<string, unknown> {
  const [statusId, status] = COMPLIANCE_STATUS[c.status];
  const severity: Severity = c.status === 'fail' ? 'high' : c.status === 'partial' ? 'medium' : 'info';
  return {
    ...base(doc, COMPLIANCE_FINDING, 'Compliance Finding', time),
    severity_id: SEVERITY_ID[severity],
    severity: SEVERITY_NAME[severity],
    status_id: 1,
    status: 'New',
    message: `${c.title}: level ${c.level}, ${c.status}`,
    finding_info: {
      uid: `${doc.auditId}:${c.id}`,
      title: c.title,
      desc: c.evidence.join('; '),
      types: ['control'],
    },
    compliance: {
      control: c.id,
      standards: [
        'OWASP Non-Human Identities Top 10 2025',
        'OWASP Top 10 for Agentic Applications 2026',
        'NIST CSF 2.0',
        'CIS Controls v8',
        'NIST AI RMF 1.0',
      ],
      requirements: [
        ...c.owaspNhi,
        ...c.frameworks.owaspAgentic,
        ...c.frameworks.nistCsf,
        ...c.frameworks.cis.map((s) => `CIS ${s}`),
        ...c.frameworks.aiRmf,
      ],
      status_id: statusId,
      status,
      desc: c.missingForNext,
    },
    unmapped: { maturity_level: c.level, score: c.score },
  };
}

/** Every finding (open, accepted, fixed) and every control, as one JSON array of OCSF events. */
export function renderOcsf(doc: ReportDocument): Record<string, unknown>[] {
  return [...ocsfEvents(doc)];
}

/** The same events one at a time, so a million findings can be streamed to a file. */
export function* ocsfEvents(doc: ReportDocument): Generator<Record<string, unknown>> {
  const time = Date.parse(doc.generatedAt);
  const lps = new Map(doc.leastPrivilege.map((l) => [l.identityId, l]));
  for (const f of doc.findings) yield findingEvent(doc, f, time, lps);
  for (const f of doc.fixed) yield findingEvent(doc, f, time, lps);
  for (const c of doc.controls) yield controlEvent(doc, c, time);
}

/**
 * The OCSF report streamed as one JSON array, one event per line: the same events as
 * `renderOcsf`, but each finding's event is assembled from text: the envelope every event shares
 * (class, category, metadata) and the parts a rule shares with all its findings (title, remediation,
 * references, framework mapping) are serialised once per audit, only the finding's own values per
 * finding. `JSON.parse` of the output equals `renderOcsf(doc)`.
 */
export function writeOcsf(doc: ReportDocument, out: TextSink): void {
  const time = Date.parse(doc.generatedAt);
  const lps = new Map(doc.leastPrivilege.map((l) => [l.identityId, l]));
  const frags = new JsonFragments();
  // `{...envelope` without its closing brace; the finding's fields follow.
  const envelope = JSON.stringify(base(doc, IAM_ANALYSIS_FINDING, 'IAM Analysis Finding', time)).slice(0, -1);
  const sev = Object.fromEntries(
    Object.entries(SEVERITY_ID).map(([k, id]) => [
      k,
      `,"severity_id":${id},"severity":${JSON.stringify(SEVERITY_NAME[k as Severity])}`,
    ]),
  ) as Record<Severity, string>;
  const status = Object.fromEntries(
    Object.entries(STATUS).map(([k, [id, name]]) => [
      k,
      `,"status_id":${id},"status":${JSON.stringify(name)}`,
    ]),
  ) as Record<ReportFinding['status'], string>;
  const j = (v: unknown) => JSON.stringify(v);
  const list = (v: readonly string[]) => (v.length === 0 ? '[]' : j(v));
  let first = true;
  const emit = (s: string) => {
    out.write(first ? `[\n${s}` : `,\n${s}`);
    first = false;
  };
  const finding = (f: ReportFinding) => {
    const msg = jsonString(f.message);
    const uid = jsonString(f.subjectId);
    const name = jsonString(f.subject);
    const firstSeen = Date.parse(f.firstSeen) || time;
    let s =
      envelope +
      sev[f.severity] +
      status[f.status] +
      `,"message":${msg},"risk_score":${Math.round(f.score)}` +
      `,"finding_info":{"uid":${jsonString(f.id)},"title":${frags.of(f.title)},"desc":${msg},"types":[${frags.of(f.ruleId)},${frags.of(f.failureMode)}],"first_seen_time":${firstSeen},"last_seen_time":${time}}` +
      `,"remediation":{"desc":${f.fix ? j(`${f.remediation} Fix: ${f.fix}`) : frags.of(f.remediation)},"references":${frags.of(f.references)}}` +
      `,"resources":[{"uid":${uid},"name":${name},"type":${frags.of(f.subjectType)}}]` +
      `,"unmapped":{"owasp_nhi":${frags.of(f.owaspNhi)},"frameworks":${frags.of(f.frameworks)},"agents":${list(f.agents)},"owners":${list(f.owners)},"change":${frags.of(f.change)}}`;
    if (f.subjectType === 'identity')
      s += `,"user":{"uid":${uid},"name":${name},"type":"Service Account","type_id":99}`;
    const lp =
      f.ruleId === 'unused-permissions' || f.ruleId === 'admin-wildcard-grant'
        ? lps.get(f.subjectId)
        : undefined;
    if (lp)
      s += `,"permission_analysis_results":${j([
        {
          policy: { name: 'generated least-privilege policy', data: lp.policy },
          granted_privileges: lp.granted,
          unused_privileges_count: lp.unused.length,
        },
      ])}`;
    emit(s + '}');
  };
  for (const f of doc.findings) finding(f);
  for (const f of doc.fixed) finding(f);
  for (const c of doc.controls) emit(JSON.stringify(controlEvent(doc, c, time)));
  out.write(first ? '[]\n' : '\n]\n');
}
