import type { Command } from 'commander';
import { registerMigrate } from './migrate.ts';

/** Every subcommand's registration; one file per subcommand. */
export const commandRegistrations: ((program: Command) => void)[] = [registerMigrate];
