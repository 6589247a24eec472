import { stableId } from './ids.js';

/**
 * Natural keys -> record ids. Every source that names the same thing (an agent by name, an identity
 * by provider and native id) lands on the same id, so links can be made before the target is seen.
 */
export const recordId = {
  agent: (name: string): string => stableId('agt', name.trim().toLowerCase()),
  identity: (provider: string, nativeId: string): string => stableId('idn', provider.toLowerCase(), nativeId),
  owner: (ref: string): string => stableId('own', ref.trim().toLowerCase()),
  resource: (provider: string, nativeId: string): string => stableId('res', provider.toLowerCase(), nativeId),
  link: (agentId: string, identityId: string, source: string): string => stableId('lnk', agentId, identityId, source),
  grant: (identityId: string, key: string): string => stableId('grt', identityId, key),
  edge: (kind: string, fromId: string, toId: string, key = ''): string => stableId('edg', kind, fromId, toId, key),
  event: (provider: string, key: string): string => stableId('evt', provider, key),
} as const;

/** A node of the access graph named by its natural key. */
export type NodeRef =
  | { type: 'agent'; name: string }
  | { type: 'identity'; provider: string; nativeId: string }
  | { type: 'owner'; ref: string }
  | { type: 'resource'; provider: string; nativeId: string };

export function nodeId(ref: NodeRef): string {
  switch (ref.type) {
    case 'agent':
      return recordId.agent(ref.name);
    case 'identity':
      return recordId.identity(ref.provider, ref.nativeId);
    case 'owner':
      return recordId.owner(ref.ref);
    case 'resource':
      return recordId.resource(ref.provider, ref.nativeId);
  }
}
