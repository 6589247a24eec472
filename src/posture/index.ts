/**
 * Posture: findings rules (one file each, declarative metadata), risk scoring, least privilege
 * from usage, twelve controls and the maturity level, the remediation roadmap, risk acceptance and
 * the diff with the previous audit. Pure functions over a `PostureInput` read model.
 *
 * @example
 * const findings = applyAcceptances(evaluatePosture(input), config.accept, input.now);
 * const controls = scoreControls(input, findings, { scanned: true });
 * const maturity = maturityOf(controls);
 */
export type {
  PostureInput,
  UsageSummary,
  EscalationFact,
  LeakFact,
  DeputyFact,
  BlastRadius,
  Rule,
  RuleMeta,
  RawFinding,
  PostureThresholds,
} from './posture-types.js';
export { RULES } from './rules/index.js';
/** Lookup tables over a PostureInput (built once, cached per input): reuse instead of rebuilding. */
export { indexOf as postureIndex, type PostureIndex } from './posture-index.js';
export { evaluatePosture, rankFindings, findingId, type EvaluateOptions } from './evaluate.js';
export { riskFactors, riskScore } from './risk.js';
export { applyAcceptances, acceptanceMatches, type Acceptance } from './acceptance.js';
export { diffFindings, markFixed, type PreviousFinding, type AuditDiff } from './diff.js';
export {
  leastPrivilege,
  minimalAwsPolicy,
  minimalKubernetesRole,
  normaliseAwsAction,
  matchesPattern,
} from './least-privilege.js';
export { scoreControls, CONTROL_IDS, type ControlContext } from './controls.js';
export { maturityOf } from './maturity.js';
export { buildRoadmap } from './roadmap.js';
export { OWASP_AGENTIC, NIST_CSF, CIS_V8, AI_RMF } from './frameworks.js';
