import { fw, OWASP_NHI_URL } from '../frameworks.js';
import { identitiesOf, indexOf, isLive } from '../posture-index.js';
import { defineRule } from './define-rule.js';
import type { RawFinding } from '../posture-types.js';

/**
 * An agent that is retired (or past its declared expected end) still holds live identities: the
 * classic zombie. Use after retirement is called out as evidence.
 */
export const agentRetiredActive = defineRule(
  {
    id: 'agent-retired-identities-active',
    title: 'Agent retired but its identities are active',
    severity: 'high',
    owaspNhi: ['NHI1'],
    failureMode: 'zombie',
    references: [OWASP_NHI_URL + 'NHI1_2025-Improper_Offboarding'],
    remediation:
      'Decommission the agent: revoke or disable every identity it held (the kill switch list in this report), then archive its record.',
    frameworks: fw(['ASI10'], ['ID.AM-08', 'PR.AA-01'], ['5.3', '6.2'], ['MANAGE 2.4']),
  },
  (input) => {
    const ix = indexOf(input);
    const out: RawFinding[] = [];
    for (const a of input.agents) {
      const ended = a.expectedEnd !== undefined && Date.parse(a.expectedEnd) < ix.nowMs;
      if (a.status !== 'retired' && !ended) continue;
      const live = identitiesOf(ix, a.id).filter((i) => isLive(i) && i.status !== 'declared');
      if (live.length === 0) continue;
      const since = a.status === 'retired' ? (a.expectedEnd ?? null) : a.expectedEnd!;
      const usedAfter = since
        ? live.filter((i) => i.lastUsedAt && i.lastUsedAt > since).map((i) => i.nativeId)
        : [];
      out.push({
        subjectType: 'agent',
        subjectId: a.id,
        subject: a.name,
        agentIds: [a.id],
        severity: usedAfter.length > 0 ? 'critical' : 'high',
        message: `Agent ${a.name} is ${a.status === 'retired' ? 'retired' : `past its expected end (${a.expectedEnd!.slice(0, 10)})`} but ${live.length} of its identities are still active${usedAfter.length ? `; ${usedAfter.length} were used after it ended` : ''}.`,
        evidence: {
          status: a.status,
          expectedEnd: a.expectedEnd ?? null,
          activeIdentities: live.map((i) => i.nativeId),
          usedAfterEnd: usedAfter,
        },
      });
    }
    return out;
  },
);
