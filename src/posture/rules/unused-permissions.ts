import { fw, OWASP_NHI_URL } from '../frameworks.js';
import { leastPrivilege } from '../least-privilege.js';
import { agentsOf, indexOf, nameOf } from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/**
 * Granted permissions never used in the usage window (`posture.usageWindowDays`, 90), from the
 * imported usage events; the least-privilege section of the report carries the generated policy.
 */
export const unusedPermissions = defineRule(
  {
    id: 'unused-permissions',
    title: 'Granted permissions never used',
    severity: 'medium',
    owaspNhi: ['NHI5'],
    failureMode: 'over-permissioned',
    references: [
      OWASP_NHI_URL + 'NHI5_2025-Overprivileged_NHI',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html',
    ],
    remediation:
      'Replace the grants with the generated least-privilege policy (it covers exactly what was used in the window) and watch for denied calls for a week.',
    frameworks: fw(['ASI03', 'ASI02'], ['PR.AA-05'], ['6.8'], ['MEASURE 2.7']),
  },
  (input) => {
    const ix = indexOf(input);
    const out: RawFinding[] = [];
    for (const lp of leastPrivilege(input)) {
      if (lp.unused.length === 0) continue;
      const i = ix.identity.get(lp.identityId)!;
      const wild = lp.unused.some((p) => p === '*' || p.endsWith(':*'));
      out.push({
        subjectType: 'identity',
        subjectId: i.id,
        subject: i.nativeId,
        agentIds: agentsOf(ix, i.id),
        severity: wild ? 'high' : 'medium',
        message: `${nameOf(i)} used ${lp.used.length} actions in ${lp.windowDays} days but holds ${lp.unused.length} granted permission patterns it never used.`,
        evidence: {
          windowDays: lp.windowDays,
          granted: lp.granted.length,
          used: lp.used.slice(0, 50),
          unused: lp.unused.slice(0, 50),
        },
      });
    }
    return out;
  },
);
