import type { Command } from 'commander';
import { WardenError } from '../../errors/index.js';
import { findPaths } from '../../graph/index.js';
import { parseFormat, type CommandContext } from '../context.js';
import { resolveNode } from './blast-radius.js';
import { prepareAnalysis } from './escalations.js';

export function registerPaths(program: Command, ctx: CommandContext): void {
  program
    .command('paths')
    .description(
      'shortest attack paths from an agent or identity to another node, or to administrator-equivalent access',
    )
    .requiredOption('--from <node>', 'agent name or identity native id')
    .requiredOption('--to <node>', "target native id, or 'admin' for any administrator-equivalent access")
    .argument(
      '[inputs...]',
      'files or folders to import into a temporary store first (default: the configured store)',
    )
    .option('--limit <n>', 'at most this many paths (every shortest one first)', '10')
    .option('--format <format>', 'output: table or json', 'table')
    .action(async (inputs: string[], opts: { from: string; to: string; limit: string; format?: string }) => {
      const format = parseFormat(opts.format, ['table', 'json'] as const, 'table');
      const prepared = await prepareAnalysis(ctx, inputs);
      try {
        const g = prepared.built.graph;
        const from = resolveNode(g, opts.from);
        const to = opts.to === 'admin' ? 'admin' : resolveNode(g, opts.to);
        if (to === from) throw new WardenError('WARDEN_USAGE', '--from and --to name the same node');
        const paths = findPaths(g, from, to, { limit: Math.max(1, Number(opts.limit) || 10) });
        if (format === 'json') {
          ctx.io.stdout.write(
            JSON.stringify(
              paths.map(({ targetNode: _t, ...p }) => p),
              null,
              2,
            ) + '\n',
          );
          return;
        }
        if (paths.length === 0) {
          ctx.io.stdout.write(
            `No path from ${g.nativeId(from)} to ${to === 'admin' ? 'administrator-equivalent access' : g.nativeId(to)}.\n`,
          );
          return;
        }
        for (const [i, p] of paths.entries()) {
          ctx.io.stdout.write(
            `Path ${i + 1} (${p.hops} hop${p.hops === 1 ? '' : 's'}${p.confidence < 1 ? `, confidence ${p.confidence}` : ''}) to ${p.target}:\n`,
          );
          ctx.io.stdout.write(`  ${p.path[0]}\n`);
          for (const c of p.chain)
            ctx.io.stdout.write(
              `    --${c.technique ?? c.kind}${c.level ? ` (${c.level})` : ''}--> ${c.to}${c.note ? `   [${c.note}]` : ''}\n`,
            );
        }
      } finally {
        await prepared.close();
      }
    });
}
