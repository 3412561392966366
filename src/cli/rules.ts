import fs from 'node:fs';
import os from 'node:os';
import type { Command } from 'commander';
import { activateRuleSet, copyRuleSet, getRuleSet, listRuleSets } from '../app/kernel/rule-sets.ts';
import { invalid } from '../domain/errors.ts';
import { contactsEditionEdits, mergeEdits, type RuleEdits } from '../domain/rules/catalogue.ts';
import { withCliContext } from './context.ts';

/** The operator at the terminal, recorded on `rules.*` events. */
function cliActor(command: string) {
  return { userId: null, username: `cli:${command}:${os.userInfo().username}` };
}

function readEdits(file: string | undefined): RuleEdits {
  if (!file) return {};
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw invalid('--file', `cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid('--file', `${file} is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid('--file', `${file} must hold a JSON object`);
  }
  return parsed as RuleEdits;
}

export function registerRules(program: Command): void {
  const rules = program
    .command('rules')
    .description('rule sets (规则集): list, show, choose the active one, copy with edits');

  rules
    .command('list')
    .description('shipped rule sets and operator copies; * marks the active one')
    .action(async () => {
      await withCliContext(async (ctx) => {
        for (const s of await listRuleSets(ctx)) {
          const mark = s.active ? '*' : ' ';
          const origin = s.shipped ? 'shipped' : `copy of ${s.basedOn ?? '?'}`;
          console.log(`${mark} ${s.name}  v${s.version}  ${s.title.zh} / ${s.title.en}  (${origin})`);
        }
      });
    });

  rules
    .command('show')
    .argument('<name>', 'rule set name')
    .description('print a rule set, every section, as JSON')
    .action(async (name: string) => {
      await withCliContext(async (ctx) => {
        console.log(JSON.stringify(await getRuleSet(ctx.store.db, name), null, 2));
      });
    });

  rules
    .command('use')
    .argument('<name>', 'rule set name')
    .description('make a rule set the active one for this deployment (every section switches)')
    .action(async (name: string) => {
      await withCliContext(async (ctx) => {
        const bundle = await activateRuleSet(ctx, name, cliActor('rules use'));
        console.log(`active rule set: ${bundle.name} v${bundle.version}`);
      });
    });

  rules
    .command('copy')
    .argument('<from>', 'rule set to copy')
    .argument('<to>', 'name of the copy (an existing copy gets its next version)')
    .option(
      '--file <edits.json>',
      'edits to apply: any part of the bundle; objects merge, arrays and values replace',
    )
    .option('--contacts <edition>', 'switch the contact protocol edition (8th or 9th) with all its numbers')
    .description('copy a rule set under a new name with edits; the result is validated before it is saved')
    .action(async (from: string, to: string, options: { file?: string; contacts?: string }) => {
      let edits = readEdits(options.file);
      if (options.contacts !== undefined) {
        if (options.contacts !== '8th' && options.contacts !== '9th') {
          throw invalid('--contacts', 'must be 8th or 9th', options.contacts);
        }
        // The edition's numbers first, so the file's own contact edits still win.
        edits = mergeEdits(contactsEditionEdits(options.contacts), edits) as RuleEdits;
      }
      await withCliContext(async (ctx) => {
        const copy = await copyRuleSet(ctx, from, to, edits, cliActor('rules copy'));
        console.log(`saved ${copy.name} v${copy.version} (based on ${copy.basedOn})`);
      });
    });
}
