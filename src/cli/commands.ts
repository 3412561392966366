import type { Command } from 'commander';
import { registerAudit } from './audit.ts';
import { registerCases } from './cases.ts';
import { registerImport } from './import.ts';
import { registerMigrate } from './migrate.ts';
import { registerPurge } from './purge.ts';
import { registerRules } from './rules.ts';
import { registerSeed } from './seed.ts';
import { registerServe } from './serve.ts';
import { registerSimulate } from './simulate.ts';
import { registerStart } from './start.ts';
import { registerTracing } from './tracing.ts';
import { registerUser } from './user.ts';
import { registerZones } from './zones.ts';

/** Every subcommand's registration; one file per subcommand. */
export const commandRegistrations: ((program: Command) => void)[] = [
  registerStart,
  registerMigrate,
  registerServe,
  registerUser,
  registerAudit,
  registerPurge,
  registerRules,
  registerSeed,
  registerImport,
  registerTracing,
  registerZones,
  registerCases,
  registerSimulate,
];
