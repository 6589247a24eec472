import { stableId } from '../../model/index.js';
import { fw, OWASP_NHI_URL } from '../frameworks.js';
import { agentsOf, indexOf, isLive, nameOf } from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/**
 * Leaked secrets from the scanner. Linked to an inventoried identity, the finding is on that
 * identity (with its agents' blast radius); unlinked, it stays on the file. Values never appear:
 * only the scanner's mask.
 */
export const leakedSecret = defineRule(
  {
    id: 'leaked-secret',
    title: 'Leaked secret',
    severity: 'critical',
    owaspNhi: ['NHI2'],
    failureMode: 'leaked-secret',
    references: [OWASP_NHI_URL + 'NHI2_2025-Secret_Leakage'],
    remediation:
      'Revoke and reissue the credential first (assume it is compromised), then remove it from the code and its history, and move it to a vault.',
    frameworks: fw(
      ['ASI03', 'ASI05'],
      ['PR.DS-01', 'PR.AA-01', 'ID.RA-01'],
      ['5.2', '6.2'],
      ['MEASURE 2.7', 'MANAGE 2.4'],
    ),
  },
  (input) => {
    const ix = indexOf(input);
    const out: RawFinding[] = [];
    const byIdentity = new Map<string, typeof input.leaks>();
    for (const l of input.leaks) {
      if (l.identityId && ix.identity.has(l.identityId)) {
        (byIdentity.get(l.identityId) ?? byIdentity.set(l.identityId, []).get(l.identityId)!).push(l);
        continue;
      }
      out.push({
        subjectType: 'file',
        // The fingerprint is salted, but still kept out of reports: a hash of it names the leak.
        subjectId: stableId('leak', l.file, String(l.line), l.fingerprint),
        subject: `${l.file}:${l.line}`,
        agentIds: [],
        severity: 'high',
        message: `${l.type} secret ${l.masked} in ${l.file}:${l.line}${l.commit ? ` (commit ${l.commit.slice(0, 12)})` : ''}; not matched to an inventoried identity.`,
        evidence: {
          rule: l.rule,
          type: l.type,
          masked: l.masked,
          commit: l.commit ?? null,
          presentAtHead: l.presentAtHead ?? null,
        },
        location: { file: l.file, line: l.line },
        exposure: { leaked: true },
      });
    }
    for (const [identityId, leaks] of byIdentity) {
      const i = ix.identity.get(identityId)!;
      const first = leaks[0]!;
      out.push({
        subjectType: 'identity',
        subjectId: i.id,
        subject: i.nativeId,
        agentIds: agentsOf(ix, i.id),
        severity: isLive(i) ? 'critical' : 'medium',
        message: `The secret of ${nameOf(i)} (${first.masked}) is exposed in ${leaks.length} place${leaks.length === 1 ? '' : 's'}, first ${first.file}:${first.line}${isLive(i) ? ', and the identity is still active' : ''}.`,
        evidence: {
          places: leaks.slice(0, 20).map((l) => ({
            file: l.file,
            line: l.line,
            commit: l.commit ?? null,
            masked: l.masked,
            rule: l.rule,
          })),
        },
        location: { file: first.file, line: first.line },
        exposure: { leaked: true },
      });
    }
    return out;
  },
);
