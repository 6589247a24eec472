import type { ReportControl, ReportFinding } from '../report/index.js';
import type { ControlContext, ControlDef, Measure } from './control-measure.js';
import {
  killSwitchControl,
  humanApprovalControl,
  leastPrivilegeControl,
  monitoringControl,
} from './controls-access-operations.js';
import {
  expiryControl,
  noLeaksControl,
  noStaticSecretsControl,
  rotationControl,
} from './controls-credentials.js';
import {
  inventoryControl,
  noZombiesControl,
  oneIdentityPerAgentControl,
  ownerControl,
} from './controls-inventory-ownership.js';
import type { PostureInput } from './posture-types.js';

export type { ControlContext } from './control-measure.js';

/** The twelve controls in report order (their ids are numbered in this order). */
const CONTROLS: ControlDef[] = [
  inventoryControl,
  ownerControl,
  expiryControl,
  rotationControl,
  leastPrivilegeControl,
  noStaticSecretsControl,
  noLeaksControl,
  noZombiesControl,
  oneIdentityPerAgentControl,
  killSwitchControl,
  monitoringControl,
  humanApprovalControl,
];

function levelOf(score: number): number {
  return score >= 0.98 ? 3 : score >= 0.85 ? 2 : score >= 0.5 ? 1 : 0;
}

/** Open findings by rule id: fixed findings no longer count against a control. */
function openFindingsByRule(findings: readonly ReportFinding[]): Map<string, ReportFinding[]> {
  const open = new Map<string, ReportFinding[]>();
  for (const f of findings)
    if (f.status !== 'fixed') (open.get(f.ruleId) ?? open.set(f.ruleId, []).get(f.ruleId)!).push(f);
  return open;
}

/** Scores the twelve controls with their evidence and what the next level takes. */
export function scoreControls(
  input: PostureInput,
  findings: readonly ReportFinding[],
  ctx: ControlContext,
): ReportControl[] {
  const open = openFindingsByRule(findings);
  return CONTROLS.map((c) => scoreControl(c, c.measure(input, open, ctx)));
}

function scoreControl(c: ControlDef, m: Measure): ReportControl {
  const score = m.total === 0 ? 0 : m.ok / m.total;
  let level = m.total === 0 ? 0 : Math.max(levelOf(score), m.floor ?? 0);
  const evidence = [...m.evidence];
  if (m.cap && level > m.cap.level) {
    level = m.cap.level;
    evidence.push(`capped at level ${m.cap.level}: ${m.cap.why}`);
  }
  const status: ReportControl['status'] =
    m.total === 0 ? 'unknown' : score >= 0.98 && level >= 2 ? 'pass' : score >= 0.5 ? 'partial' : 'fail';
  return {
    id: c.id,
    title: c.title,
    status,
    level,
    score: Math.round(score * 1000) / 1000,
    evidence,
    missingForNext: level >= 3 ? 'at the top level: keep it there' : c.next[level]!,
    owaspNhi: c.owaspNhi,
    frameworks: c.frameworks,
  };
}

/** Ids of the twelve controls, in report order. */
export const CONTROL_IDS: readonly string[] = CONTROLS.map((c) => c.id);
