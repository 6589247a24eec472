import type { Agent, Edge, Grant, Identity, Link, Owner, Resource } from '../model/index.js';
import type { Store } from '../store/index.js';

/** Everything the graph is built from, as plain records (the store's live records, or test data). */
export interface Snapshot {
  agents: Agent[];
  identities: Identity[];
  owners: Owner[];
  resources: Resource[];
  grants: Grant[];
  edges: Edge[];
  links: Link[];
}

export function emptySnapshot(): Snapshot {
  return { agents: [], identities: [], owners: [], resources: [], grants: [], edges: [], links: [] };
}

/** Reads the store's live records (identities page by page). */
export async function loadSnapshot(store: Store): Promise<Snapshot> {
  const identities: Identity[] = [];
  for await (const i of store.iterateIdentities()) identities.push(i);
  const [agents, owners, resources, grants, edges, links] = await Promise.all([
    store.listAgents(),
    store.listOwners(),
    store.listResources(),
    store.listGrants(),
    store.listEdges(),
    store.listLinks(),
  ]);
  return { agents, identities, owners, resources, grants, edges, links };
}

/** Key of the administrator-equivalent node of an account (AWS account, GCP project, tenant, cluster). */
export function adminKey(provider: string, account: string | undefined): string {
  return `admin:${provider}:${account ?? '*'}`;
}
export function adminNativeId(provider: string, account: string | undefined): string {
  const what =
    provider === 'kubernetes'
      ? 'cluster-admin'
      : provider === 'gcp'
        ? 'project-owner'
        : provider === 'azure'
          ? 'tenant-admin'
          : provider === 'github'
            ? 'org-owner'
            : 'administrator';
  return `${provider}:${account ?? '*'}:${what}`;
}
