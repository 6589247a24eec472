/**
 * Report renderers over one document (`ReportDocument`): terminal summary, JSON, self-contained
 * HTML with an access graph per agent, SARIF 2.1.0, OCSF and CSV. Renderers are pure: they stream
 * text into a `TextSink` (`reportFileWriters`) and the caller writes the files, so a report of a
 * million findings is never one string.
 *
 * @example
 * const files = renderReportFiles(doc, ['html', 'json']); // [{ name: 'warden-report.html', content }, ...]
 * process.stdout.write(renderTerminal(doc));
 */
export * from './report-types.js';
export {
  renderReportFiles,
  renderTerminal,
  REPORT_FORMATS,
  reportFileWriters,
  type ReportFormat,
  type RenderedFile,
  type ReportFileWriter,
} from './render-reports.js';
export { renderHtml, writeHtml, HTML_MAX_FINDINGS } from './html-report.js';
export { writeJsonReport, findingJson } from './json-report.js';
export { StringSink, JsonFragments, type TextSink } from './text-sink.js';
export { renderSarif } from './sarif-report.js';
export { renderOcsf, ocsfEvents, writeOcsf, OCSF_VERSION } from './ocsf-report.js';
export { renderFindingsCsv, writeFindingsCsv, renderControlsCsv, csvCell } from './csv-report.js';
export { layoutGraph, renderSvgGraph } from './svg-graph.js';
