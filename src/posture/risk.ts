import type { Severity } from '../model/index.js';
import { daysSince, indexOf } from './posture-index.js';
import type { PostureInput, RawFinding } from './posture-types.js';

/** Where each severity starts on the 0..100 scale; the other factors lift it towards 100. */
const BASE: Record<Severity, number> = { info: 5, low: 20, medium: 40, high: 60, critical: 75 };

export interface RiskFactors {
  base: number;
  /** 0..1, the largest blast radius among the subject and its agents. */
  blastRadius: number;
  /** 0..1: leaked 1, publicly reachable 0.8, third party 0.4. */
  exposure: number;
  /** 0..1: used in the last 30 days 1, 30-90 days 0.6, unknown 0.5, dormant 0.3. */
  activity: number;
  /** 0.5 when the identity is disabled, revoked or expired, else 1. */
  live: number;
}

/**
 * Risk of one finding, 0..100: the severity sets the floor, and blast radius (55%), exposure (30%)
 * and activity (15%) lift it towards 100, so a critical finding on an identity that reaches
 * nothing ranks below one that reaches production, and a leaked, recently used key ranks first.
 */
export function riskFactors(input: PostureInput, f: RawFinding, severity: Severity): RiskFactors {
  const ix = indexOf(input);
  let br = input.blastRadius.get(f.subjectId)?.score ?? 0;
  for (const a of f.agentIds) br = Math.max(br, input.blastRadius.get(a)?.score ?? 0);
  const identity = f.subjectType === 'identity' ? ix.identity.get(f.subjectId) : undefined;
  let exposure = 0;
  if (f.exposure?.thirdParty || identity?.thirdParty) exposure = 0.4;
  if (f.exposure?.public) exposure = 0.8;
  if (f.exposure?.leaked) exposure = 1;
  let activity = 0.5;
  let live = 1;
  if (identity) {
    if (identity.status === 'disabled' || identity.status === 'revoked' || identity.status === 'expired')
      live = 0.5;
    // The later of the two (ISO-8601 strings compare as times).
    const a = identity.lastUsedAt;
    const b = input.usage.get(identity.id)?.lastTime;
    const last = a && b ? (a > b ? a : b) : a || b || undefined;
    const idle = daysSince(ix, last);
    if (idle !== undefined) activity = idle <= 30 ? 1 : idle <= 90 ? 0.6 : 0.3;
  } else if (f.subjectType === 'agent') {
    const a = ix.agent.get(f.subjectId);
    activity = a?.status === 'retired' ? 0.3 : a?.status === 'active' ? 1 : 0.5;
  }
  return { base: BASE[severity], blastRadius: Math.min(1, Math.max(0, br)), exposure, activity, live };
}

export function riskScore(r: RiskFactors): number {
  const lift = 0.55 * r.blastRadius + 0.3 * r.exposure + 0.15 * r.activity;
  const s = (r.base + (100 - r.base) * lift) * r.live;
  return Math.max(0, Math.min(100, Math.round(s * 10) / 10));
}
