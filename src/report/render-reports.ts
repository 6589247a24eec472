import { renderControlsCsv, renderFindingsCsv } from './csv-report.js';
import { renderHtml } from './html-report.js';
import { renderOcsf } from './ocsf-report.js';
import type { ReportDocument } from './report-types.js';
import { renderSarif } from './sarif-report.js';
import { renderTerminal } from './terminal-report.js';

export const REPORT_FORMATS = ['terminal', 'json', 'html', 'sarif', 'ocsf', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderedFile {
  name: string;
  content: string;
}

/** The files of each file format (terminal output is printed, not written). */
export function renderReportFiles(doc: ReportDocument, formats: readonly ReportFormat[]): RenderedFile[] {
  const out: RenderedFile[] = [];
  for (const f of formats) {
    switch (f) {
      case 'json':
        out.push({ name: 'warden-report.json', content: JSON.stringify(doc, null, 2) + '\n' });
        break;
      case 'html':
        out.push({ name: 'warden-report.html', content: renderHtml(doc) });
        break;
      case 'sarif':
        out.push({ name: 'warden-report.sarif', content: JSON.stringify(renderSarif(doc), null, 2) + '\n' });
        break;
      case 'ocsf':
        out.push({
          name: 'warden-report.ocsf.json',
          content: JSON.stringify(renderOcsf(doc), null, 2) + '\n',
        });
        break;
      case 'csv':
        out.push({ name: 'warden-findings.csv', content: renderFindingsCsv(doc) });
        out.push({ name: 'warden-controls.csv', content: renderControlsCsv(doc) });
        break;
      case 'terminal':
        break;
    }
  }
  return out;
}

export { renderTerminal };
