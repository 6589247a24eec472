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
  link: (agentId: string, identityId: string, source: string): string =>
    stableId('lnk', agentId, identityId, source),
  grant: (identityId: string, key: string): string => stableId('grt', identityId, key),
  edge: (kind: string, fromId: string, toId: string, key = ''): string =>
    stableId('edg', kind, fromId, toId, key),
  /**
   * Time first, so a log's events land at the end of the index instead of on random pages: an
   * import of millions of events then dirties few pages per commit.
   */
  event: (provider: string, key: string, time = ''): string =>
    `evt_${time.replace(/[^0-9]/g, '').slice(0, 17)}_${stableId('', provider, key).slice(1)}`,
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
