import { fw, OWASP_NHI_URL } from '../frameworks.js';
import { agentsOf, indexOf, isLive, nameOf } from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/** One identity used across environments (production and development, say), or tagged for one and used in another. */
export const identityCrossEnvironment = defineRule(
  {
    id: 'identity-cross-environment',
    title: 'Identity used across environments',
    severity: 'high',
    owaspNhi: ['NHI8'],
    failureMode: 'reuse',
    references: [OWASP_NHI_URL + 'NHI8_2025-Environment_Isolation'],
    remediation:
      'Issue a separate identity per environment, so a development compromise cannot reach production.',
    frameworks: fw(['ASI03', 'ASI08'], ['PR.AA-05', 'PR.PS-01'], ['6.8'], ['MANAGE 2.4']),
  },
  (input) => {
    const ix = indexOf(input);
    const out: RawFinding[] = [];
    for (const i of input.identities) {
      if (!isLive(i)) continue;
      const agents = agentsOf(ix, i.id);
      if (agents.length === 0) continue;
      const envs = new Set<string>();
      for (const id of agents) {
        const e = ix.agent.get(id)?.environment;
        if (e && e !== 'unknown') envs.add(e);
      }
      if (i.environment && i.environment !== 'unknown') envs.add(i.environment);
      if (envs.size < 2) continue;
      const list = [...envs].sort();
      out.push({
        subjectType: 'identity',
        subjectId: i.id,
        subject: i.nativeId,
        agentIds: agents,
        severity: envs.has('production') ? 'high' : 'medium',
        message: `${nameOf(i)} is used in ${list.join(' and ')}.`,
        evidence: { environments: list, identityEnvironment: i.environment ?? null },
      });
    }
    return out;
  },
);
