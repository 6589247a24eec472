// Benchmark: `warden audit` end to end on a generated environment of 1,000,000 identities
// (100,000 AWS principals in an authorization-details export, 900,000 GCP service accounts in a
// `gcloud iam service-accounts list` export) and 10,000,000 usage events, on the 2-core machine.
// Goals (issue 5): under 5 minutes, peak memory under 4 GB. Everything goes through `runAudit` as
// `warden audit` runs it: the identity exports and a CloudTrail log tree of 10,000 gzipped files
// (1,000 records each) are read by the real connectors; the audit keeps the usage aggregate of the
// events (its default; `--keep-events` would store each event too). Peer measured in the same run:
// reading and JSON.parse of the same export files, the floor any importer pays.
// WARDEN_BENCH_SCALE=0.1 runs a scaled-down environment (labelled as such in the results).
import { mkdirSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { writeCloudTrailTree } from '../lib/cloudtrail-tree.mjs';

const SCALE = Number(process.env.WARDEN_BENCH_SCALE ?? '1');
const PRINCIPALS = Math.round(100_000 * SCALE);
const GCP = Math.round(900_000 * SCALE);
const EVENTS = Math.round(10_000_000 * SCALE);
const ACTIVE = Math.max(100, Math.round(10_000 * SCALE)); // principals with usage events
const AGENTS = Math.max(20, Math.round(1_000 * SCALE));
const ACCOUNT = '123456789012';
const NOW = '2026-06-01T00:00:00.000Z';

/** Deterministic PRNG (mulberry32), so every run audits the same environment. */
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

const POLICIES = [
  {
    name: 'AdministratorAccess',
    arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  },
  {
    name: 'app-data',
    arn: `arn:aws:iam::${ACCOUNT}:policy/app-data`,
    statement: [{ Effect: 'Allow', Action: ['s3:*', 'dynamodb:*', 'sqs:*'], Resource: '*' }],
  },
  {
    name: 'read-only',
    arn: `arn:aws:iam::${ACCOUNT}:policy/read-only`,
    statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 'dynamodb:GetItem'], Resource: '*' }],
  },
  {
    name: 'logs',
    arn: `arn:aws:iam::${ACCOUNT}:policy/logs`,
    statement: [
      { Effect: 'Allow', Action: ['logs:*', 'kms:Decrypt', 'sts:GetCallerIdentity'], Resource: '*' },
    ],
  },
];

async function writeJsonStream(file, head, count, item, tail) {
  const out = createWriteStream(file);
  let buf = head;
  for (let i = 0; i < count; i++) {
    buf += (i ? ',' : '') + JSON.stringify(item(i));
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.write(buf + tail);
  out.end();
  await once(out, 'finish');
}

function principalArn(i) {
  return i % 2 === 0 ? `arn:aws:iam::${ACCOUNT}:user/svc-${i}` : `arn:aws:iam::${ACCOUNT}:role/app/role-${i}`;
}

async function generate(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const r = rng(7);
  const date = (days) =>
    new Date(Date.parse(NOW) - days * 86_400_000).toISOString().replace('.000Z', '+00:00');
  const policyOf = (i) => POLICIES[i % 97 === 0 ? 0 : 1 + (i % 3)];
  // Users and roles interleaved: even = user, odd = role; 1 in 100 tagged with its agent and owner.
  const users = [];
  const roles = [];
  for (let i = 0; i < PRINCIPALS; i++) {
    const p = policyOf(i);
    const tags =
      i % 100 < 1
        ? [
            { Key: 'agent', Value: `agent-${i % AGENTS}` },
            { Key: 'owner', Value: `person-${i % 300}@acme.test` },
          ]
        : [];
    if (i % 2 === 0) {
      users.push({
        Path: '/',
        UserName: `svc-${i}`,
        UserId: `AIDA${String(i).padStart(17, '0')}`,
        Arn: principalArn(i),
        CreateDate: date(50 + (i % 900)),
        GroupList: [],
        AttachedManagedPolicies: [{ PolicyName: p.name, PolicyArn: p.arn }],
        UserPolicyList: [],
        Tags: tags,
      });
    } else {
      roles.push({
        Path: '/app/',
        RoleName: `role-${i}`,
        RoleId: `AROA${String(i).padStart(17, '0')}`,
        Arn: principalArn(i),
        CreateDate: date(50 + (i % 900)),
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
        InstanceProfileList: [],
        RolePolicyList: [],
        AttachedManagedPolicies: [{ PolicyName: p.name, PolicyArn: p.arn }],
        Tags: tags,
        RoleLastUsed: r() < 0.5 ? { LastUsedDate: date(1 + Math.floor(r() * 200)), Region: 'eu-west-1' } : {},
      });
    }
  }
  const policies = POLICIES.map((p, k) => ({
    PolicyName: p.name,
    PolicyId: `ANPA${String(k).padStart(17, '0')}`,
    Arn: p.arn,
    Path: '/',
    DefaultVersionId: 'v1',
    AttachmentCount: 1,
    IsAttachable: true,
    PolicyVersionList: [
      {
        Document: { Version: '2012-10-17', Statement: p.statement },
        VersionId: 'v1',
        IsDefaultVersion: true,
        CreateDate: date(1000),
      },
    ],
  }));
  writeFileSync(
    path.join(dir, 'aws-authorization-details.json'),
    JSON.stringify({ UserDetailList: users, GroupDetailList: [], RoleDetailList: roles, Policies: policies }),
  );
  users.length = 0;
  roles.length = 0;
  await writeJsonStream(
    path.join(dir, 'gcp-service-accounts.json'),
    '[',
    GCP,
    (i) => {
      const project = `proj-${i % 500}`;
      const email = `sa-${i}@${project}.iam.gserviceaccount.com`;
      return {
        email,
        name: `projects/${project}/serviceAccounts/${email}`,
        projectId: project,
        uniqueId: String(100000000000000000000n + BigInt(i)),
        oauth2ClientId: String(100000000000000000000n + BigInt(i)),
        displayName: `sa ${i}`,
        disabled: i % 50 === 0,
      };
    },
    ']',
  );
}

/**
 * The usage events: a CloudTrail log tree as delivered to S3, 1,000 records per file, by the active
 * principals (roles as assumed-role sessions, users with access keys; a few users also from a
 * browser), over the 59 days before NOW. Generated once and kept (a marker file), since writing ten
 * million records takes minutes.
 */
function writeTrail(dir) {
  writeCloudTrailTree({
    dir,
    files: Math.ceil(EVENTS / 1000),
    perFile: Math.min(1000, EVENTS),
    account: ACCOUNT,
    region: 'eu-west-1',
    start: Date.parse(NOW) - 60 * 86_400_000,
    spanMs: 59 * 86_400_000,
    rng: rng(11),
    principal: (r) => {
      const n = Math.floor(r() * ACTIVE);
      const role = n % 2 === 1;
      return {
        n,
        arn: principalArn(n),
        role,
        id: `${role ? 'AROA' : 'AIDA'}${String(n).padStart(17, '0')}`,
        browser: !role && n % 1000 === 2 && r() < 0.2,
      };
    },
  });
}

/** Wall time, process CPU time (all threads), peak RSS so far and live heap, per step. */
function meter() {
  const rows = [];
  let wall = performance.now();
  let cpu = process.cpuUsage();
  return {
    rows,
    /** Closes the step that ran since the last call. */
    lap(name) {
      const c = process.cpuUsage(cpu);
      const r = {
        name,
        wallS: (performance.now() - wall) / 1000,
        cpuS: (c.user + c.system) / 1e6,
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
        heapMiB: 0,
      };
      // WARDEN_BENCH_GC=1: a full collection before reading the heap, so it shows what each step
      // keeps alive (off by default: it adds collection time the audit would not spend).
      if (process.env.WARDEN_BENCH_GC) globalThis.gc?.();
      r.heapMiB = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
      rows.push(r);
      wall = performance.now();
      cpu = process.cpuUsage();
      return r;
    },
  };
}

export default async function ({ dataDir, log }) {
  const { openStore } = await import('../../dist/store/index.js');
  const { ConfigSchema } = await import('../../dist/config/index.js');
  const { runAudit, defaultAnalysers, writeReports } = await import('../../dist/audit/index.js');
  const dir = path.join(dataDir, 'audit-scale');
  const exportsDir = path.join(dir, 'exports');
  const reportsDir = path.join(dir, 'reports');
  log(
    `generating ${PRINCIPALS} AWS principals, ${GCP} GCP service accounts, ${EVENTS} events (scale ${SCALE})`,
  );
  let t = performance.now();
  await generate(exportsDir);
  const trailDir = path.join(dir, `cloudtrail-${EVENTS}`);
  writeTrail(trailDir);
  // The previous run's reports and database go before the clock starts (deleting gigabytes of old
  // files is not the audit's work).
  rmSync(reportsDir, { recursive: true, force: true });
  log(`generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // Peer: read and JSON.parse the same exports.
  t = performance.now();
  for (const f of ['aws-authorization-details.json', 'gcp-service-accounts.json'])
    JSON.parse(readFileSync(path.join(exportsDir, f), 'utf8'));
  const parseS = (performance.now() - t) / 1000;
  globalThis.gc?.();

  const dbFile = path.join(dir, 'warden.db');
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
  const store = await openStore(dbFile);
  const config = ConfigSchema.parse({});
  const start = performance.now();
  const m = meter();
  const show = (r) =>
    log(
      `${r.name}: ${r.wallS.toFixed(1)} s wall, ${r.cpuS.toFixed(1)} s CPU, peak RSS ${r.peakRssMiB} MiB, heap ${r.heapMiB} MiB`,
    );
  let lastStep = 'import';
  // When the CloudTrail files start and end being imported (they are one contiguous run of files).
  const trail = { first: 0, last: 0, files: 0 };
  const { doc, importReport } = await runAudit({
    store,
    config,
    paths: [exportsDir, trailDir],
    version: 'bench',
    now: NOW,
    analysers: defaultAnalysers(),
    onProgress: (step, detail) => {
      if (step === 'import' && detail?.includes('_CloudTrail_')) {
        const t = performance.now();
        if (!trail.first) trail.first = t;
        trail.last = t;
        trail.files++;
      }
      if (step === lastStep) return;
      show(m.lap(`audit step: ${lastStep}`));
      lastStep = step;
    },
  });
  show(m.lap(`audit step: ${lastStep}`));
  const formats = ['json', 'html', 'sarif', 'ocsf', 'csv'];
  for (const format of formats) {
    writeReports(doc, reportsDir, [format]);
    show(m.lap(`report file: ${format}`));
  }
  const totalS = (performance.now() - start) / 1000;
  const totalCpuS = m.rows.reduce((n, r) => n + r.cpuS, 0);
  await store.close();
  const label = SCALE === 1 ? '' : ` (scaled down x${SCALE})`;
  const events = importReport.files
    .filter((f) => f.format === 'aws-cloudtrail')
    .reduce((n, f) => n + (f.counts?.event ?? 0), 0);
  const trailS = (trail.last - trail.first) / 1000;
  return {
    title: `Audit end to end: ${doc.summary.identities.toLocaleString('en-US')} identities, ${PRINCIPALS.toLocaleString('en-US')} AWS principals, ${EVENTS.toLocaleString('en-US')} usage events${label}`,
    command: `WARDEN_BENCH_SCALE=${SCALE} node bench/run.mjs audit-scale`,
    rows: [
      {
        metric: 'total: import (exports and CloudTrail files) + analysis + reports',
        value: totalS,
        unit: 's',
        goal: SCALE === 1 ? '< 300' : '',
        peer: 'read + JSON.parse of the exports',
        peerValue: parseS,
        note: `${totalCpuS.toFixed(0)} s CPU${label}`,
      },
      {
        metric: 'CloudTrail events read from log files (part of the import step)',
        value: events,
        unit: 'events',
        note: `${trail.files} files in ${trailS.toFixed(1)} s: ${Math.round(events / trailS).toLocaleString('en-US')} events/s`,
      },
      ...m.rows.map((r) => ({
        metric: r.name,
        value: r.wallS,
        unit: 's',
        note: `${r.cpuS.toFixed(1)} s CPU; peak RSS so far ${r.peakRssMiB} MiB; heap after ${r.heapMiB} MiB`,
      })),
      {
        metric: 'findings',
        value: doc.findings.length,
        unit: '',
        note: `${doc.escalations.length} escalations, ${doc.leastPrivilege.length} least-privilege policies`,
      },
    ],
  };
}
