import { fw, OWASP_NHI_URL } from '../frameworks.js';
import { agentsOf, indexOf, isLive, nameOf } from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/**
 * Agents with no named owner, and agent identities owned by no one (neither the identity nor any
 * agent using it names an owner). Unlinked identities without owner are shadow identities instead.
 */
export const noOwner = defineRule(
  {
    id: 'no-owner',
    title: 'No named owner',
    severity: 'medium',
    owaspNhi: ['NHI1'],
    failureMode: 'zombie',
    references: [OWASP_NHI_URL + 'NHI1_2025-Improper_Offboarding'],
    remediation:
      'Name an accountable owner (a person or team) in agents.yaml or as an owner tag, so offboarding and incidents have someone to ask.',
    frameworks: fw(['ASI03', 'ASI10'], ['GV.RR-02', 'PR.AA-01'], ['5.1', '5.5'], ['GOVERN 2.1']),
  },
  (input) => {
    const ix = indexOf(input);
    const out: RawFinding[] = [];
    for (const a of input.agents) {
      if (a.status === 'retired' || a.ownerRef) continue;
      out.push({
        subjectType: 'agent',
        subjectId: a.id,
        subject: a.name,
        agentIds: [a.id],
        message: `Agent ${a.name} has no named owner.`,
        evidence: { declared: a.declared },
      });
    }
    for (const i of input.identities) {
      if (i.ownerRef || !isLive(i)) continue;
      const agents = agentsOf(ix, i.id);
      if (agents.length === 0) continue;
      if (agents.some((id) => ix.agent.get(id)?.ownerRef)) continue;
      out.push({
        subjectType: 'identity',
        subjectId: i.id,
        subject: i.nativeId,
        agentIds: agents,
        message: `${nameOf(i)} has no owner, and no agent using it names one.`,
        evidence: { provider: i.provider, kind: i.kind },
      });
    }
    return out;
  },
);
