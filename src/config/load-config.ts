import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { WardenError } from '../errors/index.js';
import { ConfigSchema, type Config } from './schema.js';

export interface LoadConfigOptions {
  /** Values given as command-line flags (highest precedence). */
  flags?: Partial<Record<'database' | 'failOn', string | undefined>>;
  env?: Readonly<Record<string, string | undefined>>;
  /** Path of warden.yaml; when absent, `warden.yaml` in cwd is read if present. */
  file?: string;
  cwd?: string;
}

/** Environment variables Warden reads, and the config key each one sets. */
export const ENV_KEYS: Record<string, keyof Config> = {
  WARDEN_DATABASE: 'database',
  WARDEN_DATABASE_URL: 'database',
  WARDEN_FINGERPRINT_SALT: 'fingerprintSalt',
  WARDEN_FAIL_ON: 'failOn',
};

/**
 * Loads and validates the configuration. Precedence: defaults < warden.yaml < WARDEN_* < flags.
 * The result is frozen and passed down explicitly; nothing reads a global config.
 *
 * @example const config = loadConfig({ env: process.env, flags: { database: ':memory:' } });
 */
export function loadConfig(options: LoadConfigOptions = {}): Readonly<Config> {
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file !== undefined;
  const file = path.resolve(cwd, options.file ?? 'warden.yaml');
  let raw: Record<string, unknown> = {};
  let doc: ReturnType<typeof parseDocument> | undefined;
  let lines: LineCounter | undefined;
  if (existsSync(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new WardenError('WARDEN_CONFIG_UNREADABLE', `cannot read ${file}`, { cause, details: { file } });
    }
    lines = new LineCounter();
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    const yamlError = doc.errors[0];
    if (yamlError) {
      const pos = lines.linePos(yamlError.pos[0]);
      throw new WardenError(
        'WARDEN_CONFIG_INVALID',
        `${file}:${pos.line}: ${yamlError.message.split('\n')[0]}`,
        {
          details: { file, line: pos.line },
        },
      );
    }
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) {
      if (typeof value !== 'object' || Array.isArray(value)) {
        throw new WardenError(
          'WARDEN_CONFIG_INVALID',
          `${file}: expected a mapping of settings at the top level`,
          {
            details: { file },
          },
        );
      }
      raw = value as Record<string, unknown>;
    }
  } else if (explicit) {
    throw new WardenError('WARDEN_CONFIG_UNREADABLE', `config file ${file} does not exist`, {
      details: { file },
    });
  }

  const merged: Record<string, unknown> = { ...raw };
  const env = options.env ?? {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const v = env[name];
    if (v !== undefined && v !== '') merged[key] = v;
  }
  for (const [key, v] of Object.entries(options.flags ?? {})) if (v !== undefined) merged[key] = v;

  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.');
    const origin = describeOrigin(issue, raw, env, options.flags ?? {}, file, doc, lines);
    throw new WardenError(
      'WARDEN_CONFIG_INVALID',
      `${origin}: setting '${key || '(root)'}': ${issue.message}`,
      {
        details: {
          key,
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      },
    );
  }
  const config = parsed.data;
  if (!/^postgres(ql)?:\/\//.test(config.database) && config.database !== ':memory:') {
    config.database = path.resolve(cwd, config.database);
  }
  return deepFreeze(config);
}

function describeOrigin(
  issue: z.core.$ZodIssue,
  raw: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  flags: Record<string, unknown>,
  file: string,
  doc: ReturnType<typeof parseDocument> | undefined,
  lines: LineCounter | undefined,
): string {
  const top = String(issue.path[0] ?? '');
  if (top && flags[top] !== undefined) return `flag --${top.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`;
  const envName = Object.entries(ENV_KEYS).find(([n, k]) => k === top && env[n] !== undefined)?.[0];
  if (envName) return `environment ${envName}`;
  if (doc && lines && (top === '' || top in raw)) {
    const node = nodeAt(doc.contents as Node | null, issue.path);
    const offset = node?.range?.[0];
    if (offset !== undefined) return `${file}:${lines.linePos(offset).line}`;
    return file;
  }
  return 'configuration';
}

function nodeAt(node: Node | null, p: readonly PropertyKey[]): Node | undefined {
  let cur: Node | null | undefined = node;
  let last: Node | undefined = node ?? undefined;
  for (const key of p) {
    if (isMap(cur)) {
      const items: { key: unknown; value: unknown }[] = cur.items;
      const pair = items.find((it) => isScalar(it.key) && String(it.key.value) === String(key));
      if (!pair) return last;
      cur = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(cur) && typeof key === 'number') {
      cur = cur.items[key] as Node | undefined;
    } else return last;
    if (cur) last = cur;
  }
  return last;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
