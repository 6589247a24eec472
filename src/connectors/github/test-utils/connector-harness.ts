/**
 * Test harness shared by the GitHub, AI-provider, OAuth, Vault and people connector tests: writes
 * exports into a temporary folder (token-like values are built at run time from a seeded generator,
 * never written in the repository) and reads them back through a connector.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigSchema } from '../../../config/index.js';
import type { ImportItem } from '../../../store/index.js';
import { SourceFile } from '../../core/source-file.js';
import type { Connector, ConnectorContext } from '../../core/types.js';
import { seededRandom } from '../../../model/index.js';

export function tempDir(prefix = 'warden-conn-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Writes `content` (object -> pretty JSON, string as is) below `dir`; returns the absolute path. */
export function write(dir: string, rel: string, content: unknown): string {
  const p = path.join(dir, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
}

export function context(extra: Partial<ConnectorContext> = {}): ConnectorContext {
  return {
    config: ConfigSchema.parse({}),
    salt: 'test-salt-0123456789',
    now: '2026-11-26T00:00:00.000Z',
    configOwners: new Map(),
    ...extra,
  };
}

export function sourceFile(file: string, root?: string): SourceFile {
  return new SourceFile(file, root ?? path.dirname(file));
}

export async function readAll(
  connector: Connector,
  file: string,
  opts: { root?: string; ctx?: ConnectorContext } = {},
): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  for await (const item of connector.read(sourceFile(file, opts.root), opts.ctx ?? context())) out.push(item);
  return out;
}

type ValueOf<T extends ImportItem['type']> = Extract<ImportItem, { type: T }>['value'];

export function ofType<T extends ImportItem['type']>(items: ImportItem[], type: T): ValueOf<T>[] {
  const out: ValueOf<T>[] = [];
  for (const i of items) if (i.type === type) out.push(i.value as ValueOf<T>);
  return out;
}

/** Seeded generator (mulberry32) and token-ish strings from it. */
export function seeded(seed: number): {
  chars: (n: number, alphabet?: string) => string;
  int: (lo: number, hi: number) => number;
} {
  const next = seededRandom(seed);
  const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return {
    chars: (n, alphabet = ALNUM) =>
      Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
  };
}
