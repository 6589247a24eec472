import { WardenError } from '../errors/index.js';
import { isOwnerAlias, type Agent, type Identity, type Link, type Owner } from '../model/index.js';
import type { Store, Stored } from '../store/index.js';

export interface OwnerView {
  ref: string;
  name?: string;
  status: Owner['status'];
  departedAt?: string;
}

export interface IdentityView {
  id: string;
  provider: string;
  kind: Identity['kind'];
  nativeId: string;
  name?: string;
  account?: string;
  owner: OwnerView | null;
  status: Identity['status'];
  createdAt?: string;
  lastRotatedAt?: string;
  expiresAt?: string;
  lastUsedAt?: string;
  thirdParty: boolean;
  links: { source: Link['source']; evidence: string; confidence: number }[];
  /** Other agents that use the same identity (NHI reuse). */
  sharedWith: string[];
}

export interface AgentView {
  name: string;
  kind: Agent['kind'] | null;
  owner: OwnerView | null;
  status: Agent['status'];
  environment: Agent['environment'];
  purpose?: string;
  expectedEnd?: string;
  declared: boolean;
  invokers: Agent['invokers'];
  identities: IdentityView[];
}

export interface Inventory {
  generatedAt: string;
  totals: {
    agents: number;
    identities: number;
    linkedIdentities: number;
    unlinkedIdentities: number;
    owners: number;
    departedOwners: number;
  };
  agents: AgentView[];
  /** Identities no agent is known to use ("no agent known"); the first `unlinkedLimit`. */
  unlinked: IdentityView[];
}

export interface InventoryOptions {
  agent?: string;
  unlinkedLimit?: number;
  now?: string;
}

/** The inventory read model: agents with every identity each holds, owners resolved. */
export async function buildInventory(store: Store, options: InventoryOptions = {}): Promise<Inventory> {
  const owners = new Map<string, Stored<Owner>>();
  for (const o of await store.listOwners()) {
    owners.set(o.ref.toLowerCase(), o);
    if (o.email) owners.set(o.email.toLowerCase(), o);
  }
  const ownerView = (ref: string | undefined): OwnerView | null => {
    if (!ref) return null;
    const o = owners.get(ref.toLowerCase());
    const v: OwnerView = { ref, status: o?.status ?? 'unknown' };
    if (o?.name) v.name = o.name;
    if (o?.departedAt) v.departedAt = o.departedAt;
    return v;
  };

  let agents = await store.listAgents();
  if (options.agent !== undefined) {
    const a = await store.findAgent(options.agent);
    if (!a || a.goneAt) {
      throw new WardenError(
        'WARDEN_NOT_FOUND',
        `no agent named '${options.agent}' (known: ${
          agents
            .map((x) => x.name)
            .slice(0, 20)
            .join(', ') || 'none'
        })`,
      );
    }
    agents = [a];
  }
  const links = await store.listLinks();
  const byAgent = new Map<string, Stored<Link>[]>();
  const agentsOfIdentity = new Map<string, Set<string>>();
  const agentName = new Map((await store.listAgents()).map((a) => [a.id, a.name]));
  for (const l of links) {
    (byAgent.get(l.agentId) ?? byAgent.set(l.agentId, []).get(l.agentId)!).push(l);
    (
      agentsOfIdentity.get(l.identityId) ?? agentsOfIdentity.set(l.identityId, new Set()).get(l.identityId)!
    ).add(l.agentId);
  }
  const wanted = new Set<string>();
  for (const a of agents) for (const l of byAgent.get(a.id) ?? []) wanted.add(l.identityId);
  const identities = new Map((await store.identitiesByIds([...wanted])).map((i) => [i.id, i]));

  const view = (i: Stored<Identity>, agentId?: string): IdentityView => {
    const v: IdentityView = {
      id: i.id,
      provider: i.provider,
      kind: i.kind,
      nativeId: i.nativeId,
      owner: ownerView(i.ownerRef),
      status: i.goneAt ? 'revoked' : i.status,
      thirdParty: i.thirdParty ?? false,
      links: agentId
        ? (byAgent.get(agentId) ?? [])
            .filter((l) => l.identityId === i.id)
            .map((l) => ({ source: l.source, evidence: l.evidence, confidence: l.confidence }))
        : [],
      sharedWith: [...(agentsOfIdentity.get(i.id) ?? [])]
        .filter((a) => a !== agentId)
        .map((a) => agentName.get(a) ?? a)
        .sort(),
    };
    for (const k of ['name', 'account', 'createdAt', 'lastRotatedAt', 'expiresAt', 'lastUsedAt'] as const) {
      const val = i[k];
      if (val !== undefined) v[k] = val;
    }
    return v;
  };

  const agentViews: AgentView[] = agents.map((a) => {
    const ids = [...new Set((byAgent.get(a.id) ?? []).map((l) => l.identityId))]
      .map((id) => identities.get(id))
      .filter((i): i is Stored<Identity> => i !== undefined && !i.goneAt)
      .sort((x, y) => x.provider.localeCompare(y.provider) || x.nativeId.localeCompare(y.nativeId))
      .map((i) => view(i, a.id));
    const v: AgentView = {
      name: a.name,
      kind: a.kind ?? null,
      owner: ownerView(a.ownerRef),
      status: a.status,
      environment: a.environment,
      declared: a.declared,
      invokers: a.invokers,
      identities: ids,
    };
    if (a.purpose) v.purpose = a.purpose;
    if (a.expectedEnd) v.expectedEnd = a.expectedEnd;
    return v;
  });

  const limit = options.unlinkedLimit ?? 1000;
  const unlinked: IdentityView[] = [];
  let total = 0;
  let unlinkedCount = 0;
  for await (const i of store.iterateIdentities()) {
    total++;
    if (agentsOfIdentity.has(i.id)) continue;
    unlinkedCount++;
    if (options.agent === undefined && unlinked.length < limit) unlinked.push(view(i));
  }
  // Aliases (a GitHub login recorded beside the person's email) are the same person, counted once.
  const ownerList = (await store.listOwners()).filter((o) => !isOwnerAlias(o));
  return {
    generatedAt: options.now ?? new Date().toISOString(),
    totals: {
      agents: (await store.listAgents()).length,
      identities: total,
      linkedIdentities: total - unlinkedCount,
      unlinkedIdentities: unlinkedCount,
      owners: ownerList.length,
      departedOwners: ownerList.filter((o) => o.status === 'departed').length,
    },
    agents: agentViews,
    unlinked,
  };
}
