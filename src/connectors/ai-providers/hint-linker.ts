import type { ImportItem, Store } from '../../store/index.js';

/**
 * Links a provider-side key (from an admin export: OpenAI `redacted_value`, Anthropic
 * `partial_key_hint`, GitHub `token_last_eight`) to the agents whose configs hold that key.
 *
 * Config connectors (MCP, agents' env files) see the value and keep its salted fingerprint plus
 * the same kind of hint (`attributes.hint` = {prefix, suffix}); admin exports never see the value,
 * only the hint. When a config-found identity linked to an agent and a provider identity of the
 * same provider have compatible hints (one suffix ends the other, one prefix starts the other),
 * the provider identity is linked to the same agents with source `inferred`. Four characters of
 * suffix leave a chance of collision, so the confidence is 0.8, shared out when several provider
 * keys match.
 *
 * @example
 * for await (const item of deriveHintLinks(store)) derived.push(item);
 */
export async function* deriveHintLinks(store: Store): AsyncGenerator<ImportItem> {
  interface Hinted {
    id: string;
    provider: string;
    nativeId: string;
    name: string;
    prefix: string;
    suffix: string;
    seenValue: boolean;
  }
  const seen: Hinted[] = [];
  const byProvider = new Map<string, Hinted[]>();
  for await (const idn of store.iterateIdentities({ withAttribute: 'hint' })) {
    const h = idn.attributes?.hint as { prefix?: unknown; suffix?: unknown } | undefined;
    const suffix = typeof h?.suffix === 'string' ? h.suffix : '';
    // Without a suffix of at least four characters a match would be noise.
    if (suffix.length < 4) continue;
    const rec: Hinted = {
      id: idn.id,
      provider: idn.provider,
      nativeId: idn.nativeId,
      name: idn.name ?? idn.nativeId,
      prefix: typeof h?.prefix === 'string' ? h.prefix : '',
      suffix,
      seenValue: idn.fingerprint !== undefined,
    };
    if (rec.seenValue) seen.push(rec);
    else {
      const list = byProvider.get(rec.provider) ?? [];
      list.push(rec);
      byProvider.set(rec.provider, list);
    }
  }
  if (seen.length === 0 || byProvider.size === 0) return;
  const agents = new Map((await store.listAgents()).map((a) => [a.id, a.name]));
  const compatible = (a: string, b: string, end: boolean): boolean =>
    a === '' || b === '' || (end ? a.endsWith(b) || b.endsWith(a) : a.startsWith(b) || b.startsWith(a));
  for (const s of seen) {
    const matches = (byProvider.get(s.provider) ?? []).filter(
      (p) => compatible(p.suffix, s.suffix, true) && compatible(p.prefix, s.prefix, false),
    );
    if (matches.length === 0) continue;
    const links = await store.listLinks({ identityId: s.id });
    for (const l of links) {
      const agent = agents.get(l.agentId);
      if (!agent) continue;
      for (const m of matches) {
        yield {
          type: 'link',
          value: {
            agent,
            identity: { provider: m.provider, nativeId: m.nativeId },
            source: 'inferred',
            evidence: `key hint …${m.suffix.slice(-4)} of ${m.nativeId} matches ${s.name}, found in ${agent}'s config (${l.source})`,
            confidence: Math.round((0.8 / matches.length) * 100) / 100,
          },
        };
      }
    }
  }
}
