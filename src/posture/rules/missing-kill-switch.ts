import type { Identity } from '../../model/index.js';
import { fw } from '../frameworks.js';
import { attr, identitiesOf, indexOf, isLive, nameOf } from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/**
 * Providers whose credentials can be revoked through a documented API (so a kill switch can be
 * automated): IAM, GCP IAM, Microsoft Graph, the Kubernetes API, GitHub REST, the OpenAI and
 * Anthropic admin APIs, Slack and Google Workspace admin APIs, Vault.
 */
const AUTOMATABLE = new Set([
  'aws',
  'gcp',
  'azure',
  'kubernetes',
  'github',
  'openai',
  'anthropic',
  'google-workspace',
  'slack',
  'vault',
]);

/** Kinds that no provider API revokes: the secret lives wherever it was copied. */
const MANUAL_KINDS = new Set(['ssh-key', 'database-account', 'password', 'webhook', 'unknown']);

function brokered(i: Identity): boolean {
  return (
    i.provider === 'vault' || i.kind === 'vault-role' || attr(i, 'vault', 'brokered', 'dynamic') === true
  );
}

/** Why an identity cannot be revoked from one place, or undefined if it can. */
function manualReason(i: Identity): string | undefined {
  if (brokered(i)) return undefined;
  if (!AUTOMATABLE.has(i.provider)) return `no automatable revocation for ${i.provider}`;
  if (MANUAL_KINDS.has(i.kind)) return `${i.kind} must be removed by hand`;
  return undefined;
}

/**
 * An agent whose identities cannot all be revoked from one place: some have no automatable
 * revocation, or they span several systems with no vault or broker in front of them.
 */
export const missingKillSwitch = defineRule(
  {
    id: 'missing-kill-switch',
    title: 'No kill switch: identities cannot all be revoked from one place',
    severity: 'high',
    owaspNhi: ['NHI1', 'NHI7'],
    failureMode: 'missing-kill-switch',
    references: [
      'https://genai.owasp.org/resource/owasp-top-10-for-agentic-applications-for-2026/',
      'https://doi.org/10.6028/NIST.AI.100-1',
    ],
    remediation:
      "Put the agent's credentials behind one broker or vault (short-lived leases it can revoke at once), and keep a tested runbook for what must still be revoked by hand.",
    frameworks: fw(['ASI10', 'ASI08'], ['RS.MI-01', 'PR.AA-01'], ['6.2', '6.7'], ['MANAGE 2.4']),
  },
  (input) => {
    const ix = indexOf(input);
    const out: RawFinding[] = [];
    for (const a of input.agents) {
      if (a.status === 'retired') continue;
      const ids = identitiesOf(ix, a.id).filter(isLive);
      if (ids.length === 0) continue;
      const manual = ids.map((i) => ({ i, why: manualReason(i) })).filter((x) => x.why);
      const unbrokered = ids.filter((i) => !brokered(i));
      const systems = [...new Set(unbrokered.map((i) => i.provider))].sort();
      if (manual.length === 0 && systems.length < 2) continue;
      const br = input.blastRadius.get(a.id);
      out.push({
        subjectType: 'agent',
        subjectId: a.id,
        subject: a.name,
        agentIds: [a.id],
        severity: manual.length > 0 && ((br?.write ?? 0) > 0 || (br?.admin ?? 0) > 0) ? 'high' : 'medium',
        message: `Stopping ${a.name} means revoking ${unbrokered.length} credentials in ${systems.length} system${systems.length === 1 ? '' : 's'} (${systems.join(', ')})${manual.length ? `; ${manual.length} by hand` : ''}.`,
        evidence: {
          systems,
          byHand: manual.slice(0, 50).map((x) => ({ identity: nameOf(x.i), reason: x.why })),
          revocationList: unbrokered
            .slice(0, 100)
            .map((i) => ({ provider: i.provider, kind: i.kind, identity: i.nativeId })),
        },
      });
    }
    return out;
  },
);
