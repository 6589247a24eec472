import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../config/index.js';
import { openStore, type Store } from '../../store/index.js';
import { importPaths } from '../import-service.js';
import { CONNECTORS } from '../registry.js';
import { POOL_MIN_FILES, RAW_FILES_AHEAD, TrailPool } from './cloudtrail-pool.js';
import { accountId, rng, trailFile, trailPath, trailRecord, type Doc } from './test-utils/aws-fixtures.js';
import { tempDir, write } from './test-utils/run-connector.js';

const built = existsSync(
  path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../../../dist/connectors/aws/cloudtrail-worker.js',
  ),
);

/** A CloudTrail tree of `files` log files by a few users and roles, one record in 9 failed, one corrupt record. */
function trailTree(dir: string, files: number): void {
  const rand = rng(7);
  const account = accountId(rand);
  for (let f = 0; f < files; f++) {
    const records: Doc[] = [];
    for (let i = 0; i < 40; i++) {
      const n = Math.floor(rand() * 6);
      const time = new Date(Date.UTC(2026, 9, 1 + (f % 20), 10, i)).toISOString().replace('.000Z', 'Z');
      const base = {
        account,
        eventSource: 's3.amazonaws.com',
        eventName: i % 3 ? 'GetObject' : 'PutObject',
        time,
        requestParameters: { bucketName: `b${n % 2}`, key: `k${i % 4}` },
        ...(i % 9 === 0 ? { errorCode: 'AccessDenied' } : {}),
        ...(n === 4 ? { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0' } : {}),
      };
      records.push(
        n % 2
          ? trailRecord(rand, {
              ...base,
              type: 'AssumedRole',
              role: { arn: `arn:aws:iam::${account}:role/app/r${n}`, name: `r${n}`, session: `s${i % 2}` },
            })
          : trailRecord(rand, { ...base, type: 'IAMUser', user: `u${n}` }),
      );
    }
    const rel = trailPath(account, 'eu-west-1', '2026-10-01T10:00:00Z', f);
    const text = JSON.stringify({ Records: records });
    // One file with a corrupt record: the tolerant path reports it and keeps the others.
    write(dir, rel, trailFile(records));
    if (f === 3) {
      const id = `"eventID":"${records[5]!.eventID as string}"`;
      writeFileSync(path.join(dir, rel), gzipSync(text.replace(id, `${id},,"oops":`)));
    }
  }
}

async function usageOf(store: Store) {
  const usage = await store.db
    .selectFrom('usage')
    .selectAll()
    .orderBy('identity_id')
    .orderBy('action')
    .orderBy('resource')
    .execute();
  const agents = await store.db
    .selectFrom('usage_agents')
    .selectAll()
    .orderBy('identity_id')
    .orderBy('user_agent')
    .execute();
  const used = await store.db
    .selectFrom('identities')
    .select(['native_id', 'last_used_at'])
    .orderBy('native_id')
    .execute();
  const norm = (rows: Record<string, unknown>[]) =>
    rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
    );
  return { usage: norm(usage), agents: norm(agents), used };
}

describe('CloudTrail pool', () => {
  const open: Store[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });
  const config = ConfigSchema.parse({});

  it.runIf(built)(
    'sums the same usage in two worker threads, in one, in the import loop and as raw events',
    async () => {
      const dir = tempDir();
      trailTree(dir, POOL_MIN_FILES + 4);
      const run = async (rawEvents: boolean, threads?: number) => {
        const store = await openStore(path.join(tempDir(), 'w.db'));
        open.push(store);
        const start = TrailPool.start;
        let started = 0;
        TrailPool.start = (files, base) => {
          started++;
          return threads === 0 ? undefined : start(files, base, threads);
        };
        try {
          const report = await importPaths({
            store,
            config,
            connectors: CONNECTORS,
            paths: [dir],
            rawEvents,
          });
          return { store, report, started };
        } finally {
          TrailPool.start = start;
        }
      };
      const pooled = await run(false, 2);
      const single = await run(false, 1);
      const loop = await run(false, 0);
      const raw = await run(true);
      const rawLoop = await run(true, 0);
      expect([pooled.started, single.started, loop.started, raw.started]).toEqual([1, 1, 1, 1]);
      const a = await usageOf(pooled.store);
      expect(a.usage.length).toBeGreaterThan(10);
      expect(a.agents.some((r) => String(r.user_agent).startsWith('Mozilla/'))).toBe(true);
      expect(a).toEqual(await usageOf(loop.store));
      // One worker reads them all (as with one core): the same sums and reports.
      expect(a).toEqual(await usageOf(single.store));
      expect(a).toEqual(await usageOf(raw.store));
      // Raw events read by the pool's worker are the rows the import loop stores itself.
      const events = (s: Store) => s.db.selectFrom('events').selectAll().orderBy('id').execute();
      const rawEvents = await events(raw.store);
      expect(rawEvents.length).toBeGreaterThan(500);
      expect(rawEvents).toEqual(await events(rawLoop.store));
      expect(await usageOf(rawLoop.store)).toEqual(a);
      // Same per-file reports: counts, the corrupt record's skip.
      const strip = (r: typeof pooled.report) =>
        r.files.map((f) => ({ file: f.file, status: f.status, counts: f.counts, skipped: f.skipped }));
      expect(strip(pooled.report)).toEqual(strip(loop.report));
      expect(strip(single.report)).toEqual(strip(loop.report));
      expect(strip(raw.report)).toEqual(strip(rawLoop.report));
      expect(strip(raw.report)).toEqual(strip(loop.report));
      expect(pooled.report.files.find((f) => f.skipped.length)?.skipped[0]?.pointer).toMatch(
        /^\/Records\/\d+/,
      );

      // Again into the same store: the same contents count nothing more.
      await importPaths({
        store: pooled.store,
        config,
        connectors: CONNECTORS,
        paths: [dir],
        rawEvents: false,
      });
      expect(await usageOf(pooled.store)).toEqual(a);
    },
  );

  it.runIf(built)('keeps raw event rows at most a few files ahead of the import', async () => {
    const dir = tempDir();
    trailTree(dir, POOL_MIN_FILES + 8);
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name))
      .sort()
      .map((p) => ({ path: p, root: dir, name: path.basename(p) }));
    const base = { config, salt: 's', now: '2026-01-01T00:00:00.000Z', counted: [], raw: true };
    const pool = TrailPool.start(files, base, 1)!;
    try {
      // What the worker has read and the import not yet taken.
      const waiting = () => (pool as unknown as { outcomes: Map<number, unknown> }).outcomes.size;
      const settle = async (n: number) => {
        for (let t = 0; t < 200 && waiting() < n; t++) await new Promise((r) => setTimeout(r, 10));
        // Time for a worker that ignored the bound to read more.
        await new Promise((r) => setTimeout(r, 300));
      };
      await settle(RAW_FILES_AHEAD);
      expect(waiting()).toBe(RAW_FILES_AHEAD);
      const first = await pool.result(0);
      expect('result' in first && first.result.items.some((i) => i.type === 'event-row')).toBe(true);
      await settle(RAW_FILES_AHEAD);
      // One taken, one more read.
      expect(waiting()).toBe(RAW_FILES_AHEAD);
      for (let i = 1; i < files.length; i++) await pool.result(i);
      expect((await pool.drain())[0]!.usage).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it('is not started for a few files', () => {
    const files = Array.from({ length: POOL_MIN_FILES - 1 }, (_, i) => ({
      path: `/x/${i}`,
      root: '/x',
      name: `${i}`,
    }));
    expect(
      TrailPool.start(files, { config, salt: 's', now: '2026-01-01T00:00:00.000Z', counted: [], raw: false }),
    ).toBeUndefined();
  });
});
