import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { INIT_TEMPLATE } from '../../config/index.js';
import { WardenError } from '../../errors/index.js';
import type { CommandContext } from '../context.js';

export function registerInit(program: Command, ctx: CommandContext): void {
  program
    .command('init')
    .description('write a commented warden.yaml in the current folder')
    .option('--force', 'overwrite an existing warden.yaml')
    .action((opts: { force?: boolean }) => {
      const file = path.join(ctx.io.cwd, 'warden.yaml');
      if (existsSync(file) && !opts.force) {
        throw new WardenError('WARDEN_CONFLICT', `${file} exists; use --force to overwrite it`);
      }
      writeFileSync(file, INIT_TEMPLATE, { mode: 0o644 });
      ctx.io.stdout.write(`wrote ${path.relative(ctx.io.cwd, file) || file}\n`);
    });
}
