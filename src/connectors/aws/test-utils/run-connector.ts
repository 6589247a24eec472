import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigSchema, type ConfigInput } from '../../../config/index.js';
import type { ImportItem } from '../../../store/index.js';
import { SourceFile } from '../../core/source-file.js';
import type { Connector, ConnectorContext } from '../../core/types.js';

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'warden-aws-'));
}

/** Writes `content` (object -> JSON, string or Buffer as is) below `dir` and returns its path. */
export function write(dir: string, rel: string, content: unknown): string {
  const p = path.join(dir, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(
    p,
    Buffer.isBuffer(content) || typeof content === 'string' ? content : JSON.stringify(content, null, 2),
  );
  return p;
}

export function context(config: ConfigInput = {}): ConnectorContext {
  return {
    config: ConfigSchema.parse(config),
    salt: 'test-salt',
    now: '2026-11-26T00:00:00.000Z',
    configOwners: new Map(),
  };
}

/** Detects and reads one file with the connector; fails the test if detection does not pick it. */
export async function readWith(
  connector: Connector,
  file: string,
  ctx: ConnectorContext = context(),
): Promise<ImportItem[]> {
  const f = new SourceFile(file, path.dirname(file));
  const out: ImportItem[] = [];
  // Copied as yielded: the store serialises each item when it receives it, so a connector must not
  // change an item after yielding it.
  for await (const item of connector.read(f, ctx)) out.push(structuredClone(item));
  return out;
}

type Values = { [K in ImportItem as K['type']]: K['value'] };

export function ofType<T extends ImportItem['type']>(items: ImportItem[], type: T): Values[T][] {
  return items.filter((i) => i.type === type).map((i) => i.value as unknown as Values[T]);
}
