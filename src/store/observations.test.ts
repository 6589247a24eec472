import type { Migration } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordId, stableId } from '../model/index.js';
import type { ImportItem } from './import-types.js';
import { core } from './migrations/0001-core.js';
import { audit } from './migrations/0005-audit.js';
import { Store } from './store.js';
import { DIALECTS, openTestStore } from './test-utils/dialects.js';
import { emptyDatabase, kyselyOn, migrateWith } from './test-utils/migration-db.js';

const ids = (...keys: string[]): ImportItem[] =>
  keys.map((k) => ({ type: 'identity', value: { provider: 'aws', nativeId: k, kind: 'access-key' } }));

async function live(store: Store): Promise<string[]> {
  return (await store.listIdentities()).map((i) => i.nativeId).sort();
}

for (const dialect of DIALECTS) {
  describe(`soft history (${dialect})`, () => {
    let store: Store;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await openTestStore(dialect));
    });
    afterEach(async () => close());

    it('a record goes only when every source that reported it has stopped', async () => {
      const a = { source: 'a', format: 'test', path: 'a.json' };
      const b = { source: 'b', format: 'test', path: 'b.json' };
      expect((await store.importSource(a, ids('k1', 'k2', 'k3'))).gone).toBe(0);
      expect((await store.importSource(b, ids('k2'))).gone).toBe(0);
      expect((await store.importSource(a, ids('k3'))).gone).toBe(1);
      expect(await live(store)).toEqual(['k2', 'k3']);
      expect((await store.importSource(b, ids())).gone).toBe(1);
      expect(await live(store)).toEqual(['k3']);
      // Reported again, a record comes back; reported twice in one import, it is one record.
      expect((await store.importSource(b, ids('k1', 'k1'))).gone).toBe(0);
      expect(await live(store)).toEqual(['k1', 'k3']);
      expect((await store.importSource(a, ids('k3'))).gone).toBe(0);
      expect((await store.importSource(b, ids())).gone).toBe(1);
      expect(await live(store)).toEqual(['k3']);
    });

    it('a partial read marks nothing gone; the next complete import does', async () => {
      const a = { source: 'a', format: 'test', path: 'a.json' };
      await store.importSource(a, ids('k1', 'k2'));
      expect((await store.importSource({ ...a, complete: false }, ids('k1'))).gone).toBe(0);
      expect(await live(store)).toEqual(['k1', 'k2']);
      expect((await store.importSource(a, ids('k1'))).gone).toBe(1);
      expect(await live(store)).toEqual(['k1']);
    });

    it('stores and merges batches of many rows like single rows', async () => {
      const many = (from: string, n: number): ImportItem[] =>
        Array.from({ length: n }, (_, i) => ({
          type: 'identity',
          value: {
            provider: 'aws',
            nativeId: `k${i}`,
            ...(from === 'a' ? { kind: 'access-key' } : { lastUsedAt: '2026-01-02T00:00:00.000Z' }),
            attributes: { [from]: i },
          },
        }));
      const a = { source: 'a', format: 'test', path: 'a.json' };
      await store.importSource(a, many('a', 237));
      await store.importSource({ source: 'b', format: 'test', path: 'b.json' }, many('b', 120));
      const all = await store.listIdentities();
      expect(all).toHaveLength(237);
      const k7 = all.find((i) => i.nativeId === 'k7');
      expect(k7).toMatchObject({
        kind: 'access-key',
        lastUsedAt: '2026-01-02T00:00:00.000Z',
        attributes: { a: 7, b: 7 },
      });
      expect(all.find((i) => i.nativeId === 'k200')?.attributes).toEqual({ a: 200 });
      // a now reports the first 60: k60..k119 stay (b reports them), k120..k236 go.
      expect((await store.importSource(a, many('a', 60))).gone).toBe(117);
      expect(await store.db.selectFrom('observations').select('record_id').execute()).toHaveLength(357);
      expect(await store.listIdentities()).toHaveLength(120);
    });

    it('keys each source by its name and counts its imports', async () => {
      await store.importSource({ source: 'a', format: 'test', path: 'a.json' }, ids('k1'));
      await store.importSource({ source: 'a', format: 'test', path: 'a.json' }, ids('k1'));
      await store.importSource({ source: 'events only', format: 'test', path: 'e.json' }, []);
      const sources = await store.db.selectFrom('sources').select(['key', 'name', 'seq']).execute();
      expect(sources).toEqual([{ key: stableId('src', 'a').slice(0, 16), name: 'a', seq: 2 }]);
      const obs = await store.db.selectFrom('observations').select(['record_id', 'seq']).execute();
      expect(obs).toEqual([{ record_id: recordId.identity('aws', 'k1'), seq: 2 }]);
    });
  });

  describe(`migration 0007 (${dialect})`, () => {
    let drop: (() => Promise<void>) | undefined;
    afterEach(async () => drop?.());

    it('keeps what the 0001 observations said, so the next import marks gone as before', async () => {
      const url = await emptyDatabase(dialect, (d) => (drop = d));
      const db = kyselyOn(url);
      const ctx = { dialect: dialect === 'sqlite' ? ('sqlite' as const) : ('postgres' as const) };
      const old: Record<string, Migration> = { '0001-core': core(ctx), '0005-audit': audit(ctx) };
      await migrateWith(db, old);
      const now = '2026-01-01T00:00:00.000Z';
      const keyA = stableId('src', 'a').slice(0, 16);
      const keyB = stableId('src', 'b').slice(0, 16);
      for (const k of ['k1', 'k2', 'k3']) {
        const id = recordId.identity('aws', k);
        await db
          .insertInto('identities')
          .values({ id, provider: 'aws', native_id: k, first_seen: now, updated_at: now })
          .execute();
        const by = k === 'k3' ? [keyB] : k === 'k2' ? [keyA, keyB] : [keyA];
        for (const source of by) {
          await db
            .insertInto('observations')
            .values({ record_type: 'identity', record_id: id, source, import_id: 'imp_1', seen_at: now })
            .execute();
        }
      }
      await db.destroy();

      const store = await Store.open(url);
      try {
        expect(await live(store)).toEqual(['k1', 'k2', 'k3']);
        const res = await store.importSource({ source: 'a', format: 'test', path: 'a.json' }, ids());
        expect(res.gone).toBe(1);
        expect(await live(store)).toEqual(['k2', 'k3']);
        expect((await store.importSource({ source: 'b', format: 'test', path: 'b' }, ids('k3'))).gone).toBe(
          1,
        );
        expect(await live(store)).toEqual(['k3']);
      } finally {
        await store.close();
      }
    });
  });
}
