// Benchmark: the access graph at enterprise scale. Generates 5,000,000 nodes and 15,000,000 edges
// with the GraphBuilder (agents -> identities -> roles -> resources, role chains), reports build
// time and memory (bytes of the typed arrays and string tables, and process RSS), and the blast
// radius of agents (goal: under 50 ms each).
// Peer, same run: the naive layout (one JS object per edge in adjacency arrays, a Map from native id
// to node) that the compact arrays replace, built from the same generator at PEER_SCALE of the size
// (default 1/5: at full size it needs several GiB and many minutes on the 2-core machine) and
// queried the same way; its memory is reported as measured and per edge.
// The first query of a process is measured apart, in fresh child processes (FRESH_RUNS of them,
// each on another agent): each builds the same graph and runs one query the way `warden
// blast-radius <agent>` does after loading its graph (resolveNode, then analyseAgent with the
// command's default limit), with no warm-up (the build itself ends with a full collection, see
// GraphBuilder.build); wall and CPU time of the process, CPU time of its main thread (Linux: the
// rest is V8's compiler and collector threads, which a second core runs alongside), and the
// time to write the result as JSON as the CLI does are reported.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const NODES = Number(process.env.WARDEN_BENCH_GRAPH_NODES ?? 5_000_000);
const EDGES = Number(process.env.WARDEN_BENCH_GRAPH_EDGES ?? 15_000_000);
const PEER_SCALE = Number(process.env.WARDEN_BENCH_GRAPH_PEER_SCALE ?? 0.2);
const QUERIES = 100;
const FRESH_RUNS = Number(process.env.WARDEN_BENCH_FRESH_RUNS ?? 5);

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

/** The same deterministic graph for both layouts: calls node(key, kind, sens) and edge(from, to, kind, level). */
function generate(node, edge, scale = 1) {
  const NODES_ = Math.round(NODES * scale);
  const EDGES_ = Math.round(EDGES * scale);
  const r = rng(20261126);
  const agents = Math.round(NODES_ * 0.01);
  const roles = Math.round(NODES_ * 0.01);
  const identities = Math.round(NODES_ * 0.28);
  const resources = NODES_ - agents - roles - identities;
  const acct = (i) => String(100000000000 + (i % 500));
  const A = 0;
  const R = agents;
  const I = R + roles;
  const S = I + identities;
  for (let i = 0; i < agents; i++) node(`agent-${i}`, 'agent', undefined);
  for (let i = 0; i < roles; i++)
    node(`arn:aws:iam::${acct(i)}:role/service-role/role-${i}`, 'identity', undefined);
  for (let i = 0; i < identities; i++)
    node(`arn:aws:iam::${acct(i)}:user/svc/user-${i}`, 'identity', undefined);
  const SENS = ['low', 'medium', 'high', 'critical'];
  for (let i = 0; i < resources; i++)
    node(`arn:aws:s3:::bucket-${acct(i)}-${i}/data`, 'resource', SENS[i & 3]);
  const LEVELS = ['read', 'read', 'write', 'admin'];
  let m = 0;
  const int = (n) => Math.floor(r() * n);
  // Each agent uses 3 identities; identities assume roles; roles chain to roles.
  for (let a = 0; a < agents; a++)
    for (let k = 0; k < 3; k++, m++) edge(A + a, I + int(identities), 'uses', undefined);
  for (let i = 0; i < identities * 0.7; i++, m++)
    edge(I + int(identities), R + int(roles), 'can-assume', undefined);
  for (let i = 0; i < roles; i++, m++) edge(R + i, R + int(roles), 'can-assume', undefined);
  // The rest: permissions of identities and roles on resources.
  while (m < EDGES_) {
    const from = r() < 0.9 ? I + int(identities) : R + int(roles);
    edge(from, S + int(resources), 'has-permission', LEVELS[int(4)]);
    m++;
  }
  return { agents, A };
}

/** The compact graph of the generator, built with the GraphBuilder. */
async function buildGraph() {
  const { GraphBuilder } = await import('../../dist/graph/index.js');
  const b = new GraphBuilder({ expectedNodes: NODES, expectedEdges: EDGES });
  const shape = generate(
    (key, kind, sensitivity) =>
      b.addNode(sensitivity ? { key, kind, provider: 'aws', sensitivity } : { key, kind, provider: 'aws' }),
    (from, to, kind, level) => b.addEdge(from, to, kind, level ? { level } : undefined),
  );
  return { graph: b.build(), shape };
}

/**
 * Child mode: build the graph, then one query exactly as `warden blast-radius <agent>` runs it
 * once its graph is loaded (src/cli/commands/blast-radius.ts): resolve the name, analyseAgent
 * with the command's default limit (10,000). Prints its wall and CPU time as JSON.
 */
async function freshQuery(agentIndex) {
  const { analyseAgent, writeReachedJson } = await import('../../dist/graph/index.js');
  const { resolveNode } = await import('../../dist/cli/commands/blast-radius.js');
  const { graph } = await buildGraph();
  const main0 = mainThreadMs();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const node = resolveNode(graph, `agent-${agentIndex}`);
  const agent = analyseAgent(graph, node, { limit: 10000 });
  const ms = performance.now() - t0;
  const cu = process.cpuUsage(cpu0);
  const mainMs = mainThreadMs() - main0;
  // The result as `warden blast-radius --format json` writes it (writeReachedJson, in chunks, to a
  // file: /dev/null here), then the same value through JSON.stringify, the way it was written
  // before, for comparison (same text: the unit tests check it).
  const out = { ...agent.blastRadius, invokers: agent.invokers, confusedDeputies: agent.confusedDeputies };
  const fd = fs.openSync('/dev/null', 'w');
  let t1 = performance.now();
  let jsonBytes = 0;
  writeReachedJson(out, (chunk) => {
    jsonBytes += chunk.length;
    fs.writeSync(fd, chunk);
  });
  fs.writeSync(fd, '\n');
  const jsonMs = performance.now() - t1;
  t1 = performance.now();
  fs.writeSync(fd, JSON.stringify(out, null, 2) + '\n');
  const stringifyMs = performance.now() - t1;
  fs.closeSync(fd);
  process.stdout.write(
    JSON.stringify({
      ms,
      cpuMs: (cu.user + cu.system) / 1000,
      mainMs,
      jsonMs,
      stringifyMs,
      jsonBytes,
      resources: agent.blastRadius.summary.resources,
    }) + '\n',
  );
}

/** CPU time of this process's main thread in ms (Linux schedstat, ns resolution), else NaN. */
function mainThreadMs() {
  try {
    return Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

if (process.argv[2] === '--fresh-query') {
  await freshQuery(Number(process.argv[3]));
  process.exit(0);
}

function freshRows(fresh, how) {
  if (fresh.length === 0) return [];
  const byMs = [...fresh].sort((x, y) => x.ms - y.ms);
  const byCpu = [...fresh].sort((x, y) => x.cpuMs - y.cpuMs);
  const byMain = [...fresh].sort((x, y) => x.mainMs - y.mainMs);
  const list = (k) => fresh.map((f) => f[k].toFixed(1)).join(', ');
  return [
    {
      metric: `first query in a fresh process (as warden blast-radius${how}), median of ${fresh.length}`,
      value: byMs[Math.floor(byMs.length / 2)].ms,
      unit: 'ms',
      goal: '< 50 ms',
      note: `wall, each process: ${list('ms')} ms (${fresh.map((f) => f.resources).join(', ')} resources); resolveNode + analyseAgent, limit 10,000; writing the result as JSON the CLI's way (${fresh.map((f) => (f.jsonBytes / 1e6).toFixed(1)).join(', ')} MB, to /dev/null) took ${list('jsonMs')} ms more (JSON.stringify then write: ${list('stringifyMs')} ms)`,
    },
    {
      metric: `first query in a fresh process${how}, CPU time, median of ${fresh.length}`,
      value: byCpu[Math.floor(byCpu.length / 2)].cpuMs,
      unit: 'ms',
      note: `CPU time of the process, each process: ${list('cpuMs')} ms; it counts V8's compiler and collector threads, which run beside the query on the other core (the query's own time is the main thread's, next row)`,
    },
    {
      metric: `first query in a fresh process${how}, CPU time of the main thread, median of ${fresh.length}`,
      value: byMain[Math.floor(byMain.length / 2)].mainMs,
      unit: 'ms',
      goal: '< 50 ms',
      note: `each process: ${list('mainMs')} ms; wall minus this is time the thread waited for a core (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`,
    },
  ];
}

/**
 * FRESH_RUNS child processes, one query each (sequential: one build in memory at a time), on the
 * agents this process queries first (the same seeded draw), so the two are comparable. `flags`
 * are node's (`--expose-gc` lets the build end with a full collection, see GraphBuilder.build).
 */
function freshQueries(agents, log, flags = []) {
  const r = rng(7);
  const out = [];
  for (let k = 0; k < FRESH_RUNS; k++) {
    const agent = Math.floor(r() * agents);
    const child = spawnSync(
      process.execPath,
      [...flags, fileURLToPath(import.meta.url), '--fresh-query', String(agent)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    if (child.status !== 0) throw new Error(`fresh-query child exited with ${child.status}`);
    const res = JSON.parse(child.stdout.trim().split('\n').at(-1));
    log(
      `fresh process #${k + 1} ${flags.join(' ')} (agent-${agent}): first query ${res.ms.toFixed(1)} ms wall, ${res.cpuMs.toFixed(1)} ms CPU (main thread ${res.mainMs.toFixed(1)} ms), ${res.resources} resources; JSON ${res.jsonMs.toFixed(1)} ms (JSON.stringify ${res.stringifyMs.toFixed(1)} ms)`,
    );
    out.push(res);
  }
  return out;
}

export default async function ({ log }) {
  // The fresh processes first, while this one holds no graph.
  const fresh = FRESH_RUNS > 0 ? freshQueries(Math.round(NODES * 0.01), log) : [];
  // With `node --expose-gc` the build's final collection uses the global gc(); without it, one
  // taken from a fresh V8 context (GraphBuilder.build), so the two runs are the same now: one set.
  const freshGc =
    FRESH_RUNS > 0 && process.env.WARDEN_BENCH_FRESH_EXPOSE_GC
      ? freshQueries(Math.round(NODES * 0.01), log, ['--expose-gc'])
      : [];
  globalThis.gc?.();
  const rss0 = process.memoryUsage().rss;
  let t0 = performance.now();
  let cpu0 = process.cpuUsage();
  const { graph, shape } = await buildGraph();
  const buildMs = performance.now() - t0;
  const buildCpuMs = process.cpuUsage(cpu0).user / 1000;
  globalThis.gc?.();
  const bytes = graph.memoryBytes();
  const rss = process.memoryUsage().rss;
  log(
    `compact graph: ${graph.nodeCount} nodes, ${graph.edgeCount} edges in ${Math.round(buildMs)} ms, ${Math.round(bytes / 2 ** 20)} MiB arrays, RSS ${Math.round(rss / 2 ** 20)} MiB`,
  );

  // Blast radius of 100 agents, each timed, the first query of this process included (no warm-up).
  const { blastRadius } = await import('../../dist/graph/index.js');
  const r = rng(7);
  const sample = Array.from({ length: QUERIES }, () => graph.find(`agent-${Math.floor(r() * shape.agents)}`));
  const times = [];
  const cpuTimes = [];
  const mainTimes = [];
  let reached = 0;
  for (const a of sample) {
    t0 = performance.now();
    cpu0 = process.cpuUsage();
    const m0 = mainThreadMs();
    const br = blastRadius(graph, a);
    times.push(performance.now() - t0);
    mainTimes.push(mainThreadMs() - m0);
    const cu = process.cpuUsage(cpu0);
    cpuTimes.push((cu.user + cu.system) / 1000);
    reached += br.summary.resources;
  }
  // Which queries were slowest, by their order in the run (the first ones run before V8 has
  // optimised the traversal).
  const slowest = times
    .map((t, i) => [t, i + 1])
    .sort((x, y) => y[0] - x[0])
    .slice(0, 5)
    .map(([t, i]) => `#${i} ${t.toFixed(1)} ms`)
    .join(', ');
  cpuTimes.sort((x, y) => x - y);
  mainTimes.sort((x, y) => x - y);
  times.sort((x, y) => x - y);
  const p50 = times[Math.floor(times.length / 2)];
  const max = times[times.length - 1];
  log(
    `blast radius: p50 ${p50.toFixed(2)} ms, max ${max.toFixed(2)} ms, ${Math.round(reached / sample.length)} resources on average`,
  );
  const one = blastRadius(graph, sample[0]);
  const withScratch = graph.memoryBytes();
  const rssAfterQueries = process.memoryUsage().rss;

  // Peer: one object per edge, adjacency arrays of objects, a Map of keys. Same graph, same query.
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  t0 = performance.now();
  cpu0 = process.cpuUsage();
  const ids = new Map();
  const keys = [];
  const adj = [];
  const nodeKind = [];
  generate(
    (key, kind, sensitivity) => {
      ids.set(key, keys.length);
      keys.push(key);
      nodeKind.push({ kind, sensitivity });
      adj.push([]);
    },
    (from, to, kind, level) => adj[from].push({ to, kind, level }),
    PEER_SCALE,
  );
  const peerBuildMs = performance.now() - t0;
  const peerBuildCpuMs = process.cpuUsage(cpu0).user / 1000;
  globalThis.gc?.();
  const peerBytes = process.memoryUsage().heapUsed - heap0;
  const peerQuery = (start) => {
    const seen = new Map([[start, { parent: -1, level: 'admin' }]]);
    const q = [start];
    const found = [];
    for (let h = 0; h < q.length; h++) {
      const u = q[h];
      if (nodeKind[u].kind === 'resource') continue;
      for (const e of adj[u]) {
        if (seen.has(e.to)) continue;
        seen.set(e.to, { parent: u, level: e.level ?? 'admin' });
        q.push(e.to);
        if (nodeKind[e.to].kind === 'resource') found.push(e.to);
      }
    }
    return found.map((v) => {
      const path = [];
      for (let c = v; c !== -1; c = seen.get(c).parent) path.unshift(keys[c]);
      return { id: keys[v], path };
    });
  };
  const peerTimes = [];
  const peerAgents = Math.round(NODES * PEER_SCALE * 0.01);
  const peerSample = Array.from({ length: QUERIES }, () => Math.floor(r() * peerAgents));
  for (const a of peerSample) {
    t0 = performance.now();
    peerQuery(a);
    peerTimes.push(performance.now() - t0);
  }
  peerTimes.sort((x, y) => x - y);
  const peerP50 = peerTimes[Math.floor(peerTimes.length / 2)];
  log(
    `peer (object per edge): build ${Math.round(peerBuildMs)} ms, ${Math.round(peerBytes / 2 ** 20)} MiB heap, p50 ${peerP50.toFixed(2)} ms`,
  );

  return {
    title: `Access graph: ${NODES.toLocaleString('en-US')} nodes, ${EDGES.toLocaleString('en-US')} edges, blast radius`,
    command: 'node bench/run.mjs graph-blast-radius',
    rows: [
      {
        metric: 'graph build (GraphBuilder -> CSR both ways), wall',
        value: buildMs / 1000,
        unit: 's',
        peer: `object-per-edge adjacency at ${PEER_SCALE}x size`,
        peerValue: peerBuildMs / 1000,
        note: `load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores during the run`,
      },
      {
        metric: 'graph build, CPU time of this process',
        value: buildCpuMs / 1000,
        unit: 's',
        peer: `object-per-edge adjacency at ${PEER_SCALE}x size`,
        peerValue: peerBuildCpuMs / 1000,
        note: 'includes generating the 5M keys and 15M random edges (both layouts)',
      },
      {
        metric: 'graph memory (typed arrays + string tables)',
        value: bytes / 2 ** 20,
        unit: 'MiB',
        goal: '< 2048 MiB',
        peer: `object-per-edge adjacency, heap at ${PEER_SCALE}x size`,
        peerValue: peerBytes / 2 ** 20,
      },
      {
        metric: 'memory per edge (node tables included)',
        value: bytes / EDGES,
        unit: 'bytes',
        peer: 'object-per-edge adjacency',
        peerValue: peerBytes / (EDGES * PEER_SCALE),
      },
      {
        metric: 'graph memory with the traversal visit table',
        value: withScratch / 2 ** 20,
        unit: 'MiB',
        goal: '< 2048 MiB',
        note: `RSS after the queries ${Math.round(rssAfterQueries / 2 ** 20)} MiB`,
      },
      {
        metric: 'process RSS after build (compact graph only)',
        value: rss / 2 ** 20,
        unit: 'MiB',
        goal: '< 2048 MiB',
        note: `RSS before build ${Math.round(rss0 / 2 ** 20)} MiB`,
      },
      {
        metric: `blast radius of one agent, p50 of ${QUERIES}`,
        value: p50,
        unit: 'ms',
        goal: '< 50 ms',
        peer: `object-per-edge BFS (${PEER_SCALE}x graph)`,
        peerValue: peerP50,
        note: `${Math.round(reached / sample.length)} resources reached on average, with level and shortest chain`,
      },
      {
        metric: `blast radius of one agent, p95 of ${QUERIES}`,
        value: times[Math.floor(times.length * 0.95)],
        unit: 'ms',
        goal: '< 50 ms',
        note: `slowest five: ${slowest}`,
      },
      {
        metric: `blast radius of one agent, CPU time of the main thread, p50 of ${QUERIES}`,
        value: mainTimes[Math.floor(mainTimes.length / 2)],
        unit: 'ms',
        goal: '< 50 ms',
        note: 'Linux schedstat of the thread, which the kernel brings up to date at scheduler ticks (a few ms): exact for the long queries, 0 for many short ones',
      },
      {
        metric: `blast radius of one agent, CPU time of the main thread, max of ${QUERIES}`,
        value: mainTimes[mainTimes.length - 1],
        unit: 'ms',
        goal: '< 50 ms',
        note: 'the worst query without the waits of a shared machine',
      },
      {
        metric: `blast radius of one agent, CPU time of the process, max of ${QUERIES}`,
        value: cpuTimes[cpuTimes.length - 1],
        unit: 'ms',
        note: `p50 ${cpuTimes[Math.floor(cpuTimes.length / 2)].toFixed(2)} ms; counts V8's compiler and collector threads, which run beside the first queries on the other core`,
      },
      {
        metric: `blast radius of one agent, max of ${QUERIES}`,
        value: max,
        unit: 'ms',
        goal: '< 50 ms',
        note: `wall time; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`,
        peer: 'object-per-edge BFS',
        peerValue: peerTimes[peerTimes.length - 1],
      },
      ...freshRows(fresh, ''),
      ...freshRows(freshGc, ', node --expose-gc'),
      {
        metric: 'resources reached by the first sampled agent',
        value: one.summary.resources,
        unit: 'resources',
        note: `${one.summary.identities} identities, max ${one.summary.maxHops} hops`,
      },
    ],
  };
}
