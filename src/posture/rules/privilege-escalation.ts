import { fw, OWASP_NHI_URL } from '../frameworks.js';
import { agentsOf, indexOf } from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/** The access graph found that the principal alone can reach administrator-equivalent access. */
export const privilegeEscalation = defineRule(
  {
    id: 'privilege-escalation',
    title: 'Can escalate to administrator',
    severity: 'critical',
    owaspNhi: ['NHI5'],
    failureMode: 'over-permissioned',
    references: [
      OWASP_NHI_URL + 'NHI5_2025-Overprivileged_NHI',
      'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/',
      'https://pathfinding.cloud/',
    ],
    remediation:
      'Remove the permission that opens the path (named in the technique), or cap the principal with a permissions boundary that denies it.',
    frameworks: fw(['ASI03'], ['PR.AA-05', 'ID.RA-01'], ['5.4', '6.8'], ['MEASURE 2.7']),
  },
  (input) => {
    const ix = indexOf(input);
    const byIdentity = new Map<string, typeof input.escalations>();
    for (const e of input.escalations)
      (byIdentity.get(e.identityId) ?? byIdentity.set(e.identityId, []).get(e.identityId)!).push(e);
    const out: RawFinding[] = [];
    for (const [identityId, paths] of byIdentity) {
      const best = [...paths].sort((a, b) => a.hops - b.hops)[0]!;
      out.push({
        subjectType: 'identity',
        subjectId: identityId,
        subject: best.principal,
        agentIds: agentsOf(ix, identityId),
        message: `${best.principal} can escalate to administrator through ${best.technique} in ${best.hops} hop${best.hops === 1 ? '' : 's'}${paths.length > 1 ? ` (${paths.length} paths)` : ''}.`,
        evidence: {
          technique: best.technique,
          hops: best.hops,
          path: best.path,
          techniques: [...new Set(paths.map((p) => p.technique))],
        },
      });
    }
    return out;
  },
);
