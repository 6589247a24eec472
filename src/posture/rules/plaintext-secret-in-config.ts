import { fw, OWASP_NHI_URL } from '../frameworks.js';
import { agentsOf, attr, indexOf, isLive, nameOf } from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/**
 * A secret handed to a production agent in clear through an environment variable, a header or an
 * argument of its configuration (MCP client configs, `.env` files). Connectors only fingerprint
 * such values; a fingerprint plus a config link means the value was there in clear, whereas a
 * `${VAR}` or `${input:id}` reference carries no fingerprint.
 */
export const plaintextSecretInConfig = defineRule(
  {
    id: 'plaintext-secret-in-config',
    title: 'Secret in plain config or environment in production',
    severity: 'high',
    owaspNhi: ['NHI2', 'NHI7'],
    failureMode: 'leaked-secret',
    references: [
      OWASP_NHI_URL + 'NHI2_2025-Secret_Leakage',
      'https://modelcontextprotocol.io/specification/draft/basic/security_best_practices',
    ],
    remediation:
      "Load the secret at run time from a vault or the platform's secret store (or an `${input:...}` prompt), remove it from the file, and rotate it.",
    frameworks: fw(['ASI03', 'ASI04'], ['PR.DS-01', 'PR.AA-01'], ['5.2'], ['MANAGE 2.4']),
  },
  (input) => {
    const ix = indexOf(input);
    const out: RawFinding[] = [];
    for (const i of input.identities) {
      if (!isLive(i)) continue;
      const agents = agentsOf(ix, i.id);
      // A credential-looking CI variable is stored and shown in clear to everyone with read access.
      const ciPlain = attr(i, 'variable') === true && attr(i, 'plaintext') === true;
      const links = (ix.linksOfIdentity.get(i.id) ?? []).filter((l) => l.source === 'config');
      if (!ciPlain) {
        if (!i.fingerprint && attr(i, 'storedIn') !== 'plain-config') continue;
        if (links.length === 0) continue;
        const prod =
          i.environment === 'production' ||
          links.some((l) => ix.agent.get(l.agentId)?.environment === 'production');
        if (!prod) continue;
      }
      const file = attr(i, 'config', 'file', 'configFile', 'path');
      const line = attr(i, 'line');
      const where = attr(i, 'location', 'variable', 'env');
      out.push({
        subjectType: 'identity',
        subjectId: i.id,
        subject: i.nativeId,
        agentIds: agents,
        message: ciPlain
          ? `${nameOf(i)} is a credential kept as a plain CI variable, readable by anyone who can read the repository settings.`
          : `${nameOf(i)} is given in clear${typeof where === 'string' ? ` (${where})` : ''} in ${typeof file === 'string' ? file : (links[0]?.evidence ?? 'a config')} to a production agent.`,
        evidence: { evidence: links.map((l) => l.evidence), variable: attr(i, 'variable', 'envVar') ?? null },
        ...(typeof file === 'string'
          ? { location: { file, ...(typeof line === 'number' && line > 0 ? { line } : {}) } }
          : {}),
      });
    }
    return out;
  },
);
