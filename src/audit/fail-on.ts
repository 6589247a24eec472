import { SEVERITY_RANK, type Severity } from '../model/index.js';
import type { ReportDocument } from '../report/index.js';

/** Open findings at or above the severity (accepted risk does not fail a build). */
export function failingFindings(doc: ReportDocument, failOn: Severity | undefined): number {
  if (!failOn) return 0;
  return doc.findings.filter((f) => f.status === 'open' && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn])
    .length;
}
