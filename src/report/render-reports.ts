import { renderControlsCsv, writeFindingsCsv } from './csv-report.js';
import { writeHtml } from './html-report.js';
import { writeJsonReport } from './json-report.js';
import { writeOcsf } from './ocsf-report.js';
import type { ReportDocument } from './report-types.js';
import { renderSarif } from './sarif-report.js';
import { renderTerminal } from './terminal-report.js';
import { StringSink, type TextSink } from './text-sink.js';

export const REPORT_FORMATS = ['terminal', 'json', 'html', 'sarif', 'ocsf', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderedFile {
  name: string;
  content: string;
}

/** One report file and how to stream it. */
export interface ReportFileWriter {
  name: string;
  write(doc: ReportDocument, out: TextSink): void;
}

const WRITERS: Record<ReportFormat, ReportFileWriter[]> = {
  json: [{ name: 'warden-report.json', write: writeJsonReport }],
  html: [{ name: 'warden-report.html', write: writeHtml }],
  sarif: [
    {
      name: 'warden-report.sarif',
      write: (doc, out) => out.write(JSON.stringify(renderSarif(doc), null, 2) + '\n'),
    },
  ],
  ocsf: [{ name: 'warden-report.ocsf.json', write: writeOcsf }],
  csv: [
    { name: 'warden-findings.csv', write: writeFindingsCsv },
    { name: 'warden-controls.csv', write: (doc, out) => out.write(renderControlsCsv(doc)) },
  ],
  // Printed, not written.
  terminal: [],
};

/** The files of each file format, as streaming writers (what the audit uses for big reports). */
export function reportFileWriters(formats: readonly ReportFormat[]): ReportFileWriter[] {
  return formats.flatMap((f) => WRITERS[f]);
}

/** The files of each file format as strings (terminal output is printed, not written). */
export function renderReportFiles(doc: ReportDocument, formats: readonly ReportFormat[]): RenderedFile[] {
  return reportFileWriters(formats).map((w) => {
    const s = new StringSink();
    w.write(doc, s);
    return { name: w.name, content: s.toString() };
  });
}

export { renderTerminal };
