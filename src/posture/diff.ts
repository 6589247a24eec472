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
  /**
   * Ids of previous findings that are gone now but were given without their whole finding (a
   * light read of a big audit): the caller fetches those and marks them with `markFixed`.
   */
  gone: string[];
}

/** A previous finding that is gone now, as this audit reports it. */
export function markFixed(finding: ReportFinding, now: string): ReportFinding {
  return { ...finding, status: 'fixed', change: 'fixed', evidence: { ...finding.evidence, fixedAt: now } };
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
  const prev = new Map<string, PreviousFinding>();
  for (const p of previous) prev.set(p.id, p);
  const seen = new Set<string>();
  let n = 0;
  let still = 0;
  let reopened = 0;
  for (const f of current) {
    const p = prev.size ? prev.get(f.id) : undefined;
    if (p) seen.add(f.id);
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
  const gone: string[] = [];
  for (const p of previous) {
    if (seen.has(p.id) || p.status === 'fixed') continue;
    if (p.finding) fixed.push(markFixed(p.finding, now));
    else gone.push(p.id);
  }
  return { new: n, stillOpen: still, reopened, fixed, gone };
}
