import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordId } from '../model/index.js';
import type { ImportItem } from './import-types.js';
import type { Store } from './store.js';
import { DIALECTS, openTestStore } from './test-utils/dialects.js';

const aws = (nativeId: string) => ({ provider: 'aws', nativeId });

function* sourceA(keys: string[]): Generator<ImportItem> {
  yield {
    type: 'agent',
    value: {
      name: 'support-bot',
      kind: 'chatbot',
      declared: true,
      status: 'active',
      environment: 'production',
    },
  };
  for (const k of keys) {
    yield {
      type: 'identity',
      value: { ...aws(k), kind: 'access-key', status: 'active', attributes: { from: 'a' } },
    };
    yield {
      type: 'link',
      value: {
        agent: 'support-bot',
        identity: aws(k),
        source: 'declared',
        evidence: 'agents.yaml',
        confidence: 1,
      },
    };
  }
}

for (const dialect of DIALECTS) {
  describe(`store (${dialect})`, () => {
    let store: Store;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await openTestStore(dialect));
    });
    afterEach(async () => close());

    it('imports records and reads them back', async () => {
      const res = await store.importSource(
        { source: 'a', format: 'test', path: 'a.json' },
        sourceA(['k1', 'k2']),
      );
      expect(res.counts.identity).toBe(2);
      expect(res.counts.link).toBe(2);
      const agents = await store.listAgents();
      expect(agents.map((a) => [a.name, a.kind, a.declared])).toEqual([['support-bot', 'chatbot', true]]);
      const links = await store.listLinks({ agentId: recordId.agent('support-bot') });
      expect(links).toHaveLength(2);
      const ids = await store.listIdentities();
      expect(ids.map((i) => i.nativeId).sort()).toEqual(['k1', 'k2']);
      expect(ids[0]!.attributes).toEqual({ from: 'a' });
    });

    it('re-import is idempotent and marks what disappeared as gone, never deleting it', async () => {
      await store.importSource({ source: 'a', format: 'test', path: 'a.json' }, sourceA(['k1', 'k2']));
      await store.importSource({ source: 'a', format: 'test', path: 'a.json' }, sourceA(['k1', 'k2']));
      expect(await store.counts()).toMatchObject({ identities: 2, links: 2, agents: 1 });
      const res = await store.importSource({ source: 'a', format: 'test', path: 'a.json' }, sourceA(['k1']));
      expect(res.gone).toBe(2); // the identity k2 and its link
      expect((await store.listIdentities()).map((i) => i.nativeId)).toEqual(['k1']);
      const all = await store.listIdentities({ includeGone: true });
      const k2 = all.find((i) => i.nativeId === 'k2');
      expect(k2?.goneAt).toBeDefined();
      // It comes back when the source reports it again.
      await store.importSource({ source: 'a', format: 'test', path: 'a.json' }, sourceA(['k1', 'k2']));
      expect((await store.listIdentities()).map((i) => i.nativeId).sort()).toEqual(['k1', 'k2']);
    });

    it('a record another source still reports is not gone', async () => {
      await store.importSource({ source: 'a', format: 'test', path: 'a.json' }, sourceA(['k1']));
      await store.importSource({ source: 'b', format: 'test', path: 'b.json' }, [
        {
          type: 'identity',
          value: { ...aws('k1'), lastUsedAt: '2026-01-02T00:00:00.000Z', attributes: { from: 'b' } },
        },
      ]);
      await store.importSource({ source: 'a', format: 'test', path: 'a.json' }, sourceA([]));
      const k1 = await store.findIdentity('aws', 'k1');
      expect(k1?.goneAt).toBeUndefined();
      // b's fields merged in, a's kept.
      expect(k1).toMatchObject({
        kind: 'access-key',
        lastUsedAt: '2026-01-02T00:00:00.000Z',
        attributes: { from: 'b' },
      });
    });

    it('merges sources field by field without erasing what another source said', async () => {
      await store.importSource({ source: 'decl', format: 'test', path: 'agents.yaml' }, [
        {
          type: 'link',
          value: {
            agent: 'bot',
            identity: aws('role/x'),
            source: 'declared',
            evidence: 'agents.yaml',
            confidence: 1,
          },
        },
      ]);
      let x = await store.findIdentity('aws', 'role/x');
      expect(x?.status).toBe('declared');
      await store.importSource({ source: 'aws', format: 'test', path: 'auth.json' }, [
        {
          type: 'identity',
          value: { ...aws('role/x'), kind: 'cloud-role', status: 'active', attributes: { path: '/' } },
        },
      ]);
      x = await store.findIdentity('aws', 'role/x');
      expect(x).toMatchObject({ kind: 'cloud-role', status: 'active' });
      const agent = await store.findAgent('BOT');
      expect(agent?.declared).toBe(false);
    });

    it('a failing source leaves the store as it was', async () => {
      await store.importSource({ source: 'a', format: 'test', path: 'a.json' }, sourceA(['k1']));
      const before = await store.counts();
      async function* broken(): AsyncGenerator<ImportItem> {
        yield* sourceA(['k9', 'k8']);
        throw new Error('truncated JSON at offset 120');
      }
      await expect(
        store.importSource({ source: 'a', format: 'test', path: 'a.json' }, broken()),
      ).rejects.toMatchObject({
        code: 'WARDEN_STORE_FAILED',
      });
      expect(await store.counts()).toEqual(before);
      expect(await store.findIdentity('aws', 'k9')).toBeUndefined();
    });

    it('counts each event once across re-imports and keeps the latest use', async () => {
      const events: ImportItem[] = [1, 2, 3].map((n) => ({
        type: 'event',
        value: {
          provider: 'aws',
          key: `e${n}`,
          principal: 'arn:aws:iam::1:user/u',
          identity: aws('arn:aws:iam::1:user/u'),
          time: `2026-03-0${n}T00:00:00.000Z`,
          action: 's3:GetObject',
          resource: 'arn:aws:s3:::b/k',
          outcome: n === 3 ? 'failure' : 'success',
        },
      }));
      await store.importSource({ source: 'ct', format: 'test', path: 'ct' }, [
        { type: 'identity', value: { ...aws('arn:aws:iam::1:user/u'), kind: 'cloud-user' } },
        ...events,
      ]);
      await store.importSource({ source: 'ct2', format: 'test', path: 'ct2' }, events);
      const id = recordId.identity('aws', 'arn:aws:iam::1:user/u');
      const usage = await store.usageFor(id);
      expect(usage).toHaveLength(1);
      expect(Number(usage[0]!.count)).toBe(3);
      expect(Number(usage[0]!.failures)).toBe(1);
      expect((await store.getIdentity(id))?.lastUsedAt).toBe('2026-03-02T00:00:00.000Z');
    });

    it('keeps one fingerprint salt per installation', async () => {
      const a = await store.fingerprintSalt();
      expect(a.length).toBeGreaterThan(30);
      expect(await store.fingerprintSalt()).toBe(a);
      expect(await store.fingerprintSalt('configured-salt-0123456789')).toBe('configured-salt-0123456789');
    });
  });
}
