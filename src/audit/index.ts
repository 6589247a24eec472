/**
 * The audit service: import -> graph -> scan -> posture -> reports, each audit stored so the next
 * one reports what is new, fixed and still open.
 *
 * @example
 * const { doc } = await runAudit({ store, config, paths: ['examples/acme'], version: '0.1.0', analysers: defaultAnalysers() });
 * await writeReports(doc, '.warden/reports', ['html', 'json']);
 */
export {
  runAudit,
  type AuditOptions,
  type AuditResult,
  type AuditAnalysers,
  type AnalysisContext,
  type GraphAnalysis,
  type AuditStep,
} from './audit-service.js';
export { defaultAnalysers } from './default-analysers.js';
export { writeReports } from './write-reports.js';
export { buildPostureInput, type BuildInputOptions } from './posture-input-builder.js';
export { grantReach } from './grant-reach.js';
export { failingFindings } from './fail-on.js';
