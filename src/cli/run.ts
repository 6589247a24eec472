import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT, formatErrorLine, toWardenError } from '../errors/index.js';
import { COMMANDS } from './commands/index.js';
import { createContext } from './context.js';
import type { CliIo } from './io.js';

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * Runs the `warden` command line. Writes only to `io`, never exits the process: returns the exit
 * code (0 clean, 1 findings at or above --fail-on, 2 error).
 *
 * @example const code = await run(['inventory', '--format', 'json'], memoryIo());
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.OK;
  const setExit = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  const program = new Command('warden');
  program
    .description('Warden governs the non-human identities (NHIs) of AI agents.')
    .version(version(), '-V, --version')
    .option('--db <url>', 'database: a SQLite file or a postgres:// URL (env WARDEN_DATABASE)')
    .option('-c, --config <file>', 'configuration file (default ./warden.yaml)')
    .exitOverride()
    .showHelpAfterError('(run warden --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(s),
    });
  const ctx = createContext(program, io, setExit);
  for (const register of COMMANDS) register(program, ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return EXIT.OK;
      return EXIT.ERROR;
    }
    io.stderr.write(formatErrorLine(e) + '\n');
    const w = toWardenError(e);
    if (w.code === 'WARDEN_INTERNAL' && io.env.WARDEN_DEBUG) io.stderr.write(`${(e as Error).stack ?? ''}\n`);
    return EXIT.ERROR;
  }
  return exitCode;
}
