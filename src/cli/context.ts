import type { Command } from 'commander';
import { loadConfig, type Config } from '../config/index.js';
import { WardenError } from '../errors/index.js';
import { Severity } from '../model/index.js';
import { Store } from '../store/index.js';
import type { CliIo } from './io.js';

/** What each command gets: its io, and the config and store built from the global flags. */
export interface CommandContext {
  io: CliIo;
  config(): Readonly<Config>;
  /** Opens the configured store; the caller closes it. */
  openStore(config?: Readonly<Config>): Promise<Store>;
  /** Sets the exit code of this run (the highest set wins). */
  exit(code: number): void;
}

export function createContext(program: Command, io: CliIo, setExit: (code: number) => void): CommandContext {
  let cached: Readonly<Config> | undefined;
  const config = (): Readonly<Config> => {
    if (cached) return cached;
    const g = program.opts<{ db?: string; config?: string; failOn?: string }>();
    cached = loadConfig({
      env: io.env,
      cwd: io.cwd,
      ...(g.config ? { file: g.config } : {}),
      flags: { database: g.db },
    });
    return cached;
  };
  return {
    io,
    config,
    openStore: (c) => Store.open((c ?? config()).database),
    exit: setExit,
  };
}

/** `--format` values, validated with a message that lists the allowed ones. */
export function parseFormat<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  const v = (value ?? fallback) as T;
  if (!allowed.includes(v)) {
    throw new WardenError('WARDEN_USAGE', `--format must be one of ${allowed.join(', ')} (got '${value}')`);
  }
  return v;
}

/** `--fail-on` (else the config's `failOn`): a severity, or undefined when neither is set. */
export function parseFailOn(value: string | undefined, configured: string | undefined): Severity | undefined {
  const raw = value ?? configured;
  if (raw === undefined) return undefined;
  const parsed = Severity.safeParse(raw);
  if (!parsed.success)
    throw new WardenError(
      'WARDEN_USAGE',
      `--fail-on must be one of ${Severity.options.join(', ')} (got '${raw}')`,
    );
  return parsed.data;
}
