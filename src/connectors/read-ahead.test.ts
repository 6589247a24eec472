import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../config/index.js';
import { openStore, type ImportItem, type Store } from '../store/index.js';
import { SourceFile } from './core/source-file.js';
import { importPaths, type ImportReport } from './import-service.js';
import { readAhead } from './read-ahead.js';
import { CONNECTORS } from './registry.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(tmpdir(), 'warden-read-ahead-'));
const example = path.join(work, 'acme');
const config = ConfigSchema.parse({});
const now = '2026-11-01T00:00:00.000Z';
const TABLES = ['owners', 'agents', 'identities', 'links', 'grants', 'resources', 'edges', 'observations'];

beforeAll(() => {
  // The Acme example holds a real-format export of every kind Warden reads.
  const gen = spawnSync(process.execPath, [path.join(root, 'scripts', 'gen-acme.mjs'), example], {
    encoding: 'utf8',
  });
  expect(gen.status, gen.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function importInto(
  name: string,
  paths: string[],
  readAheadBytes: number,
  rawEvents = true,
): Promise<{ store: Store; report: ImportReport }> {
  const store = await openStore(path.join(work, `${name}.db`));
  // A fixed salt and clock: both stores must hold the same rows.
  const report = await importPaths({
    store,
    config: { ...config, fingerprintSalt: 'read-ahead-test' },
    connectors: CONNECTORS,
    paths,
    now,
    readAheadBytes,
    rawEvents,
  });
  return { store, report };
}

async function dump(store: Store, tables = TABLES): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const rows = await store.db
      .selectFrom(t as 'identities')
      .selectAll()
      .execute();
    out[t] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

describe('reading files ahead in a worker thread', () => {
  /** Imports `paths` twice, reading the files of `bytes` or more ahead, then none, and compares. */
  async function compare(name: string, paths: string[], bytes: number): Promise<Record<string, unknown[]>> {
    const here = await importInto(`${name}-here`, paths, Infinity);
    const ahead = await importInto(`${name}-ahead`, paths, bytes);
    try {
      const files = (r: ImportReport) =>
        r.files.map((f) => [f.file, f.status, f.format, f.counts, f.skipped, f.notes, f.error]);
      expect(files(ahead.report)).toEqual(files(here.report));
      const [a, b] = [await dump(ahead.store), await dump(here.store)];
      for (const t of TABLES) expect(a[t], t).toEqual(b[t]);
      return a;
    } finally {
      await here.store.close();
      await ahead.store.close();
    }
  }

  it('stores exactly what reading on the import thread stores, file by file', async () => {
    // Each worker loads every connector: the larger files (IAM, Kubernetes, Entra, GCP...) only.
    const a = await compare('acme', [example], 6 * 1024);
    expect(a.identities!.length).toBeGreaterThan(50);
    expect(a.grants!.length).toBeGreaterThan(10);
    expect(a.links!.length).toBeGreaterThan(10);
  }, 120_000);

  it('gives the worker the config files agents.yaml assigns to each agent', async () => {
    const agents = ['claude-code-platform', 'desktop-ops-agent', 'cursor-frontend'];
    const a = await compare(
      'mcp',
      [path.join(example, 'agents.yaml'), ...agents.map((n) => path.join(example, 'agents', n))],
      0,
    );
    expect(a.links!.some((l) => String(l).includes('"source":"config"'))).toBe(true);
  }, 60_000);

  it('yields the connector items with their rows built, from the worker', async () => {
    const file = new SourceFile(path.join(example, 'aws', 'iam', 'authorization-details.json'), example);
    const connector = CONNECTORS.find((c) => c.id === 'aws-authorization-details')!;
    expect(connector.detect(file)).toBeGreaterThan(0);
    const ctx = { config, salt: 's', now, configOwners: new Map<string, string>() };
    const stream = readAhead(connector, file, ctx);
    expect(stream).toBeDefined();
    const items: ImportItem[] = [];
    for await (const item of stream!) items.push(item);
    const direct: ImportItem[] = [];
    for await (const item of connector.read(file, ctx)) direct.push(item);
    expect(items.length).toBe(direct.length);
    const rows = items.filter((i) => i.type === 'row');
    expect(rows.length).toBe(
      direct.filter((i) => ['identity', 'grant', 'edge', 'resource'].includes(i.type)).length,
    );
    expect(rows.some((i) => i.type === 'row' && i.value.record === 'grant')).toBe(true);
  });

  it('counts the events of a log file read ahead once, without raw events, however often it is imported', async () => {
    // Two delivered log files (too few for the CloudTrail pool), each read in a worker thread.
    const logs = path.join(example, 'aws', 'AWSLogs');
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true }))
        if (e.isDirectory()) walk(path.join(d, e.name));
        else if (e.name.endsWith('.json.gz')) files.push(path.join(d, e.name));
    };
    walk(logs);
    const dir = mkdtempSync(path.join(work, 'trail-'));
    for (const f of files.sort().slice(0, 2)) copyFileSync(f, path.join(dir, path.basename(f)));
    const usage = async (s: Store) =>
      (
        await s.db.selectFrom('usage').selectAll().orderBy(['identity_id', 'action', 'resource']).execute()
      ).map((r) => [r.identity_id, r.action, r.resource, Number(r.count), Number(r.failures)]);
    const here = await importInto('trail-here', [dir], Infinity, false);
    const expected = await usage(here.store);
    await here.store.close();
    expect(expected.length).toBeGreaterThan(0);
    for (let i = 0; i < 2; i++) {
      const ahead = await importInto('trail-ahead', [dir], 0, false);
      expect(ahead.report.files.every((f) => f.status === 'imported' && (f.counts?.event ?? 0) > 0)).toBe(
        true,
      );
      expect(await usage(ahead.store)).toEqual(expected);
      await ahead.store.close();
    }
  }, 60_000);

  it('fails a broken file with the connector own message and leaves the store as it was', async () => {
    const dir = mkdtempSync(path.join(work, 'broken-'));
    const text = readFileSync(path.join(example, 'aws', 'iam', 'authorization-details.json'), 'utf8');
    const target = path.join(dir, 'authorization-details.json');
    writeFileSync(target, text);
    const first = await importInto('broken', [dir], 0);
    // What the file imported (each import recomputes the derived links, whatever its files do).
    const mine = ['identities', 'grants', 'resources', 'edges'];
    const before = await dump(first.store, mine);
    await first.store.close();
    writeFileSync(target, text.slice(0, Math.floor(text.length * 0.7)));
    const reports: ImportReport[] = [];
    for (const [name, bytes] of [
      ['broken', 0],
      ['broken', Infinity],
    ] as const) {
      const { store, report } = await importInto(name, [dir], bytes);
      reports.push(report);
      expect(await dump(store, mine)).toEqual(before);
      await store.close();
    }
    const [ahead, here] = reports.map((r) => r.files[0]!);
    expect(ahead!.status).toBe('failed');
    expect(ahead!.error).toEqual(here!.error);
    expect(ahead!.error!.message).toMatch(/authorization-details\.json:\d+:\d+: invalid JSON/);
  });
});
