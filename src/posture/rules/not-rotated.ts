import type { IdentityKind } from '../../model/index.js';
import { fw, OWASP_NHI_URL } from '../frameworks.js';
import {
  agentsOf,
  attr,
  daysBetween,
  daysSince,
  hasAdmin,
  indexOf,
  isLive,
  nameOf,
} from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

const ROTATABLE: ReadonlySet<IdentityKind> = new Set<IdentityKind>([
  'api-key',
  'access-key',
  'personal-access-token',
  'bot-token',
  'ci-secret',
  'ssh-key',
  'mcp-token',
  'password',
  'oauth-token',
  'certificate',
]);

/**
 * Secrets older than the rotation policy: `posture.rotationDays` (90), or `adminRotationDays` (30)
 * when the identity (or the user a key belongs to) holds administrator access. A secret whose whole
 * lifetime fits inside the policy is short-lived and not flagged.
 */
export const notRotated = defineRule(
  {
    id: 'not-rotated',
    title: 'Secret not rotated within policy',
    severity: 'medium',
    owaspNhi: ['NHI7'],
    failureMode: 'long-lived-secret',
    references: [
      OWASP_NHI_URL + 'NHI7_2025-Long-Lived_Secrets',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console',
    ],
    remediation:
      'Rotate the secret (create the new one, move consumers, disable then delete the old one) and automate the schedule, ideally through a vault.',
    fix: 'aws iam create-access-key --user-name {name}',
    frameworks: fw(['ASI03'], ['PR.AA-01'], ['5.2'], ['MANAGE 2.4']),
  },
  (input) => {
    const ix = indexOf(input);
    const out: RawFinding[] = [];
    for (const i of input.identities) {
      if (
        !ROTATABLE.has(i.kind) ||
        !isLive(i) ||
        i.status === 'declared' ||
        attr(i, 'systemManaged') === true
      )
        continue;
      const since = i.lastRotatedAt ?? i.createdAt;
      const age = daysSince(ix, since);
      if (age === undefined) continue;
      const admin = hasAdmin(ix, i);
      const policy = admin ? input.thresholds.adminRotationDays : input.thresholds.rotationDays;
      if (age <= policy) continue;
      if (i.expiresAt && since && daysBetween(since, i.expiresAt) <= policy) continue;
      const parent = typeof i.attributes?.parent === 'string' ? i.attributes.parent : undefined;
      const user = parent?.split('/').pop();
      out.push({
        subjectType: 'identity',
        subjectId: i.id,
        subject: i.nativeId,
        agentIds: agentsOf(ix, i.id),
        severity: admin ? 'high' : 'medium',
        message: `${nameOf(i)} was last rotated ${Math.floor(age)} days ago; policy is ${policy} days${admin ? ' for administrator access' : ''}.`,
        evidence: {
          lastRotatedAt: i.lastRotatedAt ?? null,
          createdAt: i.createdAt ?? null,
          ageDays: Math.floor(age),
          policyDays: policy,
          admin,
        },
        ...(i.provider === 'aws' && i.kind === 'access-key' && user
          ? {
              fix: `aws iam create-access-key --user-name ${user} && aws iam update-access-key --user-name ${user} --access-key-id ${i.nativeId} --status Inactive`,
            }
          : {}),
      });
    }
    return out;
  },
);
