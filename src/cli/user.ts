import crypto from 'node:crypto';
import type { Command } from 'commander';
import { createUser, resolveRegion } from '../app/access/users.ts';
import { ROLES } from '../domain/access/roles.ts';
import { invalid } from '../domain/errors.ts';
import { withCliContext } from './context.ts';

interface UserAddOptions {
  username: string;
  password?: string;
  role: string;
  region?: string;
  organisation?: string;
  person?: string;
  displayName?: string;
}

function idOption(name: string, value: string | undefined): number | undefined {
  if (value == null) return undefined;
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0) throw invalid(name, 'must be a positive whole number', value);
  return id;
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('manage users (用户)');
  user
    .command('add')
    .description('create a user with a role and a scope')
    .requiredOption('--username <name>', 'login name')
    .option('--password <password>', 'password (≥ 8 characters); omit to generate one and print it')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--region <code|id>', 'scope region (admin, command, street staff, tracer), by code or id')
    .option('--organisation <id>', 'scope organisation (transfer, facility, sampler, lab, employer)')
    .option('--person <id>', 'the person a resident is')
    .option('--display-name <name>', 'name shown in the interface')
    .action(async (options: UserAddOptions) => {
      // Generating by default keeps passwords out of shell history and process lists.
      const password = options.password ?? crypto.randomBytes(12).toString('base64url');
      await withCliContext(async (ctx) => {
        const created = await createUser(ctx, {
          username: options.username,
          password,
          role: options.role,
          regionId: options.region != null ? await resolveRegion(ctx, options.region) : undefined,
          organisationId: idOption('--organisation', options.organisation),
          personId: idOption('--person', options.person),
          displayName: options.displayName,
        });
        console.log(`created user ${created.username} (${created.role}, ${JSON.stringify(created.scope)})`);
        if (!options.password) console.log(`password: ${password}`);
      });
    });
}
