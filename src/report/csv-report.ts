import type { ReportDocument } from './report-types.js';

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

export function renderFindingsCsv(doc: ReportDocument): string {
  const head = [
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
  const rows = [...doc.findings, ...doc.fixed].map((f) => [
    f.id,
    f.score,
    f.severity,
    f.status,
    f.change,
    f.ruleId,
    f.title,
    f.subjectType,
    f.subject,
    f.agents,
    f.owners,
    f.owaspNhi,
    f.frameworks.owaspAgentic,
    f.frameworks.nistCsf,
    f.frameworks.cis,
    f.frameworks.aiRmf,
    f.message,
    f.remediation,
    f.fix,
    f.location?.file,
    f.location?.line,
    f.firstSeen,
    f.acceptance?.until,
  ]);
  return csvRows([head, ...rows]);
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
