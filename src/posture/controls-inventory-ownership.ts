/** Controls on what exists and who answers for it: inventory, ownership, zombies, sharing. */
import { pct, subjects, type ControlDef } from './control-measure.js';
import { fw } from './frameworks.js';
import { hasAgents, indexOf, isLive, ownerOf } from './posture-index.js';

/** C01: every live identity mapped to an agent or an owner; no shadow identities. */
export const inventoryControl: ControlDef = {
  id: 'C01-inventory',
  title: 'Inventory and agent mapping',
  owaspNhi: ['NHI1'],
  frameworks: fw(['ASI10'], ['ID.AM-02', 'PR.AA-01'], ['5.1', '5.5', '6.6'], ['GOVERN 1.6', 'MAP 4.1']),
  next: [
    'Import the exports of every system agents use',
    'Link every identity to its agent (declare in agents.yaml, tags, mappings)',
    'Keep shadow identities at zero on every audit',
  ],
  measure(input, f) {
    const ix = indexOf(input);
    const live = input.identities.filter((i) => isLive(i) && !i.thirdParty);
    const mapped = live.filter((i) => ix.linksOfIdentity.has(i.id) || i.ownerRef).length;
    return {
      total: live.length,
      ok: mapped,
      // Warden just built an inventory of declared agents: that is level 1 however much is unmapped.
      floor: input.agents.some((a) => a.declared) ? 1 : 0,
      evidence: [
        `${input.agents.length} agents, ${live.length} live identities`,
        `${pct(mapped, live.length)} mapped to an agent or owner`,
        `${subjects(f, 'shadow-identity').size} shadow identities`,
      ],
    };
  },
};

/** C02: every active agent has an owner who has not left. */
export const ownerControl: ControlDef = {
  id: 'C02-owner',
  title: 'Named, current owner',
  owaspNhi: ['NHI1'],
  frameworks: fw(['ASI03'], ['GV.RR-02'], ['5.1', '5.5'], ['GOVERN 2.1']),
  next: [
    'Name an owner for each agent',
    'Reassign what departed people owned',
    'Reassign ownership automatically on departure (IdP feed)',
  ],
  measure(input) {
    const ix = indexOf(input);
    const agents = input.agents.filter((a) => a.status !== 'retired');
    const ok = agents.filter((a) => a.ownerRef && ownerOf(ix, a.ownerRef)?.status !== 'departed').length;
    const departed = agents.filter((a) => ownerOf(ix, a.ownerRef)?.status === 'departed').length;
    return {
      total: agents.length,
      ok,
      evidence: [
        `${ok}/${agents.length} active agents have a current owner`,
        `${departed} owned by someone who left`,
      ],
    };
  },
};

/** C08: no unused identities, none owned by people who left, none held by retired agents. */
export const noZombiesControl: ControlDef = {
  id: 'C08-no-zombies',
  title: 'No zombie identities',
  owaspNhi: ['NHI1'],
  frameworks: fw(['ASI10'], ['ID.AM-08'], ['5.3', '6.2'], ['MANAGE 2.4']),
  next: [
    'Disable unused and orphaned identities',
    'Offboard agents and their identities together',
    'Expire identities automatically at decommission',
  ],
  measure(input, f) {
    const live = input.identities.filter(isLive);
    const retired = new Set(
      (f.get('agent-retired-identities-active') ?? []).flatMap(
        (x) => (x.evidence.activeIdentities as string[] | undefined) ?? [],
      ),
    );
    const bad = subjects(f, 'identity-unused', 'owner-departed');
    const n = live.filter((i) => bad.has(i.id) || retired.has(i.nativeId)).length;
    return {
      total: live.length,
      ok: live.length - n,
      evidence: [
        `${subjects(f, 'identity-unused').size} unused`,
        `${subjects(f, 'owner-departed').size} owned by someone who left`,
        `${retired.size} held by retired agents`,
      ],
    };
  },
};

/** C09: no identity shared by agents or used across environments. */
export const oneIdentityPerAgentControl: ControlDef = {
  id: 'C09-one-identity-per-agent',
  title: 'One identity per agent and environment',
  owaspNhi: ['NHI9', 'NHI8'],
  frameworks: fw(['ASI03', 'ASI08'], ['PR.AA-01', 'PR.AA-05'], ['5.5'], ['GOVERN 1.6']),
  next: [
    'Split identities shared by several agents',
    'Separate identities per environment',
    'Provision a dedicated identity for every new agent',
  ],
  measure(input, f) {
    const ix = indexOf(input);
    const linked = input.identities.filter((i) => isLive(i) && hasAgents(ix, i.id));
    const bad = subjects(f, 'identity-shared', 'identity-cross-environment');
    return {
      total: linked.length,
      ok: linked.filter((i) => !bad.has(i.id)).length,
      evidence: [
        `${subjects(f, 'identity-shared').size} shared identities`,
        `${subjects(f, 'identity-cross-environment').size} used across environments`,
      ],
    };
  },
};
