import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordId } from '../model/index.js';
import type { ImportItem } from './import-types.js';
import type { Store } from './store.js';
import { DIALECTS, openTestStore } from './test-utils/dialects.js';

/** A log of `n` events by `users` identities, 1 in 7 failed, with ids and times from `seed`. */
function log(n: number, users: number, seed: number): ImportItem[] {
  const out: ImportItem[] = [];
  for (let i = 0; i < n; i++) {
    const u = `arn:aws:iam::1:user/u${(i * 7 + seed) % users}`;
    out.push({
      type: 'event',
      value: {
        provider: 'aws',
        key: `ev-${seed}-${i}`,
        principal: u,
        identity: { provider: 'aws', nativeId: u },
        time: new Date(Date.UTC(2026, 2, 1) + i * 1000 + seed).toISOString(),
        action: i % 3 === 0 ? 's3:GetObject' : 'sts:GetCallerIdentity',
        ...(i % 3 === 0 ? { resource: `arn:aws:s3:::b/${i % 5}` } : {}),
        outcome: i % 7 === 0 ? 'failure' : 'success',
        attributes: { region: 'eu-west-1', readOnly: true },
      },
    });
  }
  return out;
}

type UsageRow = { identity_id: string; action: string; resource: string; count: number; failures: number };

/** Usage computed from the events themselves, as the store must keep it. */
function expectedUsage(items: ImportItem[]): Map<string, { count: number; failures: number }> {
  const m = new Map<string, { count: number; failures: number }>();
  for (const it of items) {
    if (it.type !== 'event' || !it.value.identity) continue;
    const e = it.value;
    const k = `${recordId.identity('aws', e.identity!.nativeId)}|${e.action}|${e.resource ?? '*'}`;
    const u = m.get(k) ?? { count: 0, failures: 0 };
    u.count++;
    if (e.outcome === 'failure') u.failures++;
    m.set(k, u);
  }
  return m;
}

async function usage(store: Store): Promise<Map<string, { count: number; failures: number }>> {
  const rows = (await store.db.selectFrom('usage').selectAll().execute()) as unknown as UsageRow[];
  return new Map(
    rows.map((r) => [
      `${r.identity_id}|${r.action}|${r.resource}`,
      { count: Number(r.count), failures: Number(r.failures) },
    ]),
  );
}

for (const dialect of DIALECTS) {
  describe(`event ingestion (${dialect})`, () => {
    let store: Store;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await openTestStore(dialect));
    });
    afterEach(async () => close());

    it('stores events in batches, counts usage once across re-imports and overlapping logs', async () => {
      const a = log(1000, 13, 1);
      const b = log(500, 13, 2);
      const users = [...new Set(a.map((i) => (i.value as { principal: string }).principal))];
      await store.importSource({ source: 'ids', format: 'test', path: 'ids' }, [
        ...users.map((u): ImportItem => ({ type: 'identity', value: { provider: 'aws', nativeId: u } })),
      ]);
      const r1 = await store.importSource({ source: 'ct-a', format: 'test', path: 'a' }, a);
      expect(r1.counts.event).toBe(1000);
      // The same log again, and a log holding b plus half of a: a's events must not count twice.
      await store.importSource({ source: 'ct-a', format: 'test', path: 'a' }, a);
      await store.importSource({ source: 'ct-ab', format: 'test', path: 'ab' }, [...b, ...a.slice(0, 500)]);
      expect((await store.counts()).events).toBe(1500);
      expect(await usage(store)).toEqual(expectedUsage([...a, ...b]));
      // Last use: the latest successful event per identity.
      const u0 = users[0]!;
      const times = [...a, ...b]
        .map((i) => i.value as { principal: string; time: string; outcome: string })
        .filter((e) => e.principal === u0 && e.outcome === 'success')
        .map((e) => e.time)
        .sort();
      expect((await store.findIdentity('aws', u0))?.lastUsedAt).toBe(times[times.length - 1]);
    });

    it('keeps the same aggregate without raw events', async () => {
      const a = log(900, 5, 3);
      const res = await store.importSource({ source: 'ct', format: 'test', path: 'ct', rawEvents: false }, [
        ...a,
        { type: 'skip', value: { pointer: '/Records/9', reason: 'x' } },
      ]);
      expect(res.counts).toMatchObject({ event: 900, skipped: 1 });
      expect((await store.counts()).events).toBe(0);
      expect(await usage(store)).toEqual(expectedUsage(a));
    });

    it('has no per-identity index on events after the migrations', async () => {
      const rows =
        dialect === 'sqlite'
          ? await sql<{
              name: string;
            }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'`.execute(store.db)
          : await sql<{
              name: string;
            }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'events'`.execute(store.db);
      const names = rows.rows.map((r) => r.name);
      expect(names).not.toContain('events_identity_time');
      expect(names.length).toBeGreaterThan(0); // the primary key's
    });
  });
}
