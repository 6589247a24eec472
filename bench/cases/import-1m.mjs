// Import of 1,000,000 generated identities into SQLite through `warden import` (Warden NDJSON,
// streamed), next to a plain better-sqlite3 INSERT loop of the same rows in the same run.
// Goals (issue 2): under 60 s and 1.5 GB peak memory on the 2-core machine.
import { createWriteStream, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import Database from 'better-sqlite3';

const N = Number(process.env.BENCH_IMPORT_N ?? 1_000_000);
const PROVIDERS = ['aws', 'gcp', 'azure', 'github', 'openai', 'kubernetes'];
const KINDS = [
  'access-key',
  'service-account',
  'oauth-app',
  'personal-access-token',
  'api-key',
  'service-account',
];

function row(i) {
  const p = i % PROVIDERS.length;
  return {
    record: 'identity',
    provider: PROVIDERS[p],
    nativeId: `${PROVIDERS[p]}:bench/${i.toString(36).padStart(6, '0')}`,
    kind: KINDS[p],
    name: `nhi-${i}`,
    account: `acct-${i % 97}`,
    ownerRef: `owner${i % 500}@bench.test`,
    createdAt: new Date(Date.UTC(2024, 0, 1) + (i % 700) * 86400e3).toISOString(),
    status: i % 13 === 0 ? 'inactive' : 'active',
    attributes: { tags: { team: `t${i % 40}` } },
  };
}

export default async function ({ dataDir, log }) {
  const file = path.join(dataDir, `identities-${N}.ndjson`);
  const out = createWriteStream(file);
  for (let i = 0; i < N; i++) {
    if (!out.write(JSON.stringify(row(i)) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  log(`generated ${file} (${Math.round(statSync(file).size / 2 ** 20)} MiB)`);

  const { Store } = await import('../../dist/store/index.js');
  const { importPaths, CONNECTORS } = await import('../../dist/connectors/index.js');
  const { loadConfig } = await import('../../dist/config/index.js');
  const db = path.join(dataDir, 'import-1m.db');
  for (const f of [db, db + '-wal', db + '-shm']) rmSync(f, { force: true });
  const config = loadConfig({ cwd: dataDir, flags: { database: db } });
  const store = await Store.open(db);
  const t0 = performance.now();
  const report = await importPaths({ store, config, connectors: CONNECTORS, paths: [file] });
  const wardenS = (performance.now() - t0) / 1000;
  const rssAfterWarden = Math.round(process.resourceUsage().maxRSS / 1024);
  const counts = await store.counts();
  await store.close();
  if (counts.identities !== N)
    throw new Error(`imported ${counts.identities} of ${N}: ${JSON.stringify(report.files[0])}`);
  log(`warden import: ${wardenS.toFixed(1)} s`);

  // Baseline: the same rows, parsed from the same file, one prepared INSERT per row in one transaction.
  const base = path.join(dataDir, 'baseline.db');
  for (const f of [base, base + '-wal', base + '-shm']) rmSync(f, { force: true });
  const sqlite = new Database(base);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec(`CREATE TABLE identities (id TEXT PRIMARY KEY, provider TEXT, native_id TEXT, kind TEXT, name TEXT, account TEXT,
    owner_ref TEXT, created_at TEXT, status TEXT, attributes TEXT, UNIQUE(provider, native_id))`);
  const ins = sqlite.prepare('INSERT INTO identities VALUES (?,?,?,?,?,?,?,?,?,?)');
  const { createInterface } = await import('node:readline');
  const { createReadStream } = await import('node:fs');
  const t1 = performance.now();
  sqlite.exec('BEGIN');
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file) })) {
    const r = JSON.parse(line);
    ins.run(
      `b${n++}`,
      r.provider,
      r.nativeId,
      r.kind,
      r.name,
      r.account,
      r.ownerRef,
      r.createdAt,
      r.status,
      JSON.stringify(r.attributes),
    );
  }
  sqlite.exec('COMMIT');
  const baseS = (performance.now() - t1) / 1000;
  sqlite.close();
  log(`baseline INSERT loop: ${baseS.toFixed(1)} s`);

  return {
    title: `Import of ${N.toLocaleString('en-US')} identities into SQLite`,
    command: 'npm run bench -- import-1m',
    rows: [
      {
        metric: 'warden import (NDJSON, streamed, soft history)',
        value: wardenS,
        unit: 's',
        goal: '< 60 s',
        peer: 'plain INSERT loop',
        peerValue: baseS,
      },
      {
        metric: 'warden import throughput',
        value: N / wardenS,
        unit: 'identities/s',
        peer: 'plain INSERT loop',
        peerValue: N / baseS,
      },
      { metric: 'peak RSS after warden import', value: rssAfterWarden, unit: 'MiB', goal: '< 1,536 MiB' },
    ],
  };
}
