import type { ReportFinding } from '../report/index.js';

/** What the previous audit said of a finding (as stored). */
export interface PreviousFinding {
  id: string;
  status: 'open' | 'accepted' | 'fixed';
  firstSeen: string;
  finding?: ReportFinding;
}

export interface AuditDiff {
  new: number;
  stillOpen: number;
  reopened: number;
  /** Findings of the previous audit that are gone now, marked fixed. */
  fixed: ReportFinding[];
}

/**
 * Compares this audit's findings with the previous one's: new, still open (keeping when it was
 * first seen), reopened (fixed before, back now) and fixed (gone).
 */
export function diffFindings(
  current: ReportFinding[],
  previous: readonly PreviousFinding[],
  now: string,
): AuditDiff {
  const prev = new Map(previous.map((p) => [p.id, p]));
  const seen = new Set<string>();
  let n = 0;
  let still = 0;
  let reopened = 0;
  for (const f of current) {
    seen.add(f.id);
    const p = prev.get(f.id);
    if (!p) {
      f.change = 'new';
      n++;
    } else if (p.status === 'fixed') {
      f.change = 'reopened';
      f.firstSeen = p.firstSeen;
      reopened++;
    } else {
      f.change = 'still-open';
      f.firstSeen = p.firstSeen;
      still++;
    }
  }
  const fixed: ReportFinding[] = [];
  for (const p of previous) {
    if (seen.has(p.id) || p.status === 'fixed' || !p.finding) continue;
    fixed.push({
      ...p.finding,
      status: 'fixed',
      change: 'fixed',
      evidence: { ...p.finding.evidence, fixedAt: now },
    });
  }
  return { new: n, stillOpen: still, reopened, fixed };
}
