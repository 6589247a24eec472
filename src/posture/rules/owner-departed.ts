import { fw, OWASP_NHI_URL } from '../frameworks.js';
import { agentsOf, indexOf, isLive, nameOf, ownerOf } from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/** Agents and live identities whose owner has left the organisation (people list or IdP export). */
export const ownerDeparted = defineRule(
  {
    id: 'owner-departed',
    title: 'Owner has left the organisation',
    severity: 'high',
    owaspNhi: ['NHI1'],
    failureMode: 'zombie',
    references: [OWASP_NHI_URL + 'NHI1_2025-Improper_Offboarding'],
    remediation:
      'Reassign ownership to a current employee, then review whether the identity is still needed; revoke it if not.',
    frameworks: fw(['ASI03', 'ASI10'], ['GV.RR-02', 'PR.AA-01', 'ID.AM-08'], ['5.3', '6.2'], ['GOVERN 2.1']),
  },
  (input) => {
    const ix = indexOf(input);
    const out: RawFinding[] = [];
    for (const a of input.agents) {
      const o = ownerOf(ix, a.ownerRef);
      if (a.status === 'retired' || o?.status !== 'departed') continue;
      out.push({
        subjectType: 'agent',
        subjectId: a.id,
        subject: a.name,
        agentIds: [a.id],
        message: `Agent ${a.name} is owned by ${o.ref}, who left${o.departedAt ? ` on ${o.departedAt.slice(0, 10)}` : ''}.`,
        evidence: { owner: o.ref, departedAt: o.departedAt ?? null },
      });
    }
    for (const i of input.identities) {
      const o = ownerOf(ix, i.ownerRef);
      if (!isLive(i) || o?.status !== 'departed') continue;
      out.push({
        subjectType: 'identity',
        subjectId: i.id,
        subject: i.nativeId,
        agentIds: agentsOf(ix, i.id),
        message: `${nameOf(i)} is owned by ${o.ref}, who left${o.departedAt ? ` on ${o.departedAt.slice(0, 10)}` : ''}, and is still ${i.status}.`,
        evidence: { owner: o.ref, departedAt: o.departedAt ?? null, lastUsedAt: i.lastUsedAt ?? null },
      });
    }
    return out;
  },
);
