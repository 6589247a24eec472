import { stableId, SEVERITY_RANK, type Severity } from '../model/index.js';
import type { ReportFinding } from '../report/index.js';
import { indexOf, ownerOf } from './posture-index.js';
import type { PostureInput, RawFinding, Rule } from './posture-types.js';
import { riskFactors, riskScore } from './risk.js';
import { RULES } from './rules/index.js';

/** Stable finding id: the same rule on the same subject is the same finding in every audit. */
export function findingId(ruleId: string, subjectId: string): string {
  return stableId('fnd', ruleId, subjectId);
}

export interface EvaluateOptions {
  rules?: readonly Rule[];
  /** Called when a rule throws: the audit goes on without it and reports why. */
  onRuleError?: (ruleId: string, error: Error) => void;
}

/**
 * Runs every rule over the read model and returns scored findings, highest risk first. Status is
 * `open` and change `new` here; acceptance and the diff with the previous audit come after.
 */
export function evaluatePosture(input: PostureInput, options: EvaluateOptions = {}): ReportFinding[] {
  const ix = indexOf(input);
  const out: ReportFinding[] = [];
  for (const rule of options.rules ?? RULES) {
    let raw: RawFinding[];
    try {
      raw = rule.evaluate(input);
    } catch (e) {
      options.onRuleError?.(rule.meta.id, e as Error);
      continue;
    }
    for (const f of raw) {
      const severity: Severity = f.severity ?? rule.meta.severity;
      const owners = new Set<string>();
      // Aliases (a GitHub login) are named by the person's canonical ref (email).
      const addOwner = (ref: string | undefined) => {
        if (ref) owners.add(ownerOf(ix, ref)?.ref ?? ref);
      };
      addOwner(
        f.subjectType === 'identity'
          ? ix.identity.get(f.subjectId)?.ownerRef
          : f.subjectType === 'agent'
            ? ix.agent.get(f.subjectId)?.ownerRef
            : undefined,
      );
      for (const a of f.agentIds) addOwner(ix.agent.get(a)?.ownerRef);
      const finding: ReportFinding = {
        id: findingId(rule.meta.id, f.subjectId),
        ruleId: rule.meta.id,
        title: rule.meta.title,
        severity,
        subjectType: f.subjectType,
        subjectId: f.subjectId,
        subject: f.subject,
        agentIds: f.agentIds,
        agents: f.agentIds.map((a) => ix.agent.get(a)?.name ?? a).sort(),
        owaspNhi: rule.meta.owaspNhi,
        failureMode: rule.meta.failureMode,
        frameworks: rule.meta.frameworks,
        message: f.message,
        evidence: f.evidence,
        remediation: rule.meta.remediation,
        references: rule.meta.references,
        score: riskScore(riskFactors(input, f, severity)),
        // Departed owners are still named: they are who to ask about, via their manager.
        owners: [...owners].sort(
          (a, b) =>
            Number(ownerOf(ix, a)?.status === 'departed') - Number(ownerOf(ix, b)?.status === 'departed') ||
            a.localeCompare(b),
        ),
        status: 'open',
        change: 'new',
        firstSeen: input.now,
      };
      if (f.fix) finding.fix = f.fix;
      if (f.location) finding.location = f.location;
      out.push(finding);
    }
  }
  return rankFindings(out);
}

/** Highest risk first; ties by severity, then rule and subject for a stable order. */
export function rankFindings(findings: ReportFinding[]): ReportFinding[] {
  return findings.sort(
    (a, b) =>
      b.score - a.score ||
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.subject.localeCompare(b.subject),
  );
}
