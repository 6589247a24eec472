#!/usr/bin/env node
// Benchmark harness: runs every bench/cases/*.mjs (or those named on the command line) in its own
// Node process, so peak memory is per case, prints one table, and appends it to docs/benchmarks.md.
//
// A case module exports `default async function (ctx) -> { title, command?, rows: [{ metric, value,
// unit, goal?, peer?, peerValue?, note? }] }`; ctx = { dataDir, log } (log writes to stderr).
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

if (process.argv[2] === '--child') {
  const mod = await import(path.resolve(process.argv[3]));
  const dataDir = path.join(here, '.data');
  mkdirSync(dataDir, { recursive: true });
  const result = await mod.default({ dataDir, log: (m) => process.stderr.write(`  ${m}\n`) });
  result.maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write('\n@@RESULT@@' + JSON.stringify(result) + '\n');
  process.exit(0);
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const noRecord = process.argv.includes('--no-record');
const casesDir = path.join(here, 'cases');
const cases = readdirSync(casesDir)
  .filter((f) => f.endsWith('.mjs'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

const results = [];
for (const c of cases) {
  process.stderr.write(`bench ${c}\n`);
  const r = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--max-old-space-size=8192',
      fileURLToPath(import.meta.url),
      '--child',
      path.join(casesDir, c),
    ],
    {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const m = /@@RESULT@@(.*)\n?$/.exec(r.stdout ?? '');
  if (r.status !== 0 || !m) {
    results.push({ file: c, title: c, error: `exit ${r.status}`, rows: [] });
    continue;
  }
  results.push({ file: c, ...JSON.parse(m[1]) });
}

const fmt = (v) =>
  typeof v === 'number'
    ? Math.abs(v) >= 100
      ? Math.round(v).toLocaleString('en-US')
      : String(Math.round(v * 100) / 100)
    : String(v ?? '');
let md = `\n## Run of ${new Date().toISOString()}\n\nMachine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. Command: \`npm run bench${wanted.length ? ' -- ' + wanted.join(' ') : ''}\`.\n`;
for (const r of results) {
  md += `\n### ${r.title} (\`bench/cases/${r.file}\`)\n\n`;
  if (r.command) md += `Command: \`${r.command}\`\n\n`;
  if (r.error) {
    md += `FAILED: ${r.error}\n`;
    continue;
  }
  md +=
    '| metric | value | unit | goal | peer (same run) | peer value | note |\n|---|---|---|---|---|---|---|\n';
  for (const row of r.rows)
    md += `| ${row.metric} | ${fmt(row.value)} | ${row.unit ?? ''} | ${row.goal ?? ''} | ${row.peer ?? ''} | ${fmt(row.peerValue)} | ${row.note ?? ''} |\n`;
  md += `| peak RSS of the case process | ${r.maxRssMiB} | MiB | | | | |\n`;
}
process.stdout.write(md);
if (!noRecord) {
  const doc = path.join(root, 'docs', 'benchmarks.md');
  if (!existsSync(doc))
    appendFileSync(
      doc,
      '# Benchmarks\n\nEvery figure here was measured by `npm run bench` on the machine named in its run.\n',
    );
  appendFileSync(doc, md);
}
process.exitCode = results.some((r) => r.error) ? 1 : 0;
