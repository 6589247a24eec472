import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordId } from '../../model/index.js';
import type { ImportItem, Store } from '../../store/index.js';
import { openTestStore } from '../../store/test-utils/dialects.js';
import { seeded } from '../github/test-utils/connector-harness.js';
import { deriveHintLinks } from './hint-linker.js';

describe('deriveHintLinks (sqlite)', () => {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close } = await openTestStore('sqlite'));
  });
  afterEach(async () => close());

  it('links an admin-API key to the agents whose config holds a key with the same hint', async () => {
    const r = seeded(21);
    const tail = r.chars(4);
    const other = r.chars(4);
    const config: ImportItem[] = [
      { type: 'agent', value: { name: 'support-bot', declared: true } },
      {
        type: 'identity',
        value: {
          provider: 'openai',
          nativeId: 'fp1:abc',
          kind: 'api-key',
          name: 'OPENAI_API_KEY',
          fingerprint: 'fp1:abc',
          attributes: { hint: { prefix: 'sk-proj-', suffix: tail } },
        },
      },
      {
        type: 'link',
        value: {
          agent: 'support-bot',
          identity: { provider: 'openai', nativeId: 'fp1:abc' },
          source: 'config',
          evidence: 'mcp.json',
          confidence: 1,
        },
      },
    ];
    const admin: ImportItem[] = [
      {
        type: 'identity',
        value: {
          provider: 'openai',
          nativeId: 'key_match',
          kind: 'api-key',
          attributes: { hint: { prefix: 'sk-proj-', suffix: tail } },
        },
      },
      {
        type: 'identity',
        value: {
          provider: 'openai',
          nativeId: 'key_other',
          kind: 'api-key',
          attributes: { hint: { prefix: 'sk-proj-', suffix: other } },
        },
      },
      {
        type: 'identity',
        value: {
          provider: 'anthropic',
          nativeId: 'apikey_x',
          kind: 'api-key',
          attributes: { hint: { prefix: 'sk-ant-', suffix: tail } },
        },
      },
    ];
    await store.importSource({ source: 'cfg', format: 'test', path: 'c' }, config);
    await store.importSource({ source: 'adm', format: 'test', path: 'a' }, admin);
    const links: ImportItem[] = [];
    for await (const l of deriveHintLinks(store)) links.push(l);
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({
      type: 'link',
      value: {
        agent: 'support-bot',
        identity: { provider: 'openai', nativeId: 'key_match' },
        source: 'inferred',
        confidence: 0.8,
      },
    });
    await store.importSource({ source: 'derived', format: 'test', path: 'd' }, links);
    expect(await store.listLinks({ identityId: recordId.identity('openai', 'key_match') })).toHaveLength(1);
  });

  it('matches an 8-character GitHub suffix against a 4-character one, and ignores short hints', async () => {
    const r = seeded(22);
    const last8 = r.chars(8);
    await store.importSource({ source: 'x', format: 'test', path: 'x' }, [
      {
        type: 'identity',
        value: {
          provider: 'github',
          nativeId: 'fp1:gh',
          fingerprint: 'fp1:gh',
          attributes: { hint: { prefix: 'ghp_', suffix: last8.slice(-4) } },
        },
      },
      {
        type: 'link',
        value: {
          agent: 'coder',
          identity: { provider: 'github', nativeId: 'fp1:gh' },
          source: 'config',
          evidence: 'e',
          confidence: 1,
        },
      },
      {
        type: 'identity',
        value: { provider: 'github', nativeId: 'github:o/pat/1', attributes: { hint: { suffix: last8 } } },
      },
      {
        type: 'identity',
        value: { provider: 'github', nativeId: 'github:o/pat/2', attributes: { hint: { suffix: 'ab' } } },
      },
    ]);
    const links: ImportItem[] = [];
    for await (const l of deriveHintLinks(store)) links.push(l);
    expect(links.map((l) => (l.type === 'link' ? l.value.identity.nativeId : ''))).toEqual([
      'github:o/pat/1',
    ]);
  });
});
