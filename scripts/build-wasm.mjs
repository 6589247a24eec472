#!/usr/bin/env node
// Builds the WebAssembly parts (wasm/*.ts, AssemblyScript) into dist/wasm: part of `npm run build`.
// Without them Warden still runs (each has a JavaScript twin that gives the same results), slower.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'wasm');
mkdirSync(out, { recursive: true });
const asc = path.join(root, 'node_modules', '.bin', 'asc');
let failed = false;
for (const f of readdirSync(path.join(root, 'wasm')).filter((n) => n.endsWith('.ts'))) {
  const target = path.join(out, f.replace(/\.ts$/, '.wasm'));
  // --runtime stub: no garbage collector (the modules allocate nothing); SIMD is in Node since 16.4.
  const args = [
    path.join('wasm', f),
    '-o',
    target,
    '-O3',
    '--runtime',
    'stub',
    '--noAssert',
    '--enable',
    'simd',
  ];
  const r = spawnSync(asc, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build-wasm: ${f} did not compile (asc exit ${r.status ?? r.error?.message})`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
