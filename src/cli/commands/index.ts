import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { registerAudit } from './audit.js';
import { registerImport } from './import.js';
import { registerInit } from './init.js';
import { registerInventory } from './inventory.js';
import { registerScan } from './scan.js';
import { registerBlastRadius } from './blast-radius.js';
import { registerEscalations } from './escalations.js';
import { registerPaths } from './paths.js';

/** Every subcommand; each registers itself on the program with the shared context. */
export const COMMANDS: ((program: Command, ctx: CommandContext) => void)[] = [
  registerInit,
  registerImport,
  registerInventory,
  registerEscalations,
  registerBlastRadius,
  registerPaths,
  registerAudit,
  registerScan,
];
