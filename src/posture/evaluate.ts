import { stableId, SEVERITY_RANK, type Severity } from '../model/index.js';
import type { ReportFinding } from '../report/index.js';
import { collationKey, compareKeyed } from './collation.js';
import { indexOf, ownerOf } from './posture-index.js';
import type { PostureInput, RawFinding, Rule } from './posture-types.js';
import { riskFactors, riskScore } from './risk.js';
import { RULES } from './rules/index.js';

/** Stable finding id: the same rule on the same subject is the same finding in every audit. */
export function findingId(ruleId: string, subjectId: string): string {
  return compact(stableId('fnd', ruleId, subjectId));
}

/**
 * A flat copy of a string built from pieces. Template literals leave V8 a tree of the pieces (and
 * `slice` a view of its source); for a million findings kept to the end of the audit, the flat
 * copy takes half the memory (measured: 58 instead of 140 bytes for an id). `join` of two parts
 * always builds a new flat string.
 */
function compact(s: string): string {
  return s.length < 16 ? s : [s.slice(0, 1), s.slice(1)].join('');
}

/** One shared empty list for the many findings with no agents or owners (never mutated). */
const NONE: string[] = Object.freeze([]) as unknown as string[];

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
      const finding: ReportFinding = {
        id: findingId(rule.meta.id, f.subjectId),
        ruleId: rule.meta.id,
        title: rule.meta.title,
        severity,
        subjectType: f.subjectType,
        subjectId: f.subjectId,
        subject: f.subject,
        agentIds: f.agentIds.length ? f.agentIds : NONE,
        agents: f.agentIds.length ? f.agentIds.map((a) => ix.agent.get(a)?.name ?? a).sort() : NONE,
        owaspNhi: rule.meta.owaspNhi,
        failureMode: rule.meta.failureMode,
        frameworks: rule.meta.frameworks,
        message: compact(f.message),
        evidence: f.evidence,
        remediation: rule.meta.remediation,
        references: rule.meta.references,
        score: riskScore(riskFactors(input, f, severity)),
        owners: ownersOf(ix, f),
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

/**
 * Owners to ask about a finding: the subject's and its agents', aliases (a GitHub login) named by
 * the person's canonical ref (email). Departed owners are still named (they are who to ask about,
 * via their manager), after current ones.
 */
function ownersOf(ix: ReturnType<typeof indexOf>, f: RawFinding): string[] {
  const subjectOwner =
    f.subjectType === 'identity'
      ? ix.identity.get(f.subjectId)?.ownerRef
      : f.subjectType === 'agent'
        ? ix.agent.get(f.subjectId)?.ownerRef
        : undefined;
  // Most findings (a million shadow identities) have no owner at all: no set, no sort.
  if (!subjectOwner && f.agentIds.length === 0) return NONE;
  const owners = new Set<string>();
  const addOwner = (ref: string | undefined) => {
    if (ref) owners.add(ownerOf(ix, ref)?.ref ?? ref);
  };
  addOwner(subjectOwner);
  for (const a of f.agentIds) addOwner(ix.agent.get(a)?.ownerRef);
  if (owners.size <= 1) return [...owners];
  return [...owners].sort(
    (a, b) =>
      Number(ownerOf(ix, a)?.status === 'departed') - Number(ownerOf(ix, b)?.status === 'departed') ||
      a.localeCompare(b),
  );
}

/**
 * Highest risk first; ties by severity, then rule and subject (`localeCompare` order) for a stable
 * order. Sorted through precomputed collation keys: a million findings sort in about a second
 * instead of spending twenty million `localeCompare` calls on the ties.
 */
export function rankFindings(findings: ReportFinding[]): ReportFinding[] {
  const ruleKeys = new Map<string, string | undefined>();
  const keyed = findings.map((f) => {
    let rk = ruleKeys.get(f.ruleId);
    if (rk === undefined && !ruleKeys.has(f.ruleId)) ruleKeys.set(f.ruleId, (rk = collationKey(f.ruleId)));
    return { f, score: f.score, sev: SEVERITY_RANK[f.severity], rk, sk: collationKey(f.subject) };
  });
  keyed.sort(
    (a, b) =>
      b.score - a.score ||
      b.sev - a.sev ||
      (a.f.ruleId === b.f.ruleId ? 0 : compareKeyed(a.f.ruleId, a.rk, b.f.ruleId, b.rk)) ||
      compareKeyed(a.f.subject, a.sk, b.f.subject, b.sk),
  );
  for (let i = 0; i < keyed.length; i++) findings[i] = keyed[i]!.f;
  return findings;
}
