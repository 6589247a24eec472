import type { Config } from '../../config/index.js';
import { recordId } from '../../model/index.js';
import type { ImportItem, LinkInput, Store } from '../../store/index.js';

/** The source under which derived links are kept; recomputed after every import. */
export const DERIVED_SOURCE = 'warden:derived-links';

/** Tags as connectors store them: `attributes.tags`, a flat map of key to value. */
export function tagsOf(attributes: Record<string, unknown> | undefined): Record<string, string> {
  const t = attributes?.tags;
  if (!t || typeof t !== 'object') return {};
  if (Array.isArray(t)) {
    const out: Record<string, string> = {};
    for (const kv of t as { Key?: unknown; Value?: unknown; key?: unknown; value?: unknown }[]) {
      const k = kv.Key ?? kv.key;
      const v = kv.Value ?? kv.value;
      if (typeof k === 'string' && typeof v === 'string') out[k] = v;
    }
    return out;
  }
  return Object.fromEntries(Object.entries(t).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * Links that follow from the whole inventory rather than one file: a tag or label naming the agent,
 * an explicit mapping in warden.yaml, or a naming pattern. Each carries its evidence and confidence.
 */
export async function* deriveLinks(store: Store, config: Readonly<Config>): AsyncGenerator<ImportItem> {
  const fresh: LinkInput[] = [];
  for await (const item of directLinks(store, config)) {
    fresh.push(item.value as LinkInput);
    yield item;
  }
  yield* credentialLinks(store, fresh);
}

/**
 * A credential (an access key, a client secret, a service-account key) is used by whoever uses its
 * parent identity: link it to the parent's agents, with a little less confidence than the parent.
 */
async function* credentialLinks(store: Store, fresh: readonly LinkInput[]): AsyncGenerator<ImportItem> {
  const names = new Map((await store.listAgents()).map((a) => [a.id, a.name]));
  const byIdentity = new Map<string, { agent: string; confidence: number }[]>();
  const note = (identityId: string, agent: string, confidence: number) => {
    const list = byIdentity.get(identityId) ?? [];
    if (!list.some((l) => l.agent.toLowerCase() === agent.toLowerCase())) list.push({ agent, confidence });
    byIdentity.set(identityId, list);
  };
  for (const l of await store.listLinks()) {
    const name = names.get(l.agentId);
    if (name && l.source !== 'inferred') note(l.identityId, name, l.confidence);
  }
  for (const l of fresh)
    note(recordId.identity(l.identity.provider, l.identity.nativeId), l.agent, l.confidence);
  if (byIdentity.size === 0) return;
  for await (const idn of store.iterateIdentities({ withAttribute: 'parent' })) {
    const parent = idn.attributes?.parent;
    if (typeof parent !== 'string' || !parent) continue;
    for (const l of byIdentity.get(recordId.identity(idn.provider, parent)) ?? []) {
      yield {
        type: 'link',
        value: {
          agent: l.agent,
          identity: { provider: idn.provider, nativeId: idn.nativeId },
          source: 'inferred',
          evidence: `credential of ${parent}`,
          confidence: Math.round(Math.min(0.9, l.confidence * 0.9) * 100) / 100,
        },
      };
    }
  }
}

async function* directLinks(store: Store, config: Readonly<Config>): AsyncGenerator<ImportItem> {
  const tagKeys = config.links.tagKeys.map((k) => k.toLowerCase());
  const patterns = config.links.patterns.map((p) => ({
    re: new RegExp(p.match),
    agent: p.agent,
    src: p.match,
  }));
  const mappings = config.links.mappings;
  // Without patterns or mappings only tagged identities can yield a link: let the store filter.
  const everything = patterns.length > 0 || Object.keys(mappings).length > 0;
  for await (const idn of store.iterateIdentities(
    everything ? {} : { withAttribute: config.links.tagKeys },
  )) {
    const ref = { provider: idn.provider, nativeId: idn.nativeId };
    const mapped = mappings[idn.nativeId];
    if (mapped) {
      yield {
        type: 'link',
        value: {
          agent: mapped,
          identity: ref,
          source: 'declared',
          evidence: 'warden.yaml links.mappings',
          confidence: 1,
        },
      };
    }
    const tags = tagsOf(idn.attributes);
    for (const [k, v] of Object.entries(tags)) {
      if (v && tagKeys.includes(k.toLowerCase())) {
        yield {
          type: 'link',
          value: { agent: v, identity: ref, source: 'tag', evidence: `tag ${k}=${v}`, confidence: 0.9 },
        };
      }
    }
    for (const p of patterns) {
      if (p.re.test(idn.nativeId) || (idn.name !== undefined && p.re.test(idn.name))) {
        yield {
          type: 'link',
          value: {
            agent: p.agent,
            identity: ref,
            source: 'naming',
            evidence: `name matches /${p.src}/`,
            confidence: 0.6,
          },
        };
      }
    }
  }
}
