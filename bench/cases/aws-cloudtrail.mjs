// CloudTrail ingestion: events per second parsing with the AWS connector (parse-only) and end to
// end into SQLite through importPaths, with raw events and with the usage aggregate only (files read
// by the CloudTrail worker pool, as `warden audit` does; CPU time counts every thread),
// against a bare read + gunzip + JSON.parse of the same files in the same run; CPU per event by
// stage; and memory (heap, RSS) as the input grows (1x vs 4x files).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { writeCloudTrailTree } from '../lib/cloudtrail-tree.mjs';

const RECORDS_PER_FILE = 1000;
const FILES_SMALL = 50;
const FILES_LARGE = 200;
/** Events of the long usage-only run (1,000 per file): long enough that thread start-up is noise. */
const EVENTS_LONG = Number(process.env.CLOUDTRAIL_BENCH_LONG ?? 1_000_000);

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const id = (r, p) => p.join('') + Array.from({ length: 16 }, () => B32[Math.floor(r() * 32)]).join('');
const hex = (r, n) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
const uuid = (r) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;

/** A record with the fields of the documented CloudTrail record contents. */
function record(r, account, t) {
  const kind = r();
  const names = [
    'GetObject',
    'PutObject',
    'ListBuckets',
    'GetSecretValue',
    'Invoke',
    'DescribeInstances',
    'AssumeRole',
    'GetCallerIdentity',
  ];
  const sources = ['s3', 's3', 's3', 'secretsmanager', 'lambda', 'ec2', 'sts', 'sts'];
  const k = Math.floor(r() * names.length);
  let userIdentity;
  if (kind < 0.55) {
    const role = `agent-role-${Math.floor(r() * 200)}`;
    const rid = id(r, ['AR', 'OA']);
    userIdentity = {
      type: 'AssumedRole',
      principalId: `${rid}:session-${Math.floor(r() * 50)}`,
      arn: `arn:aws:sts::${account}:assumed-role/${role}/session-${Math.floor(r() * 50)}`,
      accountId: account,
      accessKeyId: id(r, ['AS', 'IA']),
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: rid,
          arn: `arn:aws:iam::${account}:role/service-role/${role}`,
          accountId: account,
          userName: role,
        },
        webIdFederationData: {},
        attributes: { creationDate: t, mfaAuthenticated: 'false' },
      },
    };
  } else if (kind < 0.9) {
    const user = `svc-user-${Math.floor(r() * 500)}`;
    userIdentity = {
      type: 'IAMUser',
      principalId: id(r, ['AI', 'DA']),
      arn: `arn:aws:iam::${account}:user/${user}`,
      accountId: account,
      accessKeyId: id(r, ['AK', 'IA']),
      userName: user,
    };
  } else {
    userIdentity = { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' };
  }
  const rec = {
    eventVersion: '1.09',
    userIdentity,
    eventTime: t,
    eventSource: `${sources[k]}.amazonaws.com`,
    eventName: names[k],
    awsRegion: 'eu-west-1',
    sourceIPAddress: `198.51.100.${Math.floor(r() * 250)}`,
    userAgent:
      r() < 0.5
        ? 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.ubuntu.22 prompt/off command/s3.cp'
        : 'Boto3/1.34.10 md/Botocore#1.34.10 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.1 cfg/retry-mode#legacy Botocore/1.34.10',
    requestParameters:
      sources[k] === 's3'
        ? {
            bucketName: `data-${Math.floor(r() * 20)}`,
            key: `path/to/object-${hex(r, 6)}.json`,
            Host: 's3.eu-west-1.amazonaws.com',
          }
        : { maxResults: 50 },
    responseElements: null,
    additionalEventData: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': hex(r, 40),
      bytesTransferredOut: 512,
    },
    requestID: hex(r, 16).toUpperCase(),
    eventID: uuid(r),
    readOnly: k !== 1,
    resources:
      sources[k] === 's3'
        ? [
            { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::data-${Math.floor(r() * 20)}/path` },
            { accountId: account, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::data' },
          ]
        : undefined,
    eventType: 'AwsApiCall',
    managementEvent: sources[k] !== 's3',
    recipientAccountId: account,
    eventCategory: sources[k] === 's3' ? 'Data' : 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: 's3.eu-west-1.amazonaws.com',
    },
  };
  if (r() < 0.03) {
    rec.errorCode = 'AccessDenied';
    rec.errorMessage = 'User is not authorized to perform this operation';
  }
  return rec;
}

function generate(dir, files, seed) {
  const marker = path.join(dir, '.complete');
  if (existsSync(marker)) return;
  rmSync(dir, { recursive: true, force: true });
  const r = rng(seed);
  const account = '123456789012';
  for (let f = 0; f < files; f++) {
    const base = Date.UTC(2026, 10, 1) + f * 300_000;
    const d = new Date(base).toISOString();
    const recs = [];
    for (let i = 0; i < RECORDS_PER_FILE; i++)
      recs.push(record(r, account, new Date(base + i * 300).toISOString().replace(/\.\d{3}Z$/, 'Z')));
    const rel = `AWSLogs/${account}/CloudTrail/eu-west-1/${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/${account}_CloudTrail_eu-west-1_${d.slice(0, 16).replace(/[-:]/g, '')}Z_${String(f).padStart(16, '0')}.json.gz`;
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), gzipSync(JSON.stringify({ Records: recs }), { level: 6 }));
  }
  writeFileSync(marker, '');
}

function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json.gz')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** CPU seconds of this process's main thread (Linux), or NaN. */
function mainThreadCpu() {
  try {
    const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

/**
 * Child mode (`--one-core <tree> <db>`, run under `taskset -c 0`): the usage-only import of a log
 * tree as `warden audit` runs it, in a process that may use one core only (its CloudTrail pool then
 * has one reader thread, sharing the core with the import loop). Prints wall and CPU seconds.
 */
if (process.argv[2] === '--one-core-bare') {
  // The peer under the same pin: read, gunzip and JSON.parse every file of the tree.
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let n = 0;
  for (const f of listFiles(process.argv[3]))
    n += JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')).Records.length;
  const c = process.cpuUsage(c0);
  console.log(
    JSON.stringify({ n, s: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, main: null }),
  );
  process.exit(0);
}
if (process.argv[2] === '--one-core') {
  const [root, db] = process.argv.slice(3);
  const { importPaths, CONNECTORS } = await import('../../dist/connectors/index.js');
  const { ConfigSchema } = await import('../../dist/config/index.js');
  const { openStore } = await import('../../dist/store/index.js');
  for (const x of ['', '-wal', '-shm']) rmSync(db + x, { force: true });
  const store = await openStore(db);
  const m0 = mainThreadCpu();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const rep = await importPaths({
    store,
    config: ConfigSchema.parse({}),
    connectors: CONNECTORS,
    paths: [root],
    rawEvents: false,
  });
  const s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const n = rep.files.reduce((k, f) => k + (f.counts?.event ?? 0), 0);
  const keys = await store.db
    .selectFrom('usage')
    .select((e) => e.fn.countAll().as('n'))
    .executeTakeFirst();
  await store.close();
  console.log(
    JSON.stringify({
      n,
      s,
      cpu: (c.user + c.system) / 1e6,
      main: mainThreadCpu() - m0,
      keys: Number(keys?.n),
    }),
  );
  process.exit(0);
}

/**
 * Runs the usage-only import of `root` pinned to one core (or, `bare`, the JSON.parse peer), `runs`
 * times; undefined without taskset.
 */
function oneCore(root, db, runs, log, bare = false) {
  const out = [];
  for (let k = 0; k < runs; k++) {
    const args = [fileURLToPath(import.meta.url), bare ? '--one-core-bare' : '--one-core', root, db];
    const child = spawnSync('taskset', ['-c', '0', process.execPath, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (child.error || child.status !== 0) {
      log(`one-core run not possible: ${child.error?.message ?? `exit ${child.status}`}`);
      return undefined;
    }
    const r = JSON.parse(child.stdout.trim().split('\n').at(-1));
    log(
      `one core${bare ? ', bare JSON.parse' : ''} #${k + 1}: ${r.n} events in ${r.s.toFixed(2)} s = ${Math.round(r.n / r.s)}/s; CPU ${r.cpu.toFixed(2)} s (main thread ${r.main === null ? 'n/a' : `${r.main.toFixed(2)} s`})`,
    );
    out.push(r);
  }
  return out;
}

export default async function ({ dataDir, log }) {
  const { cloudTrailConnector } = await import('../../dist/connectors/aws/cloudtrail-connector.js');
  const { scanTrailFile } = await import('../../dist/connectors/aws/cloudtrail-scan.js');
  const { Gunzipper } = await import('../../dist/connectors/aws/cloudtrail-gunzip.js');
  const { wasmScannerBuilt } = await import('../../dist/connectors/aws/cloudtrail-scan-wasm.js');
  if (!wasmScannerBuilt()) throw new Error('dist/wasm/cloudtrail-scan.wasm is missing: run npm run build');
  const { SourceFile, importPaths, CONNECTORS } = await import('../../dist/connectors/index.js');
  const { ConfigSchema } = await import('../../dist/config/index.js');
  const { openStore } = await import('../../dist/store/index.js');
  const config = ConfigSchema.parse({
    links: { patterns: [{ match: '^session-1$', agent: 'bench-agent' }] },
  });
  const ctx = { config, salt: 'bench', now: new Date().toISOString(), configOwners: new Map() };

  const small = path.join(dataDir, 'cloudtrail-1x');
  const large = path.join(dataDir, 'cloudtrail-4x');
  log('generating CloudTrail files');
  generate(small, FILES_SMALL, 1);
  generate(large, FILES_LARGE, 2);
  const smallFiles = listFiles(small);
  const largeFiles = listFiles(large);
  const bytes = largeFiles.reduce((n, f) => n + statSync(f).size, 0);
  const MiB = 2 ** 20;

  const cpuS = (c0) => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6;
  };
  /** Runs `f` and returns its wall and CPU seconds with its result. */
  const timed = async (f) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const out = await f();
    return { ...out, s: (performance.now() - t0) / 1000, cpu: cpuS(c0) };
  };
  const bare = () => {
    global.gc?.();
    return timed(() => {
      let n = 0;
      for (const f of largeFiles)
        n += JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')).Records.length;
      return { n };
    });
  };
  /** Parse-only through the connector; samples heap after each file. */
  const parse = (files, root) => {
    global.gc?.();
    return timed(async () => {
      let n = 0;
      let peakHeap = 0;
      for (const f of files) {
        const sf = new SourceFile(f, root);
        for await (const item of cloudTrailConnector.read(sf, ctx)) if (item.type === 'event') n++;
        sf.release();
        const h = process.memoryUsage().heapUsed;
        if (h > peakHeap) peakHeap = h;
      }
      return { n, peakHeapMiB: peakHeap / MiB };
    });
  };
  /** Stages of the parse alone, for the per-event CPU breakdown. */
  const gunzipper = new Gunzipper();
  const stages = () => {
    const st = { read: 0, gunzip: 0, scan: 0, scanJs: 0, n: 0 };
    for (const f of largeFiles) {
      let c0 = process.cpuUsage();
      const raw = readFileSync(f);
      st.read += cpuS(c0);
      c0 = process.cpuUsage();
      const buf = gunzipper.gunzip(raw);
      st.gunzip += cpuS(c0);
      c0 = process.cpuUsage();
      st.n += scanTrailFile(buf).length;
      st.scan += cpuS(c0);
      c0 = process.cpuUsage();
      scanTrailFile(buf, 'js');
      st.scanJs += cpuS(c0);
    }
    return st;
  };

  // Warden's paths first and the bare JSON.parse peer last, in the same process: the peer leaves
  // a full object tree per file behind, and whatever ran after it here was up to 50% slower even
  // after a forced GC (measured while writing this case), which would charge the peer's cost to us.
  await parse(smallFiles, small);
  let p = { s: Infinity, cpu: Infinity };
  let events = 0;
  let heapLarge = 0;
  for (let i = 0; i < 3; i++) {
    const pi = await parse(largeFiles, large);
    p = { s: Math.min(p.s, pi.s), cpu: Math.min(p.cpu, pi.cpu) };
    events = pi.n;
    heapLarge = Math.max(heapLarge, pi.peakHeapMiB);
  }
  const heapSmall = (await parse(smallFiles, small)).peakHeapMiB;
  let st = stages();
  for (let i = 0; i < 2; i++) {
    const x = stages();
    for (const k of Object.keys(st)) if (k !== 'n') st[k] = Math.min(st[k], x[k]);
  }
  const us = (cpu, n = events) => (cpu * 1e6) / n;

  const freshDb = (name) => {
    const db = path.join(dataDir, `${name}.db`);
    for (const x of ['', '-wal', '-shm']) rmSync(db + x, { force: true });
    return db;
  };
  /** End to end into SQLite through importPaths (detection, one transaction per file, derived links). */
  const e2e = async (root, name) => {
    const store = await openStore(freshDb(name));
    global.gc?.();
    const m0 = process.memoryUsage();
    let peakRss = m0.rss;
    let peakHeap = m0.heapUsed;
    const r = await timed(async () => {
      const rep = await importPaths({
        store,
        config,
        connectors: CONNECTORS,
        paths: [root],
        onFile: () => {
          const m = process.memoryUsage();
          peakRss = Math.max(peakRss, m.rss);
          peakHeap = Math.max(peakHeap, m.heapUsed);
        },
      });
      return { n: rep.files.reduce((k, f) => k + (f.counts?.event ?? 0), 0) };
    });
    await store.close();
    return { ...r, rssGrowthMiB: (peakRss - m0.rss) / MiB, heapGrowthMiB: (peakHeap - m0.heapUsed) / MiB };
  };
  /** End to end through importPaths with only the usage aggregate kept (`warden import --usage-only`). */
  const aggregateOnly = async (root, name) => {
    const store = await openStore(freshDb(name));
    const r = await timed(async () => {
      const rep = await importPaths({
        store,
        config,
        connectors: CONNECTORS,
        paths: [root],
        rawEvents: false,
      });
      return { n: rep.files.reduce((k, f) => k + (f.counts?.event ?? 0), 0) };
    });
    await store.close();
    return r;
  };
  const e1 = await e2e(small, 'ct-1x');
  const e4 = await e2e(large, 'ct-4x');
  log(`end to end 1x ${Math.round(e1.n / e1.cpu)}/CPU-s, 4x ${Math.round(e4.n / e4.cpu)}/CPU-s`);
  const agg = await aggregateOnly(large, 'ct-agg');
  // The same over a tree of EVENTS_LONG events (as `warden audit` reads logs), then its files read
  // and summed by one reader thread alone: the one-core figure of the usage-only path.
  const long = path.join(dataDir, `cloudtrail-long-${EVENTS_LONG}`);
  log(`generating ${EVENTS_LONG} events for the long usage-only run`);
  writeLongTree(long);
  const aggLong = await aggregateOnly(long, 'ct-agg-long');
  log(`usage only, ${aggLong.n} events: ${Math.round(aggLong.n / aggLong.s)}/s`);
  const { TrailPool } = await import('../../dist/connectors/aws/index.js');
  const oneThread = await timed(async () => {
    const files = listFiles(long).map((f) => ({ path: f, root: long, name: path.basename(f) }));
    const pool = TrailPool.start(files, { config, salt: 'bench', now: ctx.now, counted: [] }, 1);
    let n = 0;
    for (let i = 0; i < files.length; i++) n += (await pool.result(i)).result?.events ?? 0;
    const rows = await pool.drain();
    await pool.close();
    return { n, keys: rows.reduce((k, r) => k + r.usage.length + r.agents.length, 0) };
  });
  // The same import pinned to one core (taskset), and the bare peer under the same pin, one run of
  // each in turn: this VM's speed drifts by a third over minutes, and turns keep each pair close.
  let pinned = [];
  let pinnedBare = [];
  for (let k = 0; k < 3; k++) {
    const ours = oneCore(long, path.join(dataDir, 'ct-one-core.db'), 1, log);
    const peer = ours && oneCore(long, '', 1, log, true);
    if (!ours || !peer) {
      pinned = pinnedBare = undefined;
      break;
    }
    pinned.push(...ours);
    pinnedBare.push(...peer);
  }
  await bare();
  let b = { s: Infinity, cpu: Infinity };
  for (let i = 0; i < 3; i++) {
    const bi = await bare();
    b = { s: Math.min(b.s, bi.s), cpu: Math.min(b.cpu, bi.cpu) };
  }
  log(
    `bare ${Math.round(events / b.s)}/s (${Math.round(events / b.cpu)}/CPU-s), connector ${Math.round(events / p.s)}/s (${Math.round(events / p.cpu)}/CPU-s)`,
  );
  const storeUs = us(e4.cpu, e4.n) - us(p.cpu);

  const row = (metric, value, unit, extra = {}) => ({
    metric,
    value,
    unit,
    goal: '',
    peer: '',
    peerValue: '',
    note: '',
    ...extra,
  });
  const peer = { peer: 'bare gunzip + JSON.parse', peerValue: events / b.s };
  const peerCpu = { peer: 'bare gunzip + JSON.parse', peerValue: events / b.cpu };
  return {
    title: 'AWS CloudTrail ingestion',
    command: 'node bench/run.mjs aws-cloudtrail',
    rows: [
      row('parse-only (connector read, gunzip included)', events / p.s, 'events/s', {
        goal: '>= 100,000',
        ...peer,
        note: `${events} events in ${largeFiles.length} files, ${Math.round(bytes / MiB)} MiB gzip; best of 3`,
      }),
      row('parse-only per CPU-second (one core)', events / p.cpu, 'events/CPU-s', {
        goal: '>= 100,000',
        ...peerCpu,
        note: 'process CPU time: the one-core figure on a shared, loaded machine',
      }),
      row('parse-only / bare JSON.parse (CPU time)', b.cpu / p.cpu, 'ratio', {
        goal: '>= 0.5',
        note: `wall-time ratio ${(b.s / p.s).toFixed(2)}`,
      }),
      row('end to end into SQLite (importPaths), raw events, 4x input', e4.n / e4.s, 'events/s', {
        goal: '>= 100,000',
        ...peer,
        note: `${e4.n} events, ${e4.s.toFixed(1)} s`,
      }),
      row('end to end into SQLite per CPU-second, raw events, 4x input', e4.n / e4.cpu, 'events/CPU-s', {
        goal: '>= 100,000',
        ...peerCpu,
        note: `CPU ${e4.cpu.toFixed(1)} s`,
      }),
      row('end to end into SQLite, raw events, 1x input', e1.n / e1.s, 'events/s', {
        note: `${e1.n} events, ${Math.round(e1.n / e1.cpu)} events/CPU-s`,
      }),
      row(
        'end to end into SQLite, usage aggregate only (importPaths rawEvents: false, worker pool), 4x input',
        agg.n / agg.s,
        'events/s',
        {
          goal: '>= 100,000',
          ...peer,
          note: `${Math.round(agg.n / agg.cpu)} events/CPU-s`,
        },
      ),
      row('end to end, usage aggregate only, per CPU-second (all threads)', agg.n / agg.cpu, 'events/CPU-s', {
        goal: '>= 100,000',
        ...peerCpu,
      }),
      row(
        `end to end into SQLite, usage aggregate only, ${EVENTS_LONG.toLocaleString('en-US')} events (worker pool)`,
        aggLong.n / aggLong.s,
        'events/s',
        {
          goal: '>= 100,000',
          ...peer,
          note: `${Math.round(aggLong.n / aggLong.cpu)} events/CPU-s (all threads), ${aggLong.s.toFixed(1)} s`,
        },
      ),
      row(
        `read + usage tally in one reader thread, ${EVENTS_LONG.toLocaleString('en-US')} events`,
        oneThread.n / oneThread.cpu,
        'events/CPU-s',
        {
          goal: '>= 100,000',
          ...peerCpu,
          note: `${Math.round(oneThread.n / oneThread.s)} events/s wall; ${oneThread.keys} usage keys; all but the final SQLite write`,
        },
      ),
      ...(pinned && pinnedBare
        ? (() => {
            const medianOf = (runs) =>
              runs.map((r) => r.n / r.s).sort((x, y) => x - y)[Math.floor(runs.length / 2)];
            const median = medianOf(pinned);
            const peerRate = medianOf(pinnedBare);
            const ratios = pinned.map((r, k) => r.n / r.s / (pinnedBare[k].n / pinnedBare[k].s));
            return [
              row(
                `end to end into SQLite, usage only (as warden audit), ${EVENTS_LONG.toLocaleString('en-US')} events, pinned to one core (taskset -c 0), median of ${pinned.length}`,
                median,
                'events/s',
                {
                  goal: '>= 100,000',
                  peer: 'bare gunzip + JSON.parse, pinned the same (median of its runs, one after each of ours)',
                  peerValue: peerRate,
                  note: `runs: ${pinned.map((r) => Math.round(r.n / r.s)).join(', ')} events/s; peer ${pinnedBare.map((r) => Math.round(r.n / r.s)).join(', ')}; each run over the peer run after it ${ratios.map((x) => x.toFixed(2)).join(', ')}x; CPU ${pinned.map((r) => r.cpu.toFixed(1)).join(', ')} s (main thread ${pinned.map((r) => r.main.toFixed(1)).join(', ')} s); ${pinned[0].keys} usage rows; ${(median / peerRate).toFixed(2)}x the peer`,
                },
              ),
            ];
          })()
        : []),
      row('CPU per event: read file', us(st.read, st.n), 'µs', { note: 'stages measured alone, best of 3' }),
      row('CPU per event: gunzip', us(st.gunzip, st.n), 'µs'),
      row('CPU per event: scan (validate + extract, WebAssembly)', us(st.scan, st.n), 'µs', {
        peer: 'the JavaScript scanner on the same bytes',
        peerValue: us(st.scanJs, st.n),
      }),
      row('CPU per event: connector read in all', us(p.cpu), 'µs', {
        note: 'incl. the above, records -> events, async iteration',
      }),
      row('CPU per event: store (session, SQLite, commit), raw events', storeUs, 'µs', {
        note: 'end to end minus connector read (log files are recognised by name: no detection read)',
      }),
      row('CPU per event: store, usage only', us(agg.cpu, agg.n) - us(p.cpu), 'µs', {
        note: 'end to end (all threads) minus connector read: tally, worker messages, SQLite',
      }),
      row('CPU per event: bare gunzip + JSON.parse', us(b.cpu), 'µs'),
      row('peak heap while parsing, 1x input', heapSmall, 'MiB', {
        goal: 'flat',
        note: `${FILES_SMALL} files`,
      }),
      row('peak heap while parsing, 4x input', heapLarge, 'MiB', {
        goal: 'flat',
        note: `${FILES_LARGE} files`,
      }),
      row('heap growth end to end, 1x input', e1.heapGrowthMiB, 'MiB', { goal: 'flat' }),
      row('heap growth end to end, 4x input', e4.heapGrowthMiB, 'MiB', { goal: 'flat' }),
      row('RSS growth end to end, 1x input', e1.rssGrowthMiB, 'MiB', { goal: 'flat' }),
      row('RSS growth end to end, 4x input', e4.rssGrowthMiB, 'MiB', {
        goal: 'flat',
        note: 'includes SQLite page cache (cache_size 64 MiB)',
      }),
    ],
  };
}

/** A delivered-to-S3 log tree of EVENTS_LONG records: 200 assumed roles and 50 IAM users. */
function writeLongTree(dir) {
  const account = '123456789012';
  writeCloudTrailTree({
    dir,
    files: Math.ceil(EVENTS_LONG / 1000),
    perFile: Math.min(1000, EVENTS_LONG),
    account,
    region: 'us-east-1',
    start: Date.parse('2026-10-01T00:00:00Z'),
    spanMs: 30 * 86_400_000,
    rng: rng(5),
    principal: (r) => {
      const n = Math.floor(r() * 250);
      const role = n < 200;
      return {
        n,
        arn: role
          ? `arn:aws:iam::${account}:role/agents/agent-${n}`
          : `arn:aws:iam::${account}:user/svc/user-${n}`,
        role,
        id: `${role ? 'AROA' : 'AIDA'}${String(n).padStart(17, '0')}`,
        browser: !role && n % 10 === 0 && r() < 0.2,
      };
    },
  });
}
