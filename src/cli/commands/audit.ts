import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import {
  defaultAnalysers,
  failingFindings,
  runAudit,
  writeReports,
  type AuditStep,
} from '../../audit/index.js';
import { EXIT, WardenError } from '../../errors/index.js';
import { REPORT_FORMATS, renderTerminal, type ReportFormat } from '../../report/index.js';
import { parseFailOn, type CommandContext } from '../context.js';

function packageVersion(): string {
  try {
    return (
      JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    return '0.0.0';
  }
}

export function parseFormats(value: string | undefined): ReportFormat[] {
  const list = (value ?? REPORT_FORMATS.join(','))
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = list.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (bad.length || list.length === 0) {
    throw new WardenError(
      'WARDEN_USAGE',
      `--format takes a comma-separated list of ${REPORT_FORMATS.join(', ')} (got '${value}')`,
    );
  }
  return [...new Set(list)] as ReportFormat[];
}

const STEP_LABEL: Record<AuditStep, string> = {
  import: 'importing',
  scan: 'scanning for secrets',
  read: 'reading the inventory',
  graph: 'building the access graph',
  posture: 'evaluating posture',
  report: 'writing reports',
  store: 'storing the audit',
};

export function registerAudit(program: Command, ctx: CommandContext): void {
  program
    .command('audit')
    .description('import everything recognisable in a folder, analyse it and write the audit reports')
    .argument('<dir...>', 'folders or files of exports, configs and code')
    .option('--out <dir>', 'where the reports go', '.warden/reports')
    .option('--format <list>', `comma-separated: ${REPORT_FORMATS.join(',')}`, REPORT_FORMATS.join(','))
    .option(
      '--fail-on <severity>',
      'exit 1 when an open finding is at or above this severity (info, low, medium, high, critical)',
    )
    .option(
      '--keep-events',
      'store every log event as well (the audit itself needs only the usage aggregate it always keeps)',
    )
    .action(
      async (
        paths: string[],
        opts: { out: string; format?: string; failOn?: string; keepEvents?: boolean },
      ) => {
        const formats = parseFormats(opts.format);
        const config = ctx.config();
        const failOn = parseFailOn(opts.failOn, config.failOn);
        const tty = ctx.io.stderr.isTTY === true;
        let lastLine = 0;
        const onProgress = (step: AuditStep, detail?: string) => {
          if (!tty) return;
          const line = `warden audit: ${STEP_LABEL[step]}${detail ? ` ${detail}` : ''}`.slice(0, 110);
          ctx.io.stderr.write(`\r${line.padEnd(lastLine)}`);
          lastLine = line.length;
        };
        const store = await ctx.openStore(config);
        try {
          const { doc } = await runAudit({
            store,
            config,
            paths,
            version: packageVersion(),
            analysers: defaultAnalysers(),
            onProgress,
            keepEvents: opts.keepEvents === true,
          });
          const outDir = path.resolve(ctx.io.cwd, opts.out);
          const written = writeReports(doc, outDir, formats).map((f) => path.relative(ctx.io.cwd, f) || f);
          if (formats.includes('terminal')) ctx.io.stdout.write(renderTerminal(doc, { written }));
          else for (const w of written) ctx.io.stdout.write(`${w}\n`);
          const html = written.find((w) => w.endsWith('.html'));
          if (html && formats.includes('terminal')) ctx.io.stdout.write(`\nOpen the HTML report: ${html}\n`);
          if (failOn && failingFindings(doc, failOn) > 0) ctx.exit(EXIT.FINDINGS);
        } finally {
          if (tty && lastLine) ctx.io.stderr.write(`\r${' '.repeat(lastLine)}\r`);
          await store.close();
        }
      },
    );
}
