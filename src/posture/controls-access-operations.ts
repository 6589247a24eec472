/** Controls on what agents can do and how they are run: least privilege, kill switch, monitoring, approval. */
import { subjects, type ControlDef, type Measure } from './control-measure.js';
import { fw } from './frameworks.js';
import { hasAgents, identitiesOf, indexOf, isLive } from './posture-index.js';

/** C05: no administrator, wildcard, unused or escalating grants; capped without usage data. */
export const leastPrivilegeControl: ControlDef = {
  id: 'C05-least-privilege',
  title: 'Least privilege from usage',
  owaspNhi: ['NHI5'],
  frameworks: fw(['ASI02', 'ASI03'], ['PR.AA-05'], ['5.4', '6.8'], ['MEASURE 2.7']),
  next: [
    'Remove administrator and wildcard grants',
    'Cut unused permissions with the generated policies',
    'Re-derive policies from usage continuously',
  ],
  measure(input, f) {
    const ix = indexOf(input);
    const withGrants = [...ix.grantsOf.keys()].filter((id) => ix.identity.has(id));
    const bad = subjects(f, 'admin-wildcard-grant', 'unused-permissions', 'privilege-escalation');
    const m: Measure = {
      total: withGrants.length,
      ok: withGrants.filter((id) => !bad.has(id)).length,
      evidence: [
        `${bad.size} of ${withGrants.length} identities with grants are over-permissioned or can escalate`,
        `${subjects(f, 'privilege-escalation').size} can escalate to administrator`,
      ],
    };
    if (!input.usageObserved)
      m.cap = { level: 1, why: 'no usage events imported: import CloudTrail to compare granted with used' };
    return m;
  },
};

/** C10: every agent can be stopped from one place; capped until every kill switch is tested. */
export const killSwitchControl: ControlDef = {
  id: 'C10-kill-switch',
  title: 'A tested kill switch',
  owaspNhi: ['NHI1', 'NHI7'],
  frameworks: fw(['ASI10', 'ASI08'], ['RS.MI-01'], ['6.2', '6.7'], ['MANAGE 2.4']),
  next: [
    'List what must be revoked for each agent',
    "Put each agent's credentials behind one revocation point",
    'Test the kill switch regularly (record killSwitchTestedAt)',
  ],
  measure(input, f) {
    const ix = indexOf(input);
    const agents = input.agents.filter((a) => a.status !== 'retired' && identitiesOf(ix, a.id).length > 0);
    const bad = subjects(f, 'missing-kill-switch');
    const tested = agents.filter((a) => typeof a.attributes?.killSwitchTestedAt === 'string').length;
    const m: Measure = {
      total: agents.length,
      ok: agents.filter((a) => !bad.has(a.id)).length,
      evidence: [
        `${bad.size} of ${agents.length} agents cannot be stopped from one place`,
        `${tested} with a recorded kill-switch test`,
      ],
    };
    if (tested < agents.length) m.cap = { level: 2, why: 'kill switch not tested for every agent' };
    return m;
  },
};

/** C11: usage logs cover the agent identities; baselines are beyond an offline audit. */
export const monitoringControl: ControlDef = {
  id: 'C11-monitoring',
  title: 'Monitoring with baselines',
  owaspNhi: ['NHI10', 'NHI1'],
  frameworks: fw(['ASI10'], ['DE.CM-03', 'DE.CM-09'], ['6.2'], ['MANAGE 4.1', 'MEASURE 2.7']),
  next: [
    "Import audit logs (CloudTrail) for the agents' identities",
    'Cover every agent identity with usage logs',
    'Alert on deviations from per-identity baselines',
  ],
  measure(input, f) {
    const ix = indexOf(input);
    const linked = input.identities.filter(
      (i) => isLive(i) && hasAgents(ix, i.id) && (i.provider === 'aws' || input.usage.has(i.id)),
    );
    const observed = linked.filter((i) => input.usage.has(i.id)).length;
    return {
      total: input.usageObserved ? linked.length : 0,
      ok: observed,
      evidence: [
        input.usageObserved
          ? `${observed} of ${linked.length} agent identities have usage logs in the window`
          : 'no usage logs imported',
        `${subjects(f, 'human-use').size} identities show human use`,
      ],
      cap: { level: 2, why: 'behavioural baselines are not measured by an offline audit' },
    };
  },
};

/** C12: agents that write or administer wait for human approval and lend no access. */
export const humanApprovalControl: ControlDef = {
  id: 'C12-human-approval',
  title: 'Human approval for sensitive writes',
  owaspNhi: ['NHI5'],
  frameworks: fw(['ASI02', 'ASI09'], ['PR.AA-05'], ['6.1'], ['MAP 3.5']),
  next: [
    'Declare which agents can write',
    'Require approval for every agent that writes or administers',
    'Hold sensitive writes at run time through policy',
  ],
  measure(input, f) {
    const risky = input.agents.filter(
      (a) =>
        a.status !== 'retired' &&
        ((input.blastRadius.get(a.id)?.write ?? 0) > 0 ||
          (input.blastRadius.get(a.id)?.admin ?? 0) > 0 ||
          a.approvalRequired),
    );
    const bad = subjects(f, 'agent-no-approval', 'confused-deputy');
    const all = new Set([...risky.map((a) => a.id), ...bad]);
    return {
      total: all.size,
      ok: [...all].filter((id) => !bad.has(id)).length,
      evidence: [
        `${subjects(f, 'agent-no-approval').size} high-risk agents act without approval`,
        `${subjects(f, 'confused-deputy').size} agents lend their access to invokers`,
      ],
    };
  },
};
