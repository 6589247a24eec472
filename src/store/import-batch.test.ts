import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordId } from '../model/index.js';
import type { ImportItem } from './import-types.js';
import type { Store } from './store.js';
import { DIALECTS, openTestStore } from './test-utils/dialects.js';

const ident = (n: string): ImportItem => ({ type: 'identity', value: { provider: 'aws', nativeId: n } });

function ev(
  key: string,
  nativeId: string,
  time: string,
  ua: string,
  outcome: 'success' | 'failure',
): ImportItem {
  return {
    type: 'event',
    value: {
      provider: 'aws',
      key,
      principal: nativeId,
      identity: { provider: 'aws', nativeId },
      time,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      userAgent: ua,
      outcome,
      attributes: {},
    },
  };
}

/** Items that fail part-way through reading, as a truncated file does. */
async function* failing(items: ImportItem[]): AsyncGenerator<ImportItem> {
  yield* items;
  throw new Error('unexpected end of input');
}

const U1 = 'arn:aws:iam::1:user/one';
const U2 = 'arn:aws:iam::1:user/two';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0';

async function usageRows(store: Store) {
  return (await store.db.selectFrom('usage').selectAll().orderBy('identity_id').execute()).map((r) => ({
    identity: r.identity_id,
    count: Number(r.count),
    failures: Number(r.failures),
    first: r.first_time,
    last: r.last_time,
  }));
}

for (const dialect of DIALECTS) {
  describe(`import batch (${dialect})`, () => {
    let store: Store;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await openTestStore(dialect));
    });
    afterEach(async () => close());

    it('rolls back a failed source alone and sums the others usage across sources', async () => {
      await store.importBatch(async (batch) => {
        await batch.importSource({ source: 'ids', format: 't', path: 'ids' }, [ident(U1), ident(U2)]);
        await batch.importSource({ source: 'a', format: 't', path: 'a' }, [
          ev('a1', U1, '2026-03-01T00:00:00.000Z', BROWSER, 'success'),
          ev('a2', U1, '2026-03-02T00:00:00.000Z', 'aws-cli/2', 'failure'),
        ]);
        await expect(
          batch.importSource(
            { source: 'bad', format: 't', path: 'bad' },
            failing([
              ident('arn:aws:iam::1:user/ghost'),
              ev('x1', U2, '2026-03-05T00:00:00.000Z', BROWSER, 'success'),
            ]),
          ),
        ).rejects.toThrow(/bad/);
        await batch.importSource({ source: 'c', format: 't', path: 'c' }, [
          ev('c1', U1, '2026-02-27T00:00:00.000Z', BROWSER, 'success'),
        ]);
      });
      // The failed source left nothing: no identity, no event, no usage, no import row.
      expect(await store.findIdentity('aws', 'arn:aws:iam::1:user/ghost')).toBeUndefined();
      expect((await store.counts()).events).toBe(3);
      const imports = await store.db.selectFrom('imports').select('source').execute();
      expect(imports.map((i) => i.source).sort()).toEqual(['a', 'c', 'ids']);
      expect(await usageRows(store)).toEqual([
        {
          identity: recordId.identity('aws', U1),
          count: 3,
          failures: 1,
          first: '2026-02-27T00:00:00.000Z',
          last: '2026-03-02T00:00:00.000Z',
        },
      ]);
      // Last use is the latest success, written when the batch committed.
      expect((await store.findIdentity('aws', U1))?.lastUsedAt).toBe('2026-03-01T00:00:00.000Z');
      const agents = await store.db
        .selectFrom('usage_agents')
        .select(['user_agent', 'count', 'failures', 'first_time', 'last_time'])
        .orderBy('user_agent')
        .execute();
      expect(
        agents.map((a) => [a.user_agent, Number(a.count), Number(a.failures), a.first_time, a.last_time]),
      ).toEqual([
        [BROWSER, 2, 0, '2026-02-27T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
        ['aws-cli/2', 1, 1, '2026-03-02T00:00:00.000Z', '2026-03-02T00:00:00.000Z'],
      ]);
    });

    it('commits on request and keeps committed sources when a later one fails', async () => {
      await expect(
        store.importBatch(async (batch) => {
          await batch.importSource({ source: 'ids', format: 't', path: 'ids' }, [ident(U1)]);
          await batch.commit();
          await batch.importSource({ source: 'ids2', format: 't', path: 'ids2' }, [ident(U2)]);
          throw new Error('caller gave up');
        }),
      ).rejects.toThrow('caller gave up');
      expect(await store.findIdentity('aws', U1)).toBeDefined();
      // Not committed when the caller failed: rolled back whole.
      expect(await store.findIdentity('aws', U2)).toBeUndefined();
    });

    it('imports a large source alone: what came before is committed, a failure rolls back only it', async () => {
      await expect(
        store.importBatch(async (batch) => {
          await batch.importSource({ source: 'small', format: 't', path: 'small' }, [ident(U1)]);
          await expect(
            batch.importSource(
              { source: 'big', format: 't', path: 'big' },
              failing([ident('arn:aws:iam::1:user/ghost')]),
              { alone: true },
            ),
          ).rejects.toThrow(/big/);
          await batch.importSource({ source: 'big2', format: 't', path: 'big2' }, [ident(U2)], {
            alone: true,
          });
          throw new Error('caller gave up');
        }),
      ).rejects.toThrow('caller gave up');
      // Committed before the large source, and the second large source committed on its own.
      expect(await store.findIdentity('aws', U1)).toBeDefined();
      expect(await store.findIdentity('aws', U2)).toBeDefined();
      expect(await store.findIdentity('aws', 'arn:aws:iam::1:user/ghost')).toBeUndefined();
    });

    it('without raw events, counts a log file once by its content digest', async () => {
      const log = [
        ev('e1', U1, '2026-03-01T00:00:00.000Z', 'Boto3/1.34', 'success'),
        ev('e2', U1, '2026-03-01T01:00:00.000Z', 'Boto3/1.34', 'success'),
      ];
      const opts = { format: 't', rawEvents: false, digest: 'digest-1' } as const;
      const r1 = await store.importSource({ ...opts, source: 'ct:a', path: 'a' }, log);
      // Again, and the same content under another path: nothing more is counted.
      const r2 = await store.importSource({ ...opts, source: 'ct:a', path: 'a' }, log);
      await store.importBatch(async (batch) => {
        await batch.importSource({ ...opts, source: 'ct:copy', path: 'copy/a' }, log);
      });
      expect(r1.counts.event).toBe(2);
      expect(r2.counts.event).toBe(2);
      expect((await usageRows(store)).map((u) => u.count)).toEqual([2]);
      // Different content is counted.
      await store.importSource({ ...opts, digest: 'digest-2', source: 'ct:b', path: 'b' }, log.slice(0, 1));
      expect((await usageRows(store)).map((u) => u.count)).toEqual([3]);
      const agents = await store.db.selectFrom('usage_agents').select(['count']).execute();
      expect(agents.map((a) => Number(a.count))).toEqual([3]);
      expect((await store.counts()).events).toBe(0);
    });
  });
}
