import type { ReportControl, ReportFinding, ReportRoadmapItem } from '../report/index.js';
import { leastPrivilege } from './least-privilege.js';
import { indexOf } from './posture-index.js';
import type { PostureInput } from './posture-types.js';

type Horizon = ReportRoadmapItem['horizon'];

/**
 * The seeds' plan shape: this week = visibility (no expiry, no owner, leaks), this month = shrink
 * exposure (vault static secrets, cut the broadest grants with usage data), this quarter = rotation
 * automation, baselines, JIT. `drop` says how much of the subjects' reach goes away when done:
 * 1 when the identity is revoked or disabled, the unused share for least-privilege cuts, 0 when
 * the work reduces time exposure rather than reach.
 */
const PLAN: {
  horizon: Horizon;
  title: string;
  rules: string[];
  drop: 'revoke' | 'least-privilege' | 'none';
}[] = [
  {
    horizon: 'this-week',
    title: "Revoke leaked secrets and retired agents' credentials",
    rules: ['leaked-secret', 'agent-retired-identities-active'],
    drop: 'revoke',
  },
  {
    horizon: 'this-week',
    title: 'Close open role trusts (federation and any AWS account)',
    rules: ['oidc-trust-no-subject', 'role-trust-open'],
    drop: 'revoke',
  },
  {
    horizon: 'this-week',
    title: 'Name owners; reassign what departed people owned',
    rules: ['no-owner', 'owner-departed'],
    drop: 'none',
  },
  {
    horizon: 'this-week',
    title: 'Set expiries on credentials that never expire',
    rules: ['no-expiry'],
    drop: 'none',
  },
  {
    horizon: 'this-week',
    title: 'Claim or disable shadow identities',
    rules: ['shadow-identity'],
    drop: 'revoke',
  },
  {
    horizon: 'this-month',
    title: 'Cut the highest-privilege grants with usage data',
    rules: ['privilege-escalation', 'admin-wildcard-grant', 'unused-permissions'],
    drop: 'least-privilege',
  },
  {
    horizon: 'this-month',
    title: 'Vault the static secrets; federate CI and workloads',
    rules: ['plaintext-secret-in-config', 'static-long-lived-key'],
    drop: 'none',
  },
  { horizon: 'this-month', title: 'Disable unused identities', rules: ['identity-unused'], drop: 'revoke' },
  {
    horizon: 'this-month',
    title: 'Split shared and cross-environment identities',
    rules: ['identity-shared', 'identity-cross-environment'],
    drop: 'none',
  },
  {
    horizon: 'this-month',
    title: 'Reduce third-party and invoker exposure',
    rules: ['third-party-broad-scopes', 'confused-deputy', 'human-use'],
    drop: 'none',
  },
  { horizon: 'this-quarter', title: 'Automate rotation', rules: ['not-rotated'], drop: 'none' },
  {
    horizon: 'this-quarter',
    title: 'Kill switch and JIT credentials for every agent',
    rules: ['missing-kill-switch'],
    drop: 'none',
  },
  {
    horizon: 'this-quarter',
    title: 'Human approval for sensitive writes',
    rules: ['agent-no-approval'],
    drop: 'none',
  },
];

/** The first n entries of a map, without copying all of them. */
function firstEntries<K, V>(m: Map<K, V>, n: number): [K, V][] {
  const out: [K, V][] = [];
  for (const e of m) {
    if (out.length >= n) break;
    out.push(e);
  }
  return out;
}

export function buildRoadmap(
  input: PostureInput,
  findings: readonly ReportFinding[],
  controls: readonly ReportControl[],
): ReportRoadmapItem[] {
  const ix = indexOf(input);
  // Open findings by rule, so each step reads only its own rules' findings.
  // (positions in the ranked list, so a step over several rules keeps the ranking).
  const openByRule = new Map<string, number[]>();
  findings.forEach((f, i) => {
    if (f.status !== 'open') return;
    const list = openByRule.get(f.ruleId);
    if (list) list.push(i);
    else openByRule.set(f.ruleId, [i]);
  });
  const lp = new Map(leastPrivilege(input).map((l) => [l.identityId, l]));
  // Reach of everything agents hold today, the base of the percentages.
  let total = 0;
  for (const a of input.agents) total += input.blastRadius.get(a.id)?.resources ?? 0;
  if (total === 0) for (const r of input.blastRadius.values()) total += r.resources;
  const out: ReportRoadmapItem[] = [];
  for (const step of PLAN) {
    const at = step.rules.flatMap((r) => openByRule.get(r) ?? []);
    if (at.length === 0) continue;
    const fs = at.sort((a, b) => a - b).map((i) => findings[i]!);
    /** Reach that goes away with one identity, for this step's kind of work. */
    const dropOf = (id: string): number => {
      const r = input.blastRadius.get(id)?.resources ?? 0;
      if (step.drop === 'revoke') return r;
      const l = lp.get(id);
      return l && l.granted.length ? Math.round((r * l.unused.length) / l.granted.length) : 0;
    };
    // Identities the step names (first 50 shown) and the reach they drop, each identity once.
    let drop = 0;
    const shown: [string, string][] = [];
    const single = step.rules.filter((r) => openByRule.has(r)).length === 1;
    if (single && !step.rules.includes('agent-retired-identities-active')) {
      // One rule: its findings have distinct subjects (finding ids are unique per rule and
      // subject), so no map of a million entries is needed.
      for (const f of fs) {
        if (f.subjectType !== 'identity') continue;
        if (shown.length < 50) shown.push([f.subjectId, f.subject]);
        if (step.drop !== 'none') drop += dropOf(f.subjectId);
      }
    } else {
      const ids = new Map<string, string>();
      for (const f of fs) {
        if (f.subjectType === 'identity') ids.set(f.subjectId, f.subject);
        else if (f.subjectType === 'agent' && step.rules.includes('agent-retired-identities-active')) {
          for (const n of (f.evidence.activeIdentities as string[] | undefined) ?? [])
            ids.set(`${f.subjectId}:${n}`, n);
        }
      }
      if (step.drop !== 'none') for (const id of ids.keys()) drop += dropOf(id);
      shown.push(...firstEntries(ids, 50));
    }
    const ownerSet = new Set<string>();
    const remediations = new Set<string>();
    for (const f of fs) {
      for (const o of f.owners) ownerSet.add(o);
      remediations.add(f.remediation);
    }
    out.push({
      horizon: step.horizon,
      title: step.title,
      action: [...remediations].join(' '),
      ruleIds: step.rules.filter((r) => openByRule.has(r)),
      findings: fs.length,
      identities: shown.map(([id, name]) => ({ id, name: ix.identity.get(id)?.nativeId ?? name })),
      owners: [...ownerSet].sort(),
      expectedBlastRadiusDrop: {
        resources: drop,
        percent: total ? Math.min(100, Math.round((1000 * drop) / total) / 10) : 0,
      },
    });
  }
  const monitoring = controls.find((c) => c.id === 'C11-monitoring');
  if (monitoring && monitoring.level < 3) {
    out.push({
      horizon: 'this-quarter',
      title: 'Behavioural baselines per identity',
      action: monitoring.missingForNext,
      ruleIds: [],
      findings: 0,
      identities: [],
      owners: [],
      expectedBlastRadiusDrop: { resources: 0, percent: 0 },
    });
  }
  return out;
}
