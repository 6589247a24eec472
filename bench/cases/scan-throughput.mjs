// Secret scanner benchmark: accuracy (recall, precision) of Warden and secretlint 12 on a labelled
// corpus, throughput against secretlint (~50 MB) and against ripgrep given comparable patterns
// (>= 200 MB), and Warden's peak memory at two corpus sizes (should stay flat).
// Every corpus is generated here from a seed; nothing token-shaped is stored in the repository.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const dist = path.join(root, 'dist', 'scan');
const MB = 1024 * 1024;
// WARDEN_BENCH_SCALE=0.1 shrinks the throughput corpora while developing (recorded runs use 1).
const SCALE = Number(process.env.WARDEN_BENCH_SCALE ?? 1);

function timeIt(fn) {
  const t = process.hrtime.bigint();
  const r = fn();
  return { r, s: Number(process.hrtime.bigint() - t) / 1e9 };
}

/** Runs Warden in a child process so its time and peak RSS are its own. */
function wardenRun(dir, threads) {
  const script = `
    const { runScan, compileRuleset } = await import(${JSON.stringify(path.join(dist, 'index.js'))});
    const t = process.hrtime.bigint();
    const r = await runScan({ kind: 'path', path: ${JSON.stringify(dir)} }, { salt: 'bench-salt-0123456789', ruleset: compileRuleset(), threads: ${threads} });
    const s = Number(process.hrtime.bigint() - t) / 1e9;
    process.stdout.write(JSON.stringify({ s, bytes: r.bytes, files: r.files, rssMiB: Math.round(process.resourceUsage().maxRSS / 1024), leaks: r.leaks.map((l) => l.file + ':' + l.line) }));
  `;
  const file = path.join(path.dirname(dir), 'warden-run.mjs');
  writeFileSync(file, script);
  const p = spawnSync(process.execPath, [file], { encoding: 'utf8', maxBuffer: 512 * MB });
  if (p.status !== 0) throw new Error(`warden scan failed: ${p.stderr}`);
  return JSON.parse(p.stdout);
}

function secretlintRun(dir) {
  writeFileSync(
    path.join(dir, '.secretlintrc.json'),
    JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }),
  );
  const bin = path.join(root, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
  const out = path.join(dir, '..', `${path.basename(dir)}-secretlint.json`);
  const { r, s } = timeIt(() =>
    spawnSync(
      process.execPath,
      [
        bin,
        '**/*',
        '--format',
        'json',
        '--output',
        out,
        '--secretlintrc',
        path.join(dir, '.secretlintrc.json'),
        '--no-maskSecrets',
      ],
      { cwd: dir, encoding: 'utf8', maxBuffer: 512 * MB },
    ),
  );
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`secretlint failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  const found = [];
  try {
    for (const f of JSON.parse(readFileSync(out, 'utf8'))) {
      for (const m of f.messages ?? [])
        found.push(`${path.relative(dir, f.filePath).split(path.sep).join('/')}:${m.loc?.start?.line}`);
    }
  } catch {
    // no output: no findings
  }
  return { s, found };
}

function score(labels, found) {
  const expected = new Set(labels.map((l) => `${l.file}:${l.line}`));
  const got = new Set(found);
  const tp = [...got].filter((k) => expected.has(k)).length;
  return {
    recall: (100 * tp) / expected.size,
    precision: got.size ? (100 * tp) / got.size : 0,
    planted: expected.size,
  };
}

/**
 * Patterns comparable to Warden's rules, in ripgrep's syntax: every token format with a literal
 * prefix (look-around removed). Name-based and generic rules are left out: with their bounded
 * repetitions ripgrep's automaton grows so large that it slows by an order of magnitude, and the
 * token formats are what a team would give ripgrep; this makes ripgrep the harder peer.
 */
function ripgrepPatterns(rules) {
  const out = [];
  for (const r of rules) {
    if (r.window?.multiline || r.flags || r.generic || r.priority !== 2) continue;
    let src = r.regex.replace(/\(\?<?[!=][^()]*(?:\([^()]*\)[^()]*)*\)/g, '');
    if (r.flags?.includes('i')) src = `(?i)${src}`;
    out.push(src);
  }
  return out;
}

export default async function ({ dataDir, log }) {
  const { writeCorpus } = await import(path.join(dist, 'corpus', 'corpus-generator.js'));
  const { BUILTIN_RULES } = await import(path.join(dist, 'index.js'));
  const base = path.join(dataDir, 'scan');
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const rows = [];

  // 1. Accuracy on a labelled mixed corpus, and both tools' throughput on that same corpus.
  // secretlint manages well under 1 MB/s here, so it runs on this corpus only (SECRETLINT_MB,
  // default 1.5 MB); its rate is then the peer of Warden's rate on the 50 MB corpus.
  const acc = path.join(base, 'labelled');
  const labelled = writeCorpus(acc, {
    seed: 2026,
    targetBytes: Number(process.env.SECRETLINT_MB ?? 1.5) * MB,
    fillerLines: 120,
  });
  log(
    `labelled corpus: ${labelled.files} files, ${(labelled.bytes / MB).toFixed(1)} MB, ${labelled.labels.length} planted secrets`,
  );
  const wAcc = wardenRun(acc, 2);
  log(`warden labelled: ${wAcc.s.toFixed(2)} s`);
  const sAcc = secretlintRun(acc);
  log(`secretlint labelled: ${sAcc.s.toFixed(2)} s`);
  const w = score(labelled.labels, wAcc.leaks);
  const sl = score(labelled.labels, sAcc.found);
  const slMBs = labelled.bytes / MB / sAcc.s;
  rows.push({
    metric: `recall on labelled corpus (${w.planted} planted secrets)`,
    value: w.recall,
    unit: '%',
    goal: '>= 95',
    peer: 'secretlint 12 (recommended preset)',
    peerValue: sl.recall,
  });
  rows.push({
    metric: 'precision on labelled corpus',
    value: w.precision,
    unit: '%',
    goal: '>= 95',
    peer: 'secretlint 12 (recommended preset)',
    peerValue: sl.precision,
  });
  rows.push({
    metric: `throughput on the labelled corpus (${(labelled.bytes / MB).toFixed(1)} MB, ${labelled.files} files, incl. start-up)`,
    value: labelled.bytes / MB / wAcc.s,
    unit: 'MB/s',
    goal: '',
    peer: 'secretlint 12 (recommended preset)',
    peerValue: slMBs,
  });

  // 2. Warden's throughput on ~50 MB, against secretlint's rate measured above.
  const c50 = path.join(base, 'c50');
  const g50 = writeCorpus(c50, { seed: 50, targetBytes: 50 * MB * SCALE, fillerLines: 400 });
  log(`50 MB corpus: ${g50.files} files`);
  const w50 = wardenRun(c50, 2);
  log(`warden 50 MB: ${w50.s.toFixed(2)} s`);
  const wMBs50 = g50.bytes / MB / w50.s;
  rows.push({
    metric: `throughput, ${(g50.bytes / MB).toFixed(0)} MB corpus (2 threads)`,
    value: wMBs50,
    unit: 'MB/s',
    goal: '>= 10x secretlint',
    peer: 'secretlint 12 (rate on the labelled corpus, same generator)',
    peerValue: slMBs,
    note: `${(wMBs50 / slMBs).toFixed(1)}x; secretlint would need ~${(g50.bytes / MB / slMBs / 60).toFixed(0)} min for this corpus`,
  });

  // 3. Throughput against ripgrep on >= 200 MB.
  const c200 = path.join(base, 'c200');
  const g200 = writeCorpus(c200, { seed: 200, targetBytes: 210 * MB * SCALE, fillerLines: 400 });
  log(`200 MB corpus: ${g200.files} files`);
  const w200 = wardenRun(c200, 2);
  const wMBs200 = g200.bytes / MB / w200.s;
  const rg = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  if (rg.status !== 0) {
    rows.push({
      metric: `throughput, ${(g200.bytes / MB).toFixed(0)} MB corpus`,
      value: wMBs200,
      unit: 'MB/s',
      goal: '>= 1/4 of ripgrep',
      peer: 'ripgrep',
      peerValue: 'n/a',
      note: 'ripgrep (rg) is NOT installed: apt-get install -y ripgrep; no comparison made',
    });
  } else {
    const pats = ripgrepPatterns(BUILTIN_RULES);
    const patFile = path.join(base, 'rg-patterns.txt');
    writeFileSync(patFile, pats.join('\n') + '\n');
    const { r, s } = timeIt(() =>
      spawnSync('rg', ['--no-ignore', '--hidden', '-c', '-f', patFile, c200], {
        encoding: 'utf8',
        maxBuffer: 512 * MB,
      }),
    );
    if (r.status !== 0 && r.status !== 1) throw new Error(`ripgrep failed: ${r.stderr.slice(0, 400)}`);
    const rgMBs = g200.bytes / MB / s;
    rows.push({
      metric: `throughput, ${(g200.bytes / MB).toFixed(0)} MB corpus (2 threads)`,
      value: wMBs200,
      unit: 'MB/s',
      goal: '>= 1/4 of ripgrep',
      peer: `ripgrep ${rg.stdout.split('\n')[0].split(' ')[1]} (${pats.length} token-format patterns, all cores)`,
      peerValue: rgMBs,
      note: `${((100 * wMBs200) / rgMBs).toFixed(0)}% of ripgrep`,
    });
  }

  // 4. Memory flat as the corpus grows.
  rows.push({
    metric: `peak RSS of a Warden scan, ${(g50.bytes / MB).toFixed(0)} MB corpus`,
    value: w50.rssMiB,
    unit: 'MiB',
    goal: 'flat',
    peer: '',
    peerValue: '',
  });
  rows.push({
    metric: `peak RSS of a Warden scan, ${(g200.bytes / MB).toFixed(0)} MB corpus`,
    value: w200.rssMiB,
    unit: 'MiB',
    goal: 'flat',
    peer: '',
    peerValue: '',
    note: `${(w200.rssMiB / w50.rssMiB).toFixed(2)}x for ${(g200.bytes / g50.bytes).toFixed(1)}x the data`,
  });
  if (!process.env.WARDEN_BENCH_KEEP) rmSync(base, { recursive: true, force: true });
  return {
    title: 'Secret scanner: accuracy, throughput, memory',
    command: 'node bench/run.mjs scan-throughput',
    rows,
  };
}
