import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { registerImport } from './import.js';
import { registerInit } from './init.js';
import { registerInventory } from './inventory.js';

/** Every subcommand; each registers itself on the program with the shared context. */
export const COMMANDS: ((program: Command, ctx: CommandContext) => void)[] = [
  registerInit,
  registerImport,
  registerInventory,
];
