import { fw, OWASP_NHI_URL } from '../frameworks.js';
import { agentsOf, indexOf, isAdminGrant, isDenyAll, isLive, nameOf } from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/** AWS managed policies that amount to administrator access. */
const ADMIN_POLICIES = /arn:aws:iam::aws:policy\/(AdministratorAccess|IAMFullAccess|PowerUserAccess)\b/;

/**
 * Identities holding administrator or wildcard grants (`*` actions on `*` resources, a service-wide
 * `svc:*` on every resource, or a grant the connector normalised to level admin).
 */
export const adminWildcardGrant = defineRule(
  {
    id: 'admin-wildcard-grant',
    title: 'Administrator or wildcard permissions',
    severity: 'high',
    owaspNhi: ['NHI5'],
    failureMode: 'over-permissioned',
    references: [
      OWASP_NHI_URL + 'NHI5_2025-Overprivileged_NHI',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
    ],
    remediation:
      'Replace the broad grant with the generated least-privilege policy of this report (what was actually used), or scope it to named resources.',
    fix: 'aws iam detach-role-policy --role-name {name} --policy-arn arn:aws:iam::aws:policy/AdministratorAccess',
    frameworks: fw(['ASI03', 'ASI02'], ['PR.AA-05'], ['5.4', '6.8'], ['MEASURE 2.7']),
  },
  (input) => {
    const ix = indexOf(input);
    const out: RawFinding[] = [];
    for (const i of input.identities) {
      if (!isLive(i)) continue;
      const held = ix.grantsOf.get(i.id) ?? [];
      // A deny-all (quarantine) statement overrides every Allow: nothing is granted.
      if (held.some(isDenyAll)) continue;
      const grants = held.filter(
        (g) =>
          isAdminGrant(g) ||
          (g.effect === 'allow' &&
            g.resources.includes('*') &&
            g.actions.some((a) => /^[a-z0-9-]+:\*$/i.test(a)) &&
            g.level !== 'read' &&
            g.level !== 'list'),
      );
      if (grants.length === 0) continue;
      const full = grants.some(isAdminGrant);
      const via = [...new Set(grants.map((g) => g.via).filter((v): v is string => !!v))];
      const managed = via.map((v) => ADMIN_POLICIES.exec(v)?.[0]).find((v) => v !== undefined);
      const roleOrUser = /:(role|user)\/(?:.*\/)?([^/]+)$/.exec(i.nativeId);
      out.push({
        subjectType: 'identity',
        subjectId: i.id,
        subject: i.nativeId,
        agentIds: agentsOf(ix, i.id),
        severity: full ? 'high' : 'medium',
        message: `${nameOf(i)} holds ${full ? 'administrator' : 'service-wide wildcard'} permissions${via.length ? ` via ${via.slice(0, 3).join(', ')}` : ''}.`,
        evidence: {
          grants: grants.slice(0, 10).map((g) => ({
            actions: g.actions.slice(0, 10),
            resources: g.resources.slice(0, 5),
            level: g.level,
            via: g.via ?? null,
          })),
        },
        ...(managed && roleOrUser && i.provider === 'aws'
          ? {
              fix: `aws iam detach-${roleOrUser[1]}-policy --${roleOrUser[1]}-name ${roleOrUser[2]} --policy-arn ${managed}`,
            }
          : {}),
      });
    }
    return out;
  },
);
