import type { OwaspNhiId } from '../model/index.js';
import type { FindingFrameworks, ReportControl, ReportFinding } from '../report/index.js';
import { fw } from './frameworks.js';
import { hasAgents, identitiesOf, indexOf, isLive, isSecret, ownerOf } from './posture-index.js';
import type { PostureInput } from './posture-types.js';

export interface ControlContext {
  /** Whether the secret scanner ran over the audited folder. */
  scanned: boolean;
}

interface Measure {
  /** Subjects in scope and those that comply; total 0 = no data. */
  total: number;
  ok: number;
  evidence: string[];
  /** A level the control cannot exceed with what Warden saw offline, and why. */
  cap?: { level: number; why: string };
  /** A level the evidence guarantees whatever the share (an inventory that exists is level 1). */
  floor?: number;
}

interface ControlDef {
  id: string;
  title: string;
  owaspNhi: OwaspNhiId[];
  frameworks: FindingFrameworks;
  /** What reaching the next level takes, by current level. */
  next: [string, string, string];
  measure(input: PostureInput, f: Map<string, ReportFinding[]>, ctx: ControlContext): Measure;
}

const pct = (ok: number, total: number) => (total === 0 ? 'n/a' : `${Math.round((100 * ok) / total)}%`);
/** Subjects of the findings of some rules; memoised per findings map (controls ask repeatedly). */
const subjectMemo = new WeakMap<Map<string, ReportFinding[]>, Map<string, Set<string>>>();
const subjects = (f: Map<string, ReportFinding[]>, ...rules: string[]): Set<string> => {
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

const CONTROLS: ControlDef[] = [
  {
    id: 'C01-inventory',
    title: 'Inventory and agent mapping',
    owaspNhi: ['NHI1'],
    frameworks: fw(['ASI10'], ['ID.AM-02', 'PR.AA-01'], ['5.1', '5.5', '6.6'], ['GOVERN 1.6', 'MAP 4.1']),
    next: [
      'Import the exports of every system agents use',
      'Link every identity to its agent (declare in agents.yaml, tags, mappings)',
      'Keep shadow identities at zero on every audit',
    ],
    measure(input, f) {
      const ix = indexOf(input);
      const live = input.identities.filter((i) => isLive(i) && !i.thirdParty);
      const mapped = live.filter((i) => ix.linksOfIdentity.has(i.id) || i.ownerRef).length;
      return {
        total: live.length,
        ok: mapped,
        // Warden just built an inventory of declared agents: that is level 1 however much is unmapped.
        floor: input.agents.some((a) => a.declared) ? 1 : 0,
        evidence: [
          `${input.agents.length} agents, ${live.length} live identities`,
          `${pct(mapped, live.length)} mapped to an agent or owner`,
          `${subjects(f, 'shadow-identity').size} shadow identities`,
        ],
      };
    },
  },
  {
    id: 'C02-owner',
    title: 'Named, current owner',
    owaspNhi: ['NHI1'],
    frameworks: fw(['ASI03'], ['GV.RR-02'], ['5.1', '5.5'], ['GOVERN 2.1']),
    next: [
      'Name an owner for each agent',
      'Reassign what departed people owned',
      'Reassign ownership automatically on departure (IdP feed)',
    ],
    measure(input) {
      const ix = indexOf(input);
      const agents = input.agents.filter((a) => a.status !== 'retired');
      const ok = agents.filter((a) => a.ownerRef && ownerOf(ix, a.ownerRef)?.status !== 'departed').length;
      const departed = agents.filter((a) => ownerOf(ix, a.ownerRef)?.status === 'departed').length;
      return {
        total: agents.length,
        ok,
        evidence: [
          `${ok}/${agents.length} active agents have a current owner`,
          `${departed} owned by someone who left`,
        ],
      };
    },
  },
  {
    id: 'C03-expiry',
    title: 'Every credential expires',
    owaspNhi: ['NHI7'],
    frameworks: fw(['ASI03'], ['PR.AA-01'], ['6.2'], ['MANAGE 2.4']),
    next: [
      'Set expiries on the credentials that have none',
      'Keep every expiry within policy',
      'Issue short-lived credentials per task (JIT)',
    ],
    measure(input, f) {
      const secrets = input.identities.filter(
        (i) =>
          isLive(i) &&
          isSecret(i) &&
          i.kind !== 'session-token' &&
          i.kind !== 'webhook' &&
          i.kind !== 'password',
      );
      const bad = subjects(f, 'no-expiry');
      return {
        total: secrets.length,
        ok: secrets.filter((i) => !bad.has(i.id)).length,
        evidence: [`${bad.size} of ${secrets.length} secrets never expire or exceed policy`],
      };
    },
  },
  {
    id: 'C04-rotation',
    title: 'Rotation within policy',
    owaspNhi: ['NHI7'],
    frameworks: fw(['ASI03'], ['PR.AA-01'], ['5.2'], ['MANAGE 2.4']),
    next: [
      'Rotate the overdue secrets',
      'Rotate on a schedule',
      'Automate rotation through a vault or broker',
    ],
    measure(input, f) {
      const secrets = input.identities.filter((i) => isLive(i) && isSecret(i));
      const bad = subjects(f, 'not-rotated');
      return {
        total: secrets.length,
        ok: secrets.filter((i) => !bad.has(i.id)).length,
        evidence: [
          `${bad.size} secrets overdue for rotation (policy ${input.thresholds.rotationDays} days, ${input.thresholds.adminRotationDays} for admin)`,
        ],
      };
    },
  },
  {
    id: 'C05-least-privilege',
    title: 'Least privilege from usage',
    owaspNhi: ['NHI5'],
    frameworks: fw(['ASI02', 'ASI03'], ['PR.AA-05'], ['5.4', '6.8'], ['MEASURE 2.7']),
    next: [
      'Remove administrator and wildcard grants',
      'Cut unused permissions with the generated policies',
      'Re-derive policies from usage continuously',
    ],
    measure(input, f) {
      const ix = indexOf(input);
      const withGrants = [...ix.grantsOf.keys()].filter((id) => ix.identity.has(id));
      const bad = subjects(f, 'admin-wildcard-grant', 'unused-permissions', 'privilege-escalation');
      const m: Measure = {
        total: withGrants.length,
        ok: withGrants.filter((id) => !bad.has(id)).length,
        evidence: [
          `${bad.size} of ${withGrants.length} identities with grants are over-permissioned or can escalate`,
          `${subjects(f, 'privilege-escalation').size} can escalate to administrator`,
        ],
      };
      if (!input.usageObserved)
        m.cap = { level: 1, why: 'no usage events imported: import CloudTrail to compare granted with used' };
      return m;
    },
  },
  {
    id: 'C06-no-static-secrets',
    title: 'No static secrets where federation is available',
    owaspNhi: ['NHI7', 'NHI2'],
    frameworks: fw(['ASI03'], ['PR.AA-03', 'PR.DS-01'], ['5.2', '6.7'], ['MANAGE 2.4']),
    next: [
      'Move static secrets out of plain configs',
      'Replace CI and workload keys with OIDC or workload identity',
      'Issue every agent credential from a broker',
    ],
    measure(input, f) {
      const secrets = input.identities.filter((i) => isLive(i) && isSecret(i));
      const bad = subjects(f, 'static-long-lived-key', 'plaintext-secret-in-config');
      return {
        total: secrets.length,
        ok: secrets.filter((i) => !bad.has(i.id)).length,
        evidence: [
          `${subjects(f, 'static-long-lived-key').size} static keys where federation exists`,
          `${subjects(f, 'plaintext-secret-in-config').size} secrets in clear in production configs`,
        ],
      };
    },
  },
  {
    id: 'C07-no-leaks',
    title: 'No leaked secrets',
    owaspNhi: ['NHI2'],
    frameworks: fw(['ASI03'], ['PR.DS-01', 'ID.RA-01'], ['5.2'], ['MEASURE 2.7']),
    next: [
      'Scan code and history for secrets',
      'Revoke every leaked secret',
      'Block leaks before commit (pre-commit hook, push protection)',
    ],
    measure(input, f, ctx) {
      const n = (f.get('leaked-secret') ?? []).length;
      if (!ctx.scanned)
        return { total: 0, ok: 0, evidence: ['the secret scanner did not run over the audited folder'] };
      return {
        total: Math.max(1, input.leaks.length),
        ok: n === 0 ? 1 : 0,
        evidence: [
          `${input.leaks.length} leaked secrets found, ${input.leaks.filter((l) => l.identityId).length} tied to an inventoried identity`,
        ],
      };
    },
  },
  {
    id: 'C08-no-zombies',
    title: 'No zombie identities',
    owaspNhi: ['NHI1'],
    frameworks: fw(['ASI10'], ['ID.AM-08'], ['5.3', '6.2'], ['MANAGE 2.4']),
    next: [
      'Disable unused and orphaned identities',
      'Offboard agents and their identities together',
      'Expire identities automatically at decommission',
    ],
    measure(input, f) {
      const live = input.identities.filter(isLive);
      const retired = new Set(
        (f.get('agent-retired-identities-active') ?? []).flatMap(
          (x) => (x.evidence.activeIdentities as string[] | undefined) ?? [],
        ),
      );
      const bad = subjects(f, 'identity-unused', 'owner-departed');
      const n = live.filter((i) => bad.has(i.id) || retired.has(i.nativeId)).length;
      return {
        total: live.length,
        ok: live.length - n,
        evidence: [
          `${subjects(f, 'identity-unused').size} unused`,
          `${subjects(f, 'owner-departed').size} owned by someone who left`,
          `${retired.size} held by retired agents`,
        ],
      };
    },
  },
  {
    id: 'C09-one-identity-per-agent',
    title: 'One identity per agent and environment',
    owaspNhi: ['NHI9', 'NHI8'],
    frameworks: fw(['ASI03', 'ASI08'], ['PR.AA-01', 'PR.AA-05'], ['5.5'], ['GOVERN 1.6']),
    next: [
      'Split identities shared by several agents',
      'Separate identities per environment',
      'Provision a dedicated identity for every new agent',
    ],
    measure(input, f) {
      const ix = indexOf(input);
      const linked = input.identities.filter((i) => isLive(i) && hasAgents(ix, i.id));
      const bad = subjects(f, 'identity-shared', 'identity-cross-environment');
      return {
        total: linked.length,
        ok: linked.filter((i) => !bad.has(i.id)).length,
        evidence: [
          `${subjects(f, 'identity-shared').size} shared identities`,
          `${subjects(f, 'identity-cross-environment').size} used across environments`,
        ],
      };
    },
  },
  {
    id: 'C10-kill-switch',
    title: 'A tested kill switch',
    owaspNhi: ['NHI1', 'NHI7'],
    frameworks: fw(['ASI10', 'ASI08'], ['RS.MI-01'], ['6.2', '6.7'], ['MANAGE 2.4']),
    next: [
      'List what must be revoked for each agent',
      "Put each agent's credentials behind one revocation point",
      'Test the kill switch regularly (record killSwitchTestedAt)',
    ],
    measure(input, f) {
      const ix = indexOf(input);
      const agents = input.agents.filter((a) => a.status !== 'retired' && identitiesOf(ix, a.id).length > 0);
      const bad = subjects(f, 'missing-kill-switch');
      const tested = agents.filter((a) => typeof a.attributes?.killSwitchTestedAt === 'string').length;
      const m: Measure = {
        total: agents.length,
        ok: agents.filter((a) => !bad.has(a.id)).length,
        evidence: [
          `${bad.size} of ${agents.length} agents cannot be stopped from one place`,
          `${tested} with a recorded kill-switch test`,
        ],
      };
      if (tested < agents.length) m.cap = { level: 2, why: 'kill switch not tested for every agent' };
      return m;
    },
  },
  {
    id: 'C11-monitoring',
    title: 'Monitoring with baselines',
    owaspNhi: ['NHI10', 'NHI1'],
    frameworks: fw(['ASI10'], ['DE.CM-03', 'DE.CM-09'], ['6.2'], ['MANAGE 4.1', 'MEASURE 2.7']),
    next: [
      "Import audit logs (CloudTrail) for the agents' identities",
      'Cover every agent identity with usage logs',
      'Alert on deviations from per-identity baselines',
    ],
    measure(input, f) {
      const ix = indexOf(input);
      const linked = input.identities.filter(
        (i) => isLive(i) && hasAgents(ix, i.id) && (i.provider === 'aws' || input.usage.has(i.id)),
      );
      const observed = linked.filter((i) => input.usage.has(i.id)).length;
      return {
        total: input.usageObserved ? linked.length : 0,
        ok: observed,
        evidence: [
          input.usageObserved
            ? `${observed} of ${linked.length} agent identities have usage logs in the window`
            : 'no usage logs imported',
          `${subjects(f, 'human-use').size} identities show human use`,
        ],
        cap: { level: 2, why: 'behavioural baselines are not measured by an offline audit' },
      };
    },
  },
  {
    id: 'C12-human-approval',
    title: 'Human approval for sensitive writes',
    owaspNhi: ['NHI5'],
    frameworks: fw(['ASI02', 'ASI09'], ['PR.AA-05'], ['6.1'], ['MAP 3.5']),
    next: [
      'Declare which agents can write',
      'Require approval for every agent that writes or administers',
      'Hold sensitive writes at run time through policy',
    ],
    measure(input, f) {
      const risky = input.agents.filter(
        (a) =>
          a.status !== 'retired' &&
          ((input.blastRadius.get(a.id)?.write ?? 0) > 0 ||
            (input.blastRadius.get(a.id)?.admin ?? 0) > 0 ||
            a.approvalRequired),
      );
      const bad = subjects(f, 'agent-no-approval', 'confused-deputy');
      const all = new Set([...risky.map((a) => a.id), ...bad]);
      return {
        total: all.size,
        ok: [...all].filter((id) => !bad.has(id)).length,
        evidence: [
          `${subjects(f, 'agent-no-approval').size} high-risk agents act without approval`,
          `${subjects(f, 'confused-deputy').size} agents lend their access to invokers`,
        ],
      };
    },
  },
];

function levelOf(score: number): number {
  return score >= 0.98 ? 3 : score >= 0.85 ? 2 : score >= 0.5 ? 1 : 0;
}

/** Scores the twelve controls with their evidence and what the next level takes. */
export function scoreControls(
  input: PostureInput,
  findings: readonly ReportFinding[],
  ctx: ControlContext,
): ReportControl[] {
  const open = new Map<string, ReportFinding[]>();
  for (const f of findings)
    if (f.status !== 'fixed') (open.get(f.ruleId) ?? open.set(f.ruleId, []).get(f.ruleId)!).push(f);
  return CONTROLS.map((c) => {
    const m = c.measure(input, open, ctx);
    const score = m.total === 0 ? 0 : m.ok / m.total;
    let level = m.total === 0 ? 0 : Math.max(levelOf(score), m.floor ?? 0);
    const evidence = [...m.evidence];
    if (m.cap && level > m.cap.level) {
      level = m.cap.level;
      evidence.push(`capped at level ${m.cap.level}: ${m.cap.why}`);
    }
    const status: ReportControl['status'] =
      m.total === 0 ? 'unknown' : score >= 0.98 && level >= 2 ? 'pass' : score >= 0.5 ? 'partial' : 'fail';
    return {
      id: c.id,
      title: c.title,
      status,
      level,
      score: Math.round(score * 1000) / 1000,
      evidence,
      missingForNext: level >= 3 ? 'at the top level: keep it there' : c.next[level]!,
      owaspNhi: c.owaspNhi,
      frameworks: c.frameworks,
    };
  });
}

/** Ids of the twelve controls, in report order. */
export const CONTROL_IDS: readonly string[] = CONTROLS.map((c) => c.id);
