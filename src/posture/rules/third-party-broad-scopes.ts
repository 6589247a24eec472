import { fw, OWASP_NHI_URL } from '../frameworks.js';
import { agentsOf, attr, indexOf, isLive, nameOf } from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/**
 * Broad scopes by provider documentation:
 * - Google: full mailbox, Drive, Admin SDK and cloud-platform scopes
 *   (https://developers.google.com/identity/protocols/oauth2/scopes);
 * - Microsoft Graph: tenant-wide `*.All` write permissions and directory/role management
 *   (https://learn.microsoft.com/graph/permissions-reference);
 * - Slack: admin scopes, user-token history and file scopes (https://api.slack.com/scopes);
 * - GitHub: write or admin permissions on all repositories of an organisation.
 */
const BROAD: RegExp[] = [
  /^https:\/\/mail\.google\.com\/?$/,
  /googleapis\.com\/auth\/(drive(\.readonly)?$|gmail\.(modify|compose|send|insert)|admin\.|cloud-platform|calendar$|contacts$|spreadsheets$|documents$)/,
  /\.(ReadWrite|FullControl|Manage)\.All$/i,
  /^(Directory|RoleManagement|Application|AppRoleAssignment|Policy)\.ReadWrite/i,
  /^(Mail\.(Read|ReadWrite|Send)|Files\.Read\.All|Sites\.Read\.All|full_access_as_app|EWS\.AccessAsUser\.All)$/i,
  /^admin(\.|:|$)/i,
  /^(channels|groups|im|mpim):history$/,
  /^(files:write|chat:write:user|users:read\.email)$/,
];

function scopesOf(i: { attributes?: Record<string, unknown> | undefined }): string[] {
  const s = attr(i, 'scopes', 'permissions');
  if (Array.isArray(s)) return s.filter((x): x is string => typeof x === 'string');
  if (typeof s === 'string') return s.split(/[\s,]+/).filter(Boolean);
  if (s && typeof s === 'object') {
    // GitHub installations: {contents: 'write', administration: 'write', ...}
    return Object.entries(s as Record<string, unknown>)
      .filter(([, v]) => v === 'write' || v === 'admin')
      .map(([k, v]) => `${k}:${String(v)}`);
  }
  return [];
}

export function broadScopes(scopes: string[], allRepos: boolean): string[] {
  const out = scopes.filter((s) => BROAD.some((re) => re.test(s)));
  if (allRepos) out.push(...scopes.filter((s) => /:(write|admin)$/.test(s) && !out.includes(s)));
  return out;
}

/** Third-party OAuth grants and app installations holding broad scopes. */
export const thirdPartyBroadScopes = defineRule(
  {
    id: 'third-party-broad-scopes',
    title: 'Third-party grant with broad scopes',
    severity: 'high',
    owaspNhi: ['NHI3', 'NHI5'],
    failureMode: 'third-party',
    references: [OWASP_NHI_URL + 'NHI3_2025-Vulnerable_Third-Party_NHI'],
    remediation:
      'Review the vendor and the consent: revoke the grant or reduce it to the narrowest scopes the integration needs (read-only, selected repositories or sites).',
    frameworks: fw(
      ['ASI04', 'ASI03'],
      ['GV.SC-07', 'PR.AA-05'],
      ['6.1', '6.8'],
      ['GOVERN 6.1', 'MAP 4.1', 'MANAGE 3.1'],
    ),
  },
  (input) => {
    const ix = indexOf(input);
    const out: RawFinding[] = [];
    for (const i of input.identities) {
      if (!isLive(i) || i.thirdParty !== true) continue;
      const scopes = scopesOf(i);
      const allRepos = attr(i, 'repositorySelection', 'repository_selection') === 'all';
      const flagged = ['broadScopes', 'sensitiveScopes'].flatMap((k) => {
        const v = i.attributes?.[k];
        return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
      });
      const broad = [...new Set([...flagged, ...broadScopes(scopes, allRepos)])];
      if (broad.length === 0) continue;
      const users = attr(i, 'users', 'userCount');
      out.push({
        subjectType: 'identity',
        subjectId: i.id,
        subject: i.nativeId,
        agentIds: agentsOf(ix, i.id),
        severity: broad.length >= 3 || allRepos ? 'high' : 'medium',
        message: `Third-party ${nameOf(i)} holds broad scopes: ${broad.slice(0, 6).join(', ')}${broad.length > 6 ? ` (+${broad.length - 6})` : ''}.`,
        evidence: {
          broadScopes: broad,
          scopes: scopes.slice(0, 50),
          repositorySelection: allRepos ? 'all' : null,
          users: users ?? null,
        },
        exposure: { thirdParty: true },
      });
    }
    return out;
  },
);
