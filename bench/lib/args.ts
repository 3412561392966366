import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';

export interface BenchArgs {
  scale: number;
  seed: number;
  /** The bench's own options, as parsed strings and booleans. */
  options: Record<string, string | boolean | undefined>;
}

const common = z.object({
  scale: z.coerce.number().positive('--scale: expected a number above 0').max(4, '--scale: at most 4'),
  seed: z.coerce.number().int('--seed: expected a whole number').min(0),
});

/** `--scale S --seed N` plus the bench's own options; throws a readable error on bad input. */
export function benchArgs(
  argv: string[],
  extra: NonNullable<ParseArgsConfig['options']> = {},
  defaults = { scale: '0.01', seed: '1' },
): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string', default: defaults.scale },
      seed: { type: 'string', default: defaults.seed },
      ...extra,
    },
    allowPositionals: false,
  });
  const parsed = common.safeParse(values);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  return { ...parsed.data, options: values as BenchArgs['options'] };
}
