import type { ReportDocument, ReportFinding } from './report-types.js';
import { StringSink, type TextSink } from './text-sink.js';

/**
 * RFC 4180 CSV (https://www.rfc-editor.org/rfc/rfc4180): quoted when needed, CRLF line ends. Cells
 * that a spreadsheet would run as a formula (=, +, -, @, tab, CR) get a leading apostrophe, per
 * OWASP's CSV injection guidance (https://owasp.org/www-community/attacks/CSV_Injection).
 */
export function csvCell(v: unknown): string {
  let s = v === undefined || v === null ? '' : Array.isArray(v) ? v.join('; ') : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvRows(rows: unknown[][]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const FINDINGS_HEAD = [
  'id',
  'score',
  'severity',
  'status',
  'change',
  'rule',
  'title',
  'subject_type',
  'subject',
  'agents',
  'owners',
  'owasp_nhi',
  'owasp_agentic',
  'nist_csf',
  'cis_v8',
  'ai_rmf',
  'message',
  'remediation',
  'fix',
  'file',
  'line',
  'first_seen',
  'accepted_until',
];

/**
 * Every finding (open, accepted, fixed) as CSV, streamed one row at a time; the cells a rule
 * shares with all its findings (title, frameworks, remediation) are formatted once per rule.
 */
export function writeFindingsCsv(doc: ReportDocument, out: TextSink): void {
  out.write(csvRows([FINDINGS_HEAD]));
  const shared = new Map<string, string>();
  const cell = (v: string) => {
    let c = shared.get(v);
    if (c === undefined) {
      c = csvCell(v);
      if (shared.size < 10_000) shared.set(v, c);
    }
    return c;
  };
  // The rule's mapping columns, formatted once per (mapping object, OWASP list) pair.
  const mappings = new WeakMap<object, WeakMap<object, string>>();
  const ruleCells = (f: ReportFinding) => {
    let byNhi = mappings.get(f.frameworks);
    if (!byNhi) mappings.set(f.frameworks, (byNhi = new WeakMap()));
    let c = byNhi.get(f.owaspNhi);
    if (c === undefined) {
      c = [f.owaspNhi, f.frameworks.owaspAgentic, f.frameworks.nistCsf, f.frameworks.cis, f.frameworks.aiRmf]
        .map(csvCell)
        .join(',');
      byNhi.set(f.owaspNhi, c);
    }
    return c;
  };
  const row = (f: ReportFinding) =>
    `${csvCell(f.id)},${csvCell(f.score)},${f.severity},${f.status},${f.change},${cell(f.ruleId)},${cell(f.title)},${f.subjectType},${csvCell(f.subject)},${csvCell(f.agents)},${csvCell(f.owners)},${ruleCells(f)},${csvCell(f.message)},${cell(f.remediation)},${csvCell(f.fix)},${csvCell(f.location?.file)},${csvCell(f.location?.line)},${csvCell(f.firstSeen)},${csvCell(f.acceptance?.until)}\r\n`;
  for (const f of doc.findings) out.write(row(f));
  for (const f of doc.fixed) out.write(row(f));
}

export function renderFindingsCsv(doc: ReportDocument): string {
  const s = new StringSink();
  writeFindingsCsv(doc, s);
  return s.toString();
}

export function renderControlsCsv(doc: ReportDocument): string {
  const head = [
    'id',
    'title',
    'status',
    'level',
    'score',
    'evidence',
    'missing_for_next',
    'owasp_nhi',
    'owasp_agentic',
    'nist_csf',
    'cis_v8',
    'ai_rmf',
  ];
  return csvRows([
    head,
    ...doc.controls.map((c) => [
      c.id,
      c.title,
      c.status,
      c.level,
      c.score,
      c.evidence,
      c.missingForNext,
      c.owaspNhi,
      c.frameworks.owaspAgentic,
      c.frameworks.nistCsf,
      c.frameworks.cis,
      c.frameworks.aiRmf,
    ]),
  ]);
}
