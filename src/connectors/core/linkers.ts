import type { Config } from '../../config/index.js';
import type { ImportItem, Store } from '../../store/index.js';

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
  const tagKeys = config.links.tagKeys.map((k) => k.toLowerCase());
  const patterns = config.links.patterns.map((p) => ({ re: new RegExp(p.match), agent: p.agent, src: p.match }));
  const mappings = config.links.mappings;
  // Without patterns or mappings only tagged identities can yield a link: let the store filter.
  const everything = patterns.length > 0 || Object.keys(mappings).length > 0;
  for await (const idn of store.iterateIdentities(everything ? {} : { withAttribute: 'tags' })) {
    const ref = { provider: idn.provider, nativeId: idn.nativeId };
    const mapped = mappings[idn.nativeId];
    if (mapped) {
      yield { type: 'link', value: { agent: mapped, identity: ref, source: 'declared', evidence: 'warden.yaml links.mappings', confidence: 1 } };
    }
    const tags = tagsOf(idn.attributes);
    for (const [k, v] of Object.entries(tags)) {
      if (v && tagKeys.includes(k.toLowerCase())) {
        yield { type: 'link', value: { agent: v, identity: ref, source: 'tag', evidence: `tag ${k}=${v}`, confidence: 0.9 } };
      }
    }
    for (const p of patterns) {
      if (p.re.test(idn.nativeId) || (idn.name !== undefined && p.re.test(idn.name))) {
        yield {
          type: 'link',
          value: { agent: p.agent, identity: ref, source: 'naming', evidence: `name matches /${p.src}/`, confidence: 0.6 },
        };
      }
    }
  }
}
