import { readFileSync, writeFileSync } from 'node:fs';
import { WardenError } from '../errors/index.js';
import type { Leak } from './leak-types.js';

/**
 * A baseline: the leaks a team has already seen, by rule, file and salted fingerprint (never the
 * value), so `warden scan --baseline` shows only new ones. Moving a secret to other lines of the
 * same file keeps it known; copying it into another file is a new leak.
 */
export interface Baseline {
  version: 1;
  tool: 'warden';
  findings: { rule: string; file: string; fingerprint: string }[];
}

const keyOf = (rule: string, file: string, fp: string) => `${rule}\u0000${file}\u0000${fp}`;

export function toBaseline(leaks: readonly Leak[]): Baseline {
  const seen = new Set<string>();
  const findings: Baseline['findings'] = [];
  for (const l of leaks) {
    const k = keyOf(l.ruleId, l.file, l.fingerprint);
    if (seen.has(k)) continue;
    seen.add(k);
    findings.push({ rule: l.ruleId, file: l.file, fingerprint: l.fingerprint });
  }
  return { version: 1, tool: 'warden', findings };
}

export function writeBaseline(file: string, leaks: readonly Leak[]): void {
  writeFileSync(file, JSON.stringify(toBaseline(leaks), null, 2) + '\n');
}

export function readBaseline(file: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new WardenError('WARDEN_INPUT_INVALID', `baseline ${file}: ${(e as Error).message}`, { cause: e });
  }
  const b = raw as Partial<Baseline>;
  if (!b || !Array.isArray(b.findings))
    throw new WardenError(
      'WARDEN_INPUT_INVALID',
      `baseline ${file}: no "findings" array (write one with --write-baseline)`,
    );
  b.findings.forEach((f, i) => {
    if (!f || typeof f.rule !== 'string' || typeof f.fingerprint !== 'string' || typeof f.file !== 'string') {
      throw new WardenError(
        'WARDEN_INPUT_INVALID',
        `baseline ${file}: /findings/${i} needs rule, file and fingerprint strings`,
      );
    }
  });
  return { version: 1, tool: 'warden', findings: b.findings };
}

/** The leaks not in the baseline. */
export function filterBaseline(leaks: readonly Leak[], baseline: Baseline): Leak[] {
  const known = new Set(baseline.findings.map((f) => keyOf(f.rule, f.file, f.fingerprint)));
  return leaks.filter((l) => !known.has(keyOf(l.ruleId, l.file, l.fingerprint)));
}
