import type { OwaspNhiId } from '../model/index.js';
import type { FindingFrameworks, ReportFinding } from '../report/index.js';
import type { PostureInput } from './posture-types.js';

export interface ControlContext {
  /** Whether the secret scanner ran over the audited folder. */
  scanned: boolean;
}

export interface Measure {
  /** Subjects in scope and those that comply; total 0 = no data. */
  total: number;
  ok: number;
  evidence: string[];
  /** A level the control cannot exceed with what Warden saw offline, and why. */
  cap?: { level: number; why: string };
  /** A level the evidence guarantees whatever the share (an inventory that exists is level 1). */
  floor?: number;
}

/** One control of the catalogue: its metadata and how it is measured from the open findings. */
export interface ControlDef {
  id: string;
  title: string;
  owaspNhi: OwaspNhiId[];
  frameworks: FindingFrameworks;
  /** What reaching the next level takes, by current level. */
  next: [string, string, string];
  measure(input: PostureInput, f: Map<string, ReportFinding[]>, ctx: ControlContext): Measure;
}

export const pct = (ok: number, total: number) =>
  total === 0 ? 'n/a' : `${Math.round((100 * ok) / total)}%`;

/** Subjects of the findings of some rules; memoised per findings map (controls ask repeatedly). */
const subjectMemo = new WeakMap<Map<string, ReportFinding[]>, Map<string, Set<string>>>();
export const subjects = (f: Map<string, ReportFinding[]>, ...rules: string[]): Set<string> => {
  let memo = subjectMemo.get(f);
  if (!memo) subjectMemo.set(f, (memo = new Map()));
  const key = rules.join('\u0000');
  let out = memo.get(key);
  if (!out) {
    out = new Set<string>();
    for (const r of rules) for (const x of f.get(r) ?? []) out.add(x.subjectId);
    memo.set(key, out);
  }
  return out;
};
