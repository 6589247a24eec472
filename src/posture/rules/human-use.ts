import { fw, OWASP_NHI_URL } from '../frameworks.js';
import { agentsOf, attr, indexOf, isLive, nameOf } from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/** Names that say "this account is a machine". */
const SERVICE_NAME =
  /(svc|service|bot|agent|automation|ci|deploy|pipeline|robot|integration|sa)([-_.]|$)|^(svc|sa|ci|bot)[-_.]/i;

/** IAM Identity Center permission-set roles, and user names shaped like a person's. */
const HUMAN_ROLE = /:role\/(?:.*\/)?AWSReservedSSO_/;
const PERSON_NAME = /^[a-z]+[._][a-z]+$|@/i;

function looksHuman(i: {
  nativeId: string;
  name?: string | undefined;
  ownerRef?: string | undefined;
}): boolean {
  if (HUMAN_ROLE.test(i.nativeId)) return true;
  const name = (i.name ?? i.nativeId.split('/').pop() ?? '').toLowerCase();
  if (PERSON_NAME.test(name)) return true;
  const owner = i.ownerRef?.toLowerCase().split('@')[0];
  return !!owner && (owner === name || owner.replace(/[._-]/g, '') === name.replace(/[._-]/g, ''));
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true' || v === 'TRUE';
}

/**
 * A person using a non-human identity: console sign-ins or browser user agents in its usage, or a
 * console password on a service user (AWS credential report `password_enabled`).
 */
export const humanUse = defineRule(
  {
    id: 'human-use',
    title: 'Human use of a non-human identity',
    severity: 'high',
    owaspNhi: ['NHI10'],
    failureMode: 'human-use',
    references: [
      OWASP_NHI_URL + 'NHI10_2025-Human_Use_of_NHI',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html',
    ],
    remediation:
      'Give the person their own identity with MFA; remove the console password from the service user and rotate its keys, since a person has handled them.',
    fix: 'aws iam delete-login-profile --user-name {name}',
    frameworks: fw(['ASI03'], ['PR.AA-01', 'PR.AA-03', 'DE.CM-03'], ['5.4', '6.5'], ['GOVERN 2.1']),
  },
  (input) => {
    const ix = indexOf(input);
    const out: RawFinding[] = [];
    for (const i of input.identities) {
      if (!isLive(i) || i.kind === 'password') continue;
      const signals: string[] = [];
      const u = input.usage.get(i.id);
      if (u?.interactive?.consoleLogins) signals.push(`${u.interactive.consoleLogins} console sign-ins`);
      if (u?.interactive?.browserAgents)
        signals.push(
          `${u.interactive.browserAgents} calls from a browser${u.interactive.sample ? ` (${u.interactive.sample.slice(0, 60)})` : ''}`,
        );
      const agents = agentsOf(ix, i.id);
      const machine =
        agents.length > 0 ||
        SERVICE_NAME.test(i.name ?? i.nativeId.split('/').pop() ?? '') ||
        i.kind === 'service-account';
      const hu = i.attributes?.humanUse as { password?: unknown } | undefined;
      if (machine && (truthy(attr(i, 'passwordEnabled', 'password_enabled')) || truthy(hu?.password))) {
        const used = attr(i, 'passwordLastUsed', 'password_last_used');
        signals.push(
          `a console password${typeof used === 'string' && /^\d{4}-/.test(used) ? ` last used ${used.slice(0, 10)}` : ''}`,
        );
      }
      if (signals.length === 0 || (!machine && !u?.interactive)) continue;
      // Console sign-ins on what is probably a person's own identity (an SSO permission-set role, a
      // user named like a person) are people using their own access, not human use of an NHI.
      if (!machine && looksHuman(i)) continue;
      const user = /:user\/(?:.*\/)?([^/]+)$/.exec(i.nativeId)?.[1];
      out.push({
        subjectType: 'identity',
        subjectId: i.id,
        subject: i.nativeId,
        agentIds: agents,
        // Interactive use of an identity not known to be a machine: reported, but said to be unsure.
        ...(machine ? {} : { severity: 'medium' as const }),
        message: `${nameOf(i)} shows a person at the keyboard: ${signals.join('; ')}${machine ? '' : ' (not known to be a machine identity: confirm whether it is one)'}.`,
        evidence: machine ? { signals } : { signals, machineIdentity: 'unknown' },
        ...(user && truthy(attr(i, 'passwordEnabled', 'password_enabled'))
          ? { fix: `aws iam delete-login-profile --user-name ${user}` }
          : {}),
      });
    }
    return out;
  },
);
