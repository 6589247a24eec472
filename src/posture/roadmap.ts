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
    title: 'Close open federation trusts',
    rules: ['oidc-trust-no-subject'],
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

export function buildRoadmap(
  input: PostureInput,
  findings: readonly ReportFinding[],
  controls: readonly ReportControl[],
): ReportRoadmapItem[] {
  const ix = indexOf(input);
  const open = findings.filter((f) => f.status === 'open');
  const lp = new Map(leastPrivilege(input).map((l) => [l.identityId, l]));
  // Reach of everything agents hold today, the base of the percentages.
  let total = 0;
  for (const a of input.agents) total += input.blastRadius.get(a.id)?.resources ?? 0;
  if (total === 0) for (const r of input.blastRadius.values()) total += r.resources;
  const out: ReportRoadmapItem[] = [];
  for (const step of PLAN) {
    const fs = open.filter((f) => step.rules.includes(f.ruleId));
    if (fs.length === 0) continue;
    const ids = new Map<string, string>();
    for (const f of fs) {
      if (f.subjectType === 'identity') ids.set(f.subjectId, f.subject);
      else if (f.subjectType === 'agent' && step.rules.includes('agent-retired-identities-active')) {
        for (const n of (f.evidence.activeIdentities as string[] | undefined) ?? [])
          ids.set(`${f.subjectId}:${n}`, n);
      }
    }
    let drop = 0;
    if (step.drop !== 'none') {
      for (const id of ids.keys()) {
        const r = input.blastRadius.get(id)?.resources ?? 0;
        if (step.drop === 'revoke') drop += r;
        else {
          const l = lp.get(id);
          drop += l && l.granted.length ? Math.round((r * l.unused.length) / l.granted.length) : 0;
        }
      }
    }
    const owners = [...new Set(fs.flatMap((f) => f.owners))].sort();
    out.push({
      horizon: step.horizon,
      title: step.title,
      action: [...new Set(fs.map((f) => f.remediation))].join(' '),
      ruleIds: step.rules.filter((r) => fs.some((f) => f.ruleId === r)),
      findings: fs.length,
      identities: [...ids.entries()]
        .slice(0, 50)
        .map(([id, name]) => ({ id, name: ix.identity.get(id)?.nativeId ?? name })),
      owners,
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
