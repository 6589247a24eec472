import { fw } from '../frameworks.js';
import { identitiesOf, indexOf, isAdminGrant, isLive } from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/**
 * A high-risk agent (it can write or administer, or it crosses several systems) whose sensitive
 * actions do not wait for a human's approval.
 */
export const agentNoApproval = defineRule(
  {
    id: 'agent-no-approval',
    title: 'High-risk agent acts without human approval',
    severity: 'high',
    owaspNhi: ['NHI5'],
    failureMode: 'missing-kill-switch',
    references: ['https://genai.owasp.org/resource/owasp-top-10-for-agentic-applications-for-2026/'],
    remediation:
      "Require human approval for the agent's write and administrative actions (a runtime policy that holds them), and declare `approvalRequired: true` in agents.yaml.",
    frameworks: fw(['ASI02', 'ASI03', 'ASI09'], ['PR.AA-05'], ['6.1'], ['MAP 3.5', 'MANAGE 2.4']),
  },
  (input) => {
    const ix = indexOf(input);
    const out: RawFinding[] = [];
    for (const a of input.agents) {
      if (a.approvalRequired || a.status === 'retired') continue;
      const ids = identitiesOf(ix, a.id).filter(isLive);
      const br = input.blastRadius.get(a.id);
      const grants = ids.flatMap((i) => ix.grantsOf.get(i.id) ?? []).filter((g) => g.effect === 'allow');
      const admin = (br?.admin ?? 0) > 0 || grants.some(isAdminGrant);
      const write = admin || (br?.write ?? 0) > 0 || grants.some((g) => g.level === 'write');
      const systems = new Set([...(br?.systems ?? []), ...ids.map((i) => i.provider)]);
      if (!write && systems.size < 2) continue;
      const reasons = [
        admin ? 'administers' : write ? 'can write' : '',
        systems.size >= 2 ? `crosses ${systems.size} systems` : '',
      ].filter(Boolean);
      out.push({
        subjectType: 'agent',
        subjectId: a.id,
        subject: a.name,
        agentIds: [a.id],
        severity: admin ? 'high' : 'medium',
        message: `Agent ${a.name} ${reasons.join(' and ')} but none of its actions wait for human approval.`,
        evidence: { admin, write, systems: [...systems].sort(), resourcesReachable: br?.resources ?? null },
      });
    }
    return out;
  },
);
