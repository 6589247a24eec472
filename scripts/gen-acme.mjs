#!/usr/bin/env node
// Generates examples/acme from the seeded world (scripts/acme/world.mjs). Every family generator in
// scripts/acme/ renders the same world in its own real export format. Output is reproducible and
// not committed: it contains fake credentials in real formats, which must never sit in git.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorld } from './acme/world.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const target = path.resolve(process.argv[2] ?? path.join(here, '..', 'examples', 'acme'));

// Start clean, but keep the folder's committed README.
if (existsSync(target)) {
  for (const entry of readdirSync(target))
    if (entry !== 'README.md') rmSync(path.join(target, entry), { recursive: true, force: true });
}
const written = [];
const write = (rel, data) => {
  const file = path.join(target, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
  written.push(rel);
};
const out = {
  json: (rel, value) => write(rel, JSON.stringify(value, null, 2) + '\n'),
  text: (rel, text) => write(rel, text),
  bytes: (rel, buf) => write(rel, buf),
};

const world = createWorld();
const families = readdirSync(path.join(here, 'acme'))
  .filter((f) => f.endsWith('.mjs') && f !== 'world.mjs')
  .sort((a, b) => (a === 'declared.mjs' ? -1 : b === 'declared.mjs' ? 1 : a.localeCompare(b)));
for (const f of families) {
  const mod = await import(path.join(here, 'acme', f));
  if (typeof mod.generate === 'function') await mod.generate(world, out);
}
process.stderr.write(
  `generated ${written.length} files in ${path.relative(process.cwd(), target) || target}\n`,
);
