import { fw, OWASP_NHI_URL } from '../frameworks.js';
import { agentsOf, attr, daysSince, hasAdmin, indexOf, isLive, nameOf } from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/**
 * Live identities not used for `posture.unusedDays` (default 30 and 90 days). Last use comes from
 * the source (credential report, provider APIs) or from imported usage events; an identity is
 * called never used only when its source says so (`attributes.neverUsed`), never by omission.
 */
export const identityUnused = defineRule(
  {
    id: 'identity-unused',
    title: 'Identity unused',
    severity: 'medium',
    owaspNhi: ['NHI1'],
    failureMode: 'zombie',
    references: [
      OWASP_NHI_URL + 'NHI1_2025-Improper_Offboarding',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html',
    ],
    remediation: 'Disable the identity now, and delete it after a grace period if nothing breaks.',
    fix: 'aws iam update-access-key --access-key-id {nativeId} --status Inactive',
    frameworks: fw(['ASI03', 'ASI10'], ['PR.AA-01', 'ID.AM-08'], ['5.3'], ['MANAGE 2.4']),
  },
  (input) => {
    const ix = indexOf(input);
    const days = [...input.thresholds.unusedDays].sort((a, b) => a - b);
    const min = days[0] ?? 30;
    const max = days[days.length - 1] ?? 90;
    const out: RawFinding[] = [];
    for (const i of input.identities) {
      if (!isLive(i) || i.status === 'declared') continue;
      const u = input.usage.get(i.id);
      // The later of the two (ISO-8601 strings compare as times), without an array per identity.
      const a = i.lastUsedAt;
      const b = u?.lastTime;
      const last = a && b ? (a > b ? a : b) : a || b || undefined;
      let idle: number | undefined;
      let never = false;
      if (last) idle = daysSince(ix, last);
      else if (attr(i, 'neverUsed') === true) {
        idle = daysSince(ix, i.createdAt);
        never = true;
      }
      if (idle === undefined || idle < min) continue;
      const threshold = days.filter((d) => idle! >= d).pop()!;
      const severity = idle >= max ? (hasAdmin(ix, i) ? 'high' : 'medium') : 'low';
      out.push({
        subjectType: 'identity',
        subjectId: i.id,
        subject: i.nativeId,
        agentIds: agentsOf(ix, i.id),
        severity,
        message: never
          ? `${nameOf(i)} was never used in the ${Math.floor(idle)} days since it was created.`
          : `${nameOf(i)} has not been used for ${Math.floor(idle)} days (threshold ${threshold}).`,
        evidence: {
          lastUsedAt: last ?? null,
          neverUsed: never,
          idleDays: Math.floor(idle),
          thresholdDays: threshold,
        },
        ...(i.provider === 'aws' && i.kind === 'access-key'
          ? { fix: `aws iam update-access-key --access-key-id ${i.nativeId} --status Inactive` }
          : {}),
      });
    }
    return out;
  },
);
