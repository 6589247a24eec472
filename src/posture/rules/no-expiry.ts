import type { IdentityKind } from '../../model/index.js';
import { fw, OWASP_NHI_URL } from '../frameworks.js';
import { agentsOf, attr, daysBetween, hasAdmin, indexOf, isLive, nameOf } from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/** Secret kinds that should carry an expiry (session tokens are short-lived by construction). */
const EXPIRING: ReadonlySet<IdentityKind> = new Set<IdentityKind>([
  'api-key',
  'access-key',
  'oauth-token',
  'certificate',
  'ssh-key',
  'personal-access-token',
  'bot-token',
  'mcp-token',
  'ci-secret',
]);

/** Live secrets with no expiry, or an expiry further out than `posture.maxExpiryDays` (365). */
export const noExpiry = defineRule(
  {
    id: 'no-expiry',
    title: 'Credential never expires',
    severity: 'medium',
    owaspNhi: ['NHI7'],
    failureMode: 'long-lived-secret',
    references: [OWASP_NHI_URL + 'NHI7_2025-Long-Lived_Secrets'],
    remediation:
      'Reissue the credential with an expiry within policy (or replace it with a short-lived token issued per task), and record the renewal owner.',
    frameworks: fw(['ASI03'], ['PR.AA-01', 'PR.AA-03'], ['5.2', '6.2'], ['MANAGE 2.4']),
  },
  (input) => {
    const ix = indexOf(input);
    const max = input.thresholds.maxExpiryDays;
    const out: RawFinding[] = [];
    for (const i of input.identities) {
      if (!EXPIRING.has(i.kind) || !isLive(i) || i.status === 'declared') continue;
      // Keys the provider itself rotates (GCP SYSTEM_MANAGED) are not the holder's to expire.
      if (attr(i, 'systemManaged') === true) continue;
      const admin = hasAdmin(ix, i);
      if (!i.expiresAt) {
        out.push({
          subjectType: 'identity',
          subjectId: i.id,
          subject: i.nativeId,
          agentIds: agentsOf(ix, i.id),
          severity: admin ? 'high' : 'medium',
          message: `${nameOf(i)} (${i.kind}) has no expiry.`,
          evidence: { kind: i.kind, createdAt: i.createdAt ?? null, expiresAt: null, admin },
        });
        continue;
      }
      const from = i.createdAt ?? input.now;
      const lifetime = daysBetween(from, i.expiresAt);
      if (lifetime > max) {
        out.push({
          subjectType: 'identity',
          subjectId: i.id,
          subject: i.nativeId,
          agentIds: agentsOf(ix, i.id),
          severity: admin ? 'medium' : 'low',
          message: `${nameOf(i)} expires ${i.expiresAt.slice(0, 10)}: a lifetime of ${Math.round(lifetime)} days, beyond the ${max}-day policy.`,
          evidence: {
            kind: i.kind,
            createdAt: i.createdAt ?? null,
            expiresAt: i.expiresAt,
            lifetimeDays: Math.round(lifetime),
            maxExpiryDays: max,
          },
        });
      }
    }
    return out;
  },
);
