import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EXIT, WardenError } from '../../errors/index.js';
import { SEVERITY_RANK } from '../../model/index.js';
import {
  compileRuleset,
  filterBaseline,
  findGitleaksConfig,
  linkLeaks,
  loadGitleaksConfig,
  readBaseline,
  renderJson,
  renderSarif,
  resolveScanSalt,
  rulesetInputFrom,
  runScan,
  writeBaseline,
  type LinkedLeak,
  type ScanTarget,
} from '../../scan/index.js';
import type { Store } from '../../store/index.js';
import { parseFailOn, parseFormat, type CommandContext } from '../context.js';
import { plural, table } from '../format.js';
import { version } from '../run.js';

interface ScanFlags {
  format?: string;
  history?: boolean;
  staged?: boolean;
  baseline?: string;
  writeBaseline?: string;
  exclude?: string[];
  failOn?: string;
  gitleaksConfig?: string;
  gitignore?: boolean;
  includeVendored?: boolean;
  threads?: string;
  link?: boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerScan(program: Command, ctx: CommandContext): void {
  program
    .command('scan')
    .description(
      'find leaked secrets in a folder, a file, standard input (-), staged changes or the whole git history, and name the identity and agents each belongs to',
    )
    .argument('[target]', "folder, file, or '-' for standard input", '.')
    .option('--format <format>', 'output: table, json or sarif', 'table')
    .option('--history', 'scan every blob in the git history; report the commit that introduced each secret')
    .option('--staged', 'scan the staged changes of the repository (pre-commit hook)')
    .option('--baseline <file>', 'show only leaks not in this baseline')
    .option('--write-baseline <file>', 'write the leaks found to a baseline file')
    .option('--exclude <glob>', 'skip paths matching this glob (repeatable)', collect)
    .option(
      '--fail-on <severity>',
      'exit 1 only for leaks at or above this severity (info|low|medium|high|critical)',
    )
    .option(
      '--gitleaks-config <file>',
      'gitleaks rules and allowlists (default: .gitleaks.toml in the target when present)',
    )
    .option('--no-gitignore', 'do not respect .gitignore files')
    .option('--include-vendored', 'also scan node_modules, vendor/ and minified files')
    .option('--threads <n>', 'worker threads for large folders', '2')
    .option('--no-link', 'do not match leaks to the inventory')
    .action(async (target: string, opts: ScanFlags) => {
      const format = parseFormat(opts.format, ['table', 'json', 'sarif'] as const, 'table');
      if (opts.history && opts.staged)
        throw new WardenError('WARDEN_USAGE', '--history and --staged cannot be combined');
      const config = ctx.config();
      const failOn = parseFailOn(opts.failOn, config.failOn);

      const io = ctx.io;
      const abs = target === '-' ? io.cwd : path.resolve(io.cwd, target);
      const gitleaks = opts.gitleaksConfig
        ? loadGitleaksConfig(path.resolve(io.cwd, opts.gitleaksConfig))
        : target === '-'
          ? undefined
          : findGitleaksConfig(abs);
      for (const r of gitleaks?.rejected ?? [])
        io.stderr.write(`warden: gitleaks rule '${r.id}' skipped: ${r.reason}\n`);
      const ruleset = compileRuleset(rulesetInputFrom(config.scan, gitleaks));

      // Salt: config, else the inventory's (when a database exists), else per repository.
      let store: Store | undefined;
      const db = config.database;
      const hasDb =
        /^postgres(?:ql)?:\/\//.test(db) || (db !== ':memory:' && existsSync(path.resolve(io.cwd, db)));
      try {
        if (hasDb && opts.link !== false) store = await ctx.openStore(config);
        const salt =
          config.fingerprintSalt ?? (store ? await store.fingerprintSalt() : resolveScanSalt(abs).salt);

        let scanTarget: ScanTarget;
        if (target === '-') {
          if (!io.stdin) throw new WardenError('WARDEN_USAGE', 'no standard input to read');
          const chunks: Buffer[] = [];
          for await (const c of io.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
          scanTarget = { kind: 'stdin', content: Buffer.concat(chunks) };
        } else if (opts.history || opts.staged) {
          const repo = existsSync(abs) && statSync(abs).isDirectory() ? abs : path.dirname(abs);
          scanTarget = { kind: opts.history ? 'history' : 'staged', repo };
        } else scanTarget = { kind: 'path', path: abs };

        const result = await runScan(scanTarget, {
          salt,
          ruleset,
          exclude: [...config.scan.exclude, ...(opts.exclude ?? [])],
          ...(opts.includeVendored ? { includeVendored: true } : {}),
          ...(opts.gitignore === false ? { gitignore: false } : {}),
          threads: Math.max(0, Number(opts.threads) || 0),
        });
        for (const n of result.notes) io.stderr.write(`warden: skipped ${n.file}: ${n.reason}\n`);

        let leaks = result.leaks;
        if (opts.baseline) leaks = filterBaseline(leaks, readBaseline(path.resolve(io.cwd, opts.baseline)));
        if (opts.writeBaseline) writeBaseline(path.resolve(io.cwd, opts.writeBaseline), result.leaks);
        const linked: LinkedLeak[] = store
          ? await linkLeaks(store, leaks, salt)
          : leaks.map((leak) => ({ leak }));

        if (format === 'json') io.stdout.write(renderJson(linked));
        else if (format === 'sarif')
          io.stdout.write(
            renderSarif(
              linked,
              version(),
              ruleset.rules.map((r) => r.spec),
            ),
          );
        else io.stdout.write(renderTable(linked, result.files, result.bytes));

        const threshold = failOn ? SEVERITY_RANK[failOn] : -1;
        if (linked.some((l) => SEVERITY_RANK[l.leak.severity] >= threshold)) ctx.exit(EXIT.FINDINGS);
      } finally {
        await store?.close();
      }
    });
}

export function renderTable(linked: readonly LinkedLeak[], files: number, bytes: number): string {
  const summary = `${plural(linked.length, 'leak')} in ${plural(files, 'file')} (${(bytes / 1e6).toFixed(1)} MB scanned)\n`;
  if (linked.length === 0) return summary;
  const rows = linked.map(({ leak: l, identity }) => [
    l.severity.toUpperCase(),
    `${l.file}:${l.line}:${l.column}`,
    l.type,
    l.masked,
    identity
      ? `${identity.provider} ${identity.nativeId}${identity.agents.length ? ` -> ${identity.agents.map((a) => a.name).join(', ')}` : ''}`
      : '-',
    l.commit
      ? `${l.commit.slice(0, 10)} ${l.date?.slice(0, 10) ?? ''}${l.presentAtHead === false ? ' (gone at HEAD)' : ''}`
      : '',
  ]);
  return (
    table([['SEVERITY', 'WHERE', 'TYPE', 'SECRET', 'IDENTITY / AGENTS', 'COMMIT'], ...rows], {
      max: [8, 60, 44, 30, 60, 40],
    }) + summary
  );
}
