import type { AuditAnalysers } from './audit-service.js';
import { analyseGraph } from './graph-analysers.js';
import { scanForLeaks } from './scan-analyser.js';

/** The analysers Warden ships: the secret scanner and the access graph. */
export function defaultAnalysers(): AuditAnalysers {
  return { scan: scanForLeaks, graph: analyseGraph };
}
