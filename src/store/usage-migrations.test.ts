import type { Migration } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { core } from './migrations/0001-core.js';
import { audit } from './migrations/0005-audit.js';
import { compactObservations } from './migrations/0007-compact-observations.js';
import { eventsIngest } from './migrations/0008-events-ingest.js';
import { Store } from './store.js';
import { DIALECTS } from './test-utils/dialects.js';
import { emptyDatabase, kyselyOn, migrateWith } from './test-utils/migration-db.js';

const UA = 'Mozilla/5.0 (Windows NT 10.0) Chrome/120.0';

for (const dialect of DIALECTS) {
  describe(`migrations 0009-0011 (${dialect})`, () => {
    let drop: (() => Promise<void>) | undefined;
    afterEach(async () => drop?.());

    it('keeps usage, folds stored events into usage_agents, and counts new usage on top', async () => {
      const url = await emptyDatabase(dialect, (d) => (drop = d));
      const db = kyselyOn(url);
      const ctx = { dialect: dialect === 'sqlite' ? ('sqlite' as const) : ('postgres' as const) };
      const old: Record<string, Migration> = {
        '0001-core': core(ctx),
        '0005-audit': audit(ctx),
        '0007-compact-observations': compactObservations(ctx),
        '0008-events-ingest': eventsIngest(ctx),
      };
      await migrateWith(db, old);
      await db
        .insertInto('usage')
        .values({
          identity_id: 'idn_a',
          action: 's3:GetObject',
          resource: 'arn:aws:s3:::b/k',
          count: 5,
          failures: 1,
          first_time: '2026-03-01T00:00:00.000Z',
          last_time: '2026-03-02T00:00:00.000Z',
        })
        .execute();
      const event = (id: string, time: string, outcome: string, ua: string | null) => ({
        id,
        identity_id: 'idn_a',
        principal: 'arn:aws:iam::1:user/a',
        provider: 'aws',
        time,
        action: 's3:GetObject',
        outcome,
        user_agent: ua,
      });
      await db
        .insertInto('events')
        .values([
          event('e1', '2026-03-01T10:00:00.000Z', 'success', UA),
          event('e2', '2026-03-01T11:00:00.000Z', 'failure', UA),
          event('e3', '2026-03-02T10:00:00.000Z', 'success', UA),
          event('e4', '2026-03-02T10:00:00.000Z', 'success', null),
        ])
        .execute();
      await db.destroy();

      const store = await Store.open(url);
      try {
        const usage = await store.db.selectFrom('usage').selectAll().execute();
        expect(usage.map((u) => [u.identity_id, u.resource, Number(u.count), Number(u.failures)])).toEqual([
          ['idn_a', 'arn:aws:s3:::b/k', 5, 1],
        ]);
        const agents = await store.db.selectFrom('usage_agents').selectAll().execute();
        expect(
          agents.map((a) => [a.user_agent, Number(a.count), Number(a.failures), a.first_time, a.last_time]),
        ).toEqual([[UA, 3, 1, '2026-03-01T10:00:00.000Z', '2026-03-02T10:00:00.000Z']]);
        // New usage goes in beside it, and a usage-only import of no file records no digest.
        await store.importSource({ source: 'ct', format: 't', path: 'ct', rawEvents: false }, [
          {
            type: 'event',
            value: {
              provider: 'aws',
              key: 'n1',
              principal: 'x',
              identity: { provider: 'aws', nativeId: 'x' },
              time: '2026-03-03T00:00:00.000Z',
              action: 's3:GetObject',
              outcome: 'success',
              attributes: {},
            },
          },
        ]);
        expect((await store.db.selectFrom('usage').select('count').execute()).length).toBe(2);
        const sources = await store.db.selectFrom('sources').select(['events_digest']).execute();
        expect(sources).toEqual([]);
      } finally {
        await store.close();
      }
    });
  });
}
