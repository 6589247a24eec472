import path from 'node:path';
import type { Command } from 'commander';
import { CONNECTORS, importPaths, type FileReport, type ImportReport } from '../../connectors/index.js';
import { EXIT, WardenError } from '../../errors/index.js';
import type { ImportCounts } from '../../store/index.js';
import { parseFormat, type CommandContext } from '../context.js';
import { plural, table } from '../format.js';

export function registerImport(program: Command, ctx: CommandContext): void {
  program
    .command('import')
    .description(
      'import exports, configs and declarations (files or folders); each file is detected by its format',
    )
    .argument('<path...>', 'files or folders to import')
    .option('--format <format>', 'output: table or json', 'table')
    .option(
      '--usage-only',
      'keep only the usage aggregate of logs (per identity, action, resource and user agent), not each event',
    )
    .action(async (paths: string[], opts: { format?: string; usageOnly?: boolean }) => {
      const format = parseFormat(opts.format, ['table', 'json'] as const, 'table');
      const config = ctx.config();
      const store = await ctx.openStore(config);
      try {
        const report = await importPaths({
          store,
          config,
          connectors: CONNECTORS,
          paths: paths.map((p) => path.resolve(ctx.io.cwd, p)),
          rawEvents: opts.usageOnly !== true,
        });
        ctx.io.stdout.write(
          format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderImport(report),
        );
        ctx.exit(importExitCode(report));
      } finally {
        await store.close();
      }
    });
}

/** 2 when any file failed, a named file was not recognised, or nothing at all was recognised. */
export function importExitCode(report: ImportReport): number {
  if (report.files.some((f) => f.status === 'failed' || f.error)) return EXIT.ERROR;
  if (!report.files.some((f) => f.status === 'imported')) return EXIT.ERROR;
  return EXIT.OK;
}

export function assertSomethingImported(report: ImportReport, paths: readonly string[]): void {
  if (!report.files.some((f) => f.status === 'imported')) {
    throw new WardenError('WARDEN_NOTHING_RECOGNISED', `nothing Warden recognises in ${paths.join(', ')}`);
  }
}

const COUNT_NAMES: [keyof ImportCounts, string][] = [
  ['agent', 'agent'],
  ['identity', 'identity'],
  ['link', 'link'],
  ['owner', 'owner'],
  ['grant', 'grant'],
  ['resource', 'resource'],
  ['edge', 'edge'],
  ['event', 'event'],
];

function describeCounts(c: ImportCounts | undefined): string {
  if (!c) return '';
  return (
    COUNT_NAMES.filter(([k]) => c[k] > 0)
      .map(([k, w]) => plural(c[k], w))
      .join(', ') || 'nothing'
  );
}

export function renderImport(report: ImportReport): string {
  const rows: string[][] = [];
  let out = '';
  const lines: string[] = [];
  for (const f of report.files) {
    if (f.status === 'unrecognised' && !f.error) continue;
    rows.push([f.file, f.format ?? '-', statusCell(f)]);
  }
  out += table([['FILE', 'FORMAT', 'RESULT'], ...rows], { max: [70, 34, 200] });
  for (const f of report.files) {
    for (const s of f.skipped) lines.push(`skipped ${f.file} ${s.pointer}: ${s.reason}`);
    for (const n of f.notes) lines.push(`note    ${f.file} ${n.pointer}: ${n.reason}`);
    if (f.error) lines.push(`error   ${f.error.message} [${f.error.code}]`);
  }
  for (const i of report.issues) lines.push(`error   ${i.file}: ${i.reason}`);
  const unrec = report.files.filter((f) => f.status === 'unrecognised' && !f.error).length;
  if (unrec > 0)
    lines.push(`${plural(unrec, 'file')} in the folders not recognised (not an export Warden reads)`);
  if (lines.length) out += '\n' + lines.join('\n') + '\n';
  const imported = report.files.filter((f) => f.status === 'imported').length;
  const failed = report.files.filter((f) => f.status === 'failed').length;
  out += `\n${plural(imported, 'file')} imported, ${failed} failed, ${plural(report.derivedLinks, 'derived link')}\n`;
  return out;
}

function statusCell(f: FileReport): string {
  if (f.status === 'failed') return `FAILED (${f.error?.code ?? 'error'})`;
  if (f.status === 'unrecognised') return 'UNRECOGNISED';
  let s = describeCounts(f.counts);
  if (f.skipped.length) s += `; ${f.skipped.length} skipped`;
  if (f.gone) s += `; ${f.gone} gone since last import`;
  return s;
}
