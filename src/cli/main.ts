import { Command, CommanderError } from 'commander';
import { DomainError } from '../domain/errors.ts';
import { commandRegistrations } from './commands.ts';

/** The `cordon` command. Each subcommand lives in its own file and registers itself here. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('cordon')
    .description('Cordon — outbreak-response command platform 疫情防控指挥平台')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commandRegistrations) register(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (error instanceof DomainError) {
      console.error(`error [${error.code}]: ${error.message}`);
      for (const d of error.details.slice(0, 50)) {
        const where = [d.line != null ? `line ${d.line}` : null, d.field ? `field ${d.field}` : null]
          .filter(Boolean)
          .join(', ');
        console.error(`  ${where ? `${where}: ` : ''}${d.message}`);
      }
      if (error.details.length > 50) console.error(`  … and ${error.details.length - 50} more`);
      process.exitCode = 1;
      return;
    }
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
