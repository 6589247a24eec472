import { fw, OWASP_NHI_URL } from '../frameworks.js';
import { indexOf, isLive, nameOf } from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/**
 * One identity used by several agents or workloads (links of confidence >= 0.5, and workloads that
 * run as it): a compromise of one is a compromise of all, and revoking it breaks all.
 */
export const identityShared = defineRule(
  {
    id: 'identity-shared',
    title: 'Identity shared by several agents or services',
    severity: 'medium',
    owaspNhi: ['NHI9'],
    failureMode: 'reuse',
    references: [OWASP_NHI_URL + 'NHI9_2025-NHI_Reuse'],
    remediation:
      'Give each agent its own identity with only what it needs, move each consumer over, then revoke the shared one.',
    frameworks: fw(['ASI03', 'ASI08'], ['PR.AA-01', 'PR.AA-05'], ['5.5', '6.8'], ['GOVERN 1.6']),
  },
  (input) => {
    const ix = indexOf(input);
    const out: RawFinding[] = [];
    for (const i of input.identities) {
      if (!isLive(i)) continue;
      const agents = [
        ...new Set(
          (ix.linksOfIdentity.get(i.id) ?? []).filter((l) => l.confidence >= 0.5).map((l) => l.agentId),
        ),
      ];
      const workloads = [
        ...new Set((ix.edgesTo.get(i.id) ?? []).filter((e) => e.kind === 'runs-as').map((e) => e.fromId)),
      ];
      const consumers = agents.length + workloads.filter((w) => !agents.includes(w)).length;
      if (consumers < 2) continue;
      const names = agents.map((id) => ix.agent.get(id)?.name ?? id);
      out.push({
        subjectType: 'identity',
        subjectId: i.id,
        subject: i.nativeId,
        agentIds: agents,
        severity: agents.length >= 3 ? 'high' : 'medium',
        message: `${nameOf(i)} is used by ${consumers} consumers${names.length ? ` (agents: ${names.sort().join(', ')})` : ''}.`,
        evidence: { agents: names.sort(), workloads: workloads.length },
      });
    }
    return out;
  },
);
