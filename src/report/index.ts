/**
 * Report renderers over one document (`ReportDocument`): terminal summary, JSON, self-contained
 * HTML with an access graph per agent, SARIF 2.1.0, OCSF and CSV. Renderers are pure: the caller
 * writes the files.
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
  type ReportFormat,
  type RenderedFile,
} from './render-reports.js';
export { renderHtml } from './html-report.js';
export { renderSarif } from './sarif-report.js';
export { renderOcsf, ocsfEvents, OCSF_VERSION } from './ocsf-report.js';
export { renderFindingsCsv, renderControlsCsv, csvCell } from './csv-report.js';
export { layoutGraph, renderSvgGraph } from './svg-graph.js';
