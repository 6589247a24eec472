import { nodeId, recordId, type NodeRef } from '../model/index.js';
import { own } from './own-string.js';

/**
 * Recent native id -> record id results. A principal's grants and edges repeat its id, and many
 * edges share an end (a policy, a group): hashing each once saves a good share of an import's CPU.
 * Keyed by the native id string itself, whose hash V8 keeps, so a hit costs no new string.
 */
const recentIds = {
  identity: new Map<string, { provider: string; id: string }>(),
  resource: new Map<string, { provider: string; id: string }>(),
};
export function cachedId(type: 'identity' | 'resource', provider: string, nativeId: string): string {
  const m = recentIds[type];
  const hit = m.get(nativeId);
  if (hit !== undefined && hit.provider === provider) return hit.id;
  if (m.size >= 20_000) m.clear();
  const id =
    type === 'identity' ? recordId.identity(provider, nativeId) : recordId.resource(provider, nativeId);
  m.set(own(nativeId), { provider, id });
  return id;
}

export function identityIdOf(provider: string, nativeId: string): string {
  return cachedId('identity', provider, nativeId);
}

export function nodeIdOf(ref: NodeRef): string {
  if (ref.type === 'identity' || ref.type === 'resource')
    return cachedId(ref.type, ref.provider, ref.nativeId);
  return nodeId(ref);
}
