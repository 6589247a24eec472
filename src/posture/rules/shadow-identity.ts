import { fw, OWASP_NHI_URL } from '../frameworks.js';
import { hasAdmin, indexOf, isLive, nameOf } from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/**
 * Found by discovery but declared by no one: no agent links it, no owner claims it, and no team
 * listed it in agents.yaml. Third-party grants are reported by their own rule.
 */
export const shadowIdentity = defineRule(
  {
    id: 'shadow-identity',
    title: 'Shadow identity: no agent, no owner',
    severity: 'medium',
    owaspNhi: ['NHI1'],
    failureMode: 'visibility',
    references: [OWASP_NHI_URL + 'NHI1_2025-Improper_Offboarding'],
    remediation:
      'Find who uses it (last use, source addresses, tags); declare it under its agent and owner, or disable it.',
    frameworks: fw(['ASI10'], ['ID.AM-02', 'PR.AA-01'], ['5.1', '5.5', '6.6'], ['GOVERN 1.6']),
  },
  (input) => {
    const ix = indexOf(input);
    const out: RawFinding[] = [];
    for (const i of input.identities) {
      if (!isLive(i) || i.status === 'declared' || i.ownerRef || i.thirdParty) continue;
      if (ix.linksOfIdentity.has(i.id)) continue;
      // A key of a user that is itself accounted for is covered by its parent.
      const parent =
        typeof i.attributes?.parent === 'string'
          ? ix.native.get(`${i.provider}\u0000${i.attributes.parent}`)
          : undefined;
      if (parent && (parent.ownerRef || ix.linksOfIdentity.has(parent.id))) continue;
      const admin = hasAdmin(ix, i);
      out.push({
        subjectType: 'identity',
        subjectId: i.id,
        subject: i.nativeId,
        agentIds: [],
        severity: admin ? 'high' : 'medium',
        message: `${nameOf(i)} (${i.provider} ${i.kind}) belongs to no known agent and no owner${admin ? ', and holds administrator access' : ''}.`,
        evidence: {
          provider: i.provider,
          kind: i.kind,
          account: i.account ?? null,
          lastUsedAt: i.lastUsedAt ?? null,
          admin,
        },
      });
    }
    return out;
  },
);
