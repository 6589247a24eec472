import { fingerprintSecret, type Agent, type Identity, type Link } from '../model/index.js';
import type { Leak } from './leak-types.js';

/**
 * What linking needs from the inventory store. `Store` (src/store) satisfies it as is; the scan
 * module only names the methods so it stays independent of the store's floor.
 */
export interface InventoryReader {
  findIdentity(provider: string, nativeId: string): Promise<Identity | undefined>;
  iterateIdentities(): AsyncIterable<Identity>;
  listLinks(filter: { identityId?: string }): Promise<Link[]>;
  listAgents(): Promise<Agent[]>;
}

export interface LinkedIdentity {
  id: string;
  provider: string;
  nativeId: string;
  kind: string;
  name?: string;
  /** How the leak was tied to it. */
  match: 'native-id' | 'fingerprint' | 'hint';
  confidence: number;
  agents: { id: string; name: string; linkSource: string; confidence: number }[];
}

export interface LinkedLeak {
  leak: Leak;
  identity?: LinkedIdentity;
}

/** Providers whose identities may hold another rule provider's secrets. */
const PROVIDER_ALIASES: Record<string, string[]> = {
  'google-ai': ['gcp', 'google-ai'],
  gcp: ['gcp', 'google-workspace'],
  azure: ['azure', 'entra'],
};

interface Hint {
  prefix: string;
  suffix: string;
}

function hintOf(i: Identity): Hint | undefined {
  const h = i.attributes?.hint as { prefix?: unknown; suffix?: unknown } | string | undefined;
  if (!h) return undefined;
  if (typeof h === 'string') return h.length >= 3 ? { prefix: h, suffix: '' } : undefined;
  const prefix = typeof h.prefix === 'string' ? h.prefix : '';
  const suffix = typeof h.suffix === 'string' ? h.suffix : '';
  return prefix.length + suffix.length >= 3 ? { prefix, suffix } : undefined;
}

/**
 * Ties each leak to an inventory identity and the agents linked to it, strongest evidence first:
 * 1. a native id the secret carries or sits next to (AWS key id, GCP client_email / key name,
 *    OAuth client id), 2. the salted fingerprint in `identities.fingerprint`
 *    (`fingerprintSecret(value, salt)`), 3. the partial hint provider APIs return (OpenAI
 *    `redacted_value`, Anthropic `partial_key_hint`, Entra `hint`) in `attributes.hint`
 *    {prefix, suffix}, only when exactly one identity of the provider matches.
 *
 * @example
 * const linked = await linkLeaks(store, result.leaks, await store.fingerprintSalt(config.fingerprintSalt));
 */
export async function linkLeaks(
  store: InventoryReader,
  leaks: readonly Leak[],
  salt: string,
): Promise<LinkedLeak[]> {
  const out: LinkedLeak[] = leaks.map((leak) => ({ leak }));
  const pending: number[] = [];
  for (let i = 0; i < out.length; i++) {
    const leak = out[i]!.leak;
    for (const n of leak.nativeIds) {
      const providers = PROVIDER_ALIASES[n.provider] ?? [n.provider];
      let found: Identity | undefined;
      for (const p of providers) if ((found = await store.findIdentity(p, n.nativeId))) break;
      if (found) {
        out[i]!.identity = describe(found, 'native-id', n.via === 'secret' ? 1 : 0.9);
        break;
      }
    }
    if (!out[i]!.identity) pending.push(i);
  }
  if (pending.length) {
    const byFp = new Map<string, Identity>();
    const hints = new Map<string, { identity: Identity; hint: Hint }[]>();
    for await (const ident of store.iterateIdentities()) {
      if (ident.fingerprint) byFp.set(ident.fingerprint, ident);
      const h = hintOf(ident);
      if (h) {
        const list = hints.get(ident.provider) ?? [];
        list.push({ identity: ident, hint: h });
        hints.set(ident.provider, list);
      }
    }
    for (const i of pending) {
      const leak = out[i]!.leak;
      const fp = fingerprintSecret(leak.secret, salt);
      const byPrint = byFp.get(fp);
      if (byPrint) {
        out[i]!.identity = describe(byPrint, 'fingerprint', 1);
        continue;
      }
      const candidates = (PROVIDER_ALIASES[leak.provider] ?? [leak.provider]).flatMap(
        (p) => hints.get(p) ?? [],
      );
      const matches = candidates.filter(
        (c) =>
          leak.secret.startsWith(c.hint.prefix) &&
          leak.secret.endsWith(c.hint.suffix) &&
          leak.secret.length > c.hint.prefix.length + c.hint.suffix.length,
      );
      if (matches.length === 1) {
        const h = matches[0]!.hint;
        out[i]!.identity = describe(
          matches[0]!.identity,
          'hint',
          Math.min(0.9, 0.4 + 0.05 * (h.prefix.length + h.suffix.length)),
        );
      }
    }
  }
  const linked = out.filter((o) => o.identity);
  if (linked.length) {
    const agents = new Map((await store.listAgents()).map((a) => [a.id, a]));
    for (const o of linked) {
      const links = await store.listLinks({ identityId: o.identity!.id });
      o.identity!.agents = links.map((l) => ({
        id: l.agentId,
        name: agents.get(l.agentId)?.name ?? l.agentId,
        linkSource: l.source,
        confidence: l.confidence,
      }));
    }
  }
  return out;
}

function describe(i: Identity, match: LinkedIdentity['match'], confidence: number): LinkedIdentity {
  return {
    id: i.id,
    provider: i.provider,
    nativeId: i.nativeId,
    kind: i.kind,
    ...(i.name ? { name: i.name } : {}),
    match,
    confidence,
    agents: [],
  };
}
