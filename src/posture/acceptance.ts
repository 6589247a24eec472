import type { Config } from '../config/index.js';
import type { ReportFinding } from '../report/index.js';

export type Acceptance = Config['accept'][number];

function globToRegExp(pattern: string): RegExp {
  return new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*') + '$', 'i');
}

/** Whether an acceptance (a finding id, or `ruleId:subject` with `*`) covers a finding. */
export function acceptanceMatches(a: Acceptance, f: ReportFinding): boolean {
  if (a.finding === f.id) return true;
  if (!a.finding.includes(':')) return false;
  return globToRegExp(a.finding).test(`${f.ruleId}:${f.subject}`);
}

/** End of the acceptance: a date means through the end of that day (UTC). */
export function acceptanceEnd(until: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(until) ? Date.parse(`${until}T23:59:59.999Z`) : Date.parse(until);
}

/**
 * Marks findings covered by a current acceptance as `accepted`; an expired acceptance leaves the
 * finding open and says when it lapsed, so accepted risk comes back on its own.
 */
export function applyAcceptances(
  findings: ReportFinding[],
  accept: readonly Acceptance[],
  now: string,
): ReportFinding[] {
  if (accept.length === 0) return findings;
  const t = Date.parse(now);
  for (const f of findings) {
    const matching = accept.filter((a) => acceptanceMatches(a, f));
    if (matching.length === 0) continue;
    // The acceptance that lasts longest decides.
    const best = matching.sort((a, b) => acceptanceEnd(b.until) - acceptanceEnd(a.until))[0]!;
    const expired = acceptanceEnd(best.until) < t;
    f.acceptance = { reason: best.reason, by: best.by, until: best.until, pattern: best.finding, expired };
    f.status = expired ? 'open' : 'accepted';
  }
  return findings;
}
