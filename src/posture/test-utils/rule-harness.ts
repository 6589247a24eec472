import { expect } from 'vitest';
import type { OwaspNhiId, Severity } from '../../model/index.js';
import type { ReportFinding } from '../../report/index.js';
import { evaluatePosture } from '../evaluate.js';
import type { PostureInput, Rule } from '../posture-types.js';

/**
 * Runs one rule the way the audit does (through `evaluatePosture`), so a test sees what a reader of
 * the report sees: the effective severity, the OWASP NHI ids from the rule's metadata, the message,
 * the evidence and the fix. A rule that throws fails the test instead of being skipped silently.
 */
export function runRule(rule: Rule, input: PostureInput): ReportFinding[] {
  let failure: Error | undefined;
  const out = evaluatePosture(input, {
    rules: [rule],
    onRuleError: (_id, e) => {
      failure = e;
    },
  });
  if (failure) throw failure;
  return out;
}

/** Subjects of the findings, sorted: what a negative test compares against `[]`. */
export function subjectsOf(findings: readonly ReportFinding[]): string[] {
  return findings.map((f) => f.subject).sort();
}

/** The one finding on `subject`; fails the test if there is none or more than one. */
export function findingOn(findings: readonly ReportFinding[], subject: string): ReportFinding {
  const hits = findings.filter((f) => f.subject === subject);
  expect(
    hits.map((f) => f.subject),
    `findings on ${subject} among [${subjectsOf(findings).join(', ')}]`,
  ).toEqual([subject]);
  return hits[0]!;
}

export interface ExpectedFinding {
  ruleId: string;
  subject: string;
  subjectType?: ReportFinding['subjectType'];
  severity: Severity;
  owaspNhi: OwaspNhiId[];
  /** Fragments the message must contain (what a reader is told). */
  message?: (string | RegExp)[];
  /** A subset the evidence must match. */
  evidence?: Record<string, unknown>;
  agents?: string[];
}

/** Asserts the parts of a finding a reader acts on; returns it for further checks. */
export function expectFinding(f: ReportFinding, e: ExpectedFinding): ReportFinding {
  expect(f.ruleId).toBe(e.ruleId);
  expect(f.subject).toBe(e.subject);
  if (e.subjectType) expect(f.subjectType).toBe(e.subjectType);
  expect(f.severity, `severity of ${e.ruleId} on ${e.subject}`).toBe(e.severity);
  expect(f.owaspNhi).toEqual(e.owaspNhi);
  for (const m of e.message ?? []) expect(f.message).toMatch(m);
  if (e.evidence) expect(f.evidence).toMatchObject(e.evidence);
  if (e.agents) expect(f.agents).toEqual(e.agents);
  return f;
}
