/**
 * The rows of the registry's CSV files (docs/IMPORT.md), one zod schema per file. Every
 * message names what was expected, so an import error reads "line 17, field birth_year:
 * expected a year between 1900 and 2026". Cross-row and database checks (does the street
 * exist?) come after, in the import services.
 */
import { z } from 'zod';
import { checkNationalId } from './national-id.ts';
import { KEY_INDUSTRIES, PLACE_KINDS, VULNERABLE_FLAGS, type VulnerableFlag } from './vocabulary.ts';

/** Empty cells mean "not given". */
const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());

const text = (max: number) =>
  z.string().trim().min(1, 'expected a value').max(max, `expected at most ${max} characters`);
const integer = (min: number, max: number, what = 'a whole number') =>
  z.coerce
    .number({ error: `expected ${what} between ${min} and ${max}` })
    .int(`expected ${what} between ${min} and ${max}`)
    .min(min, `expected ${what} between ${min} and ${max}`)
    .max(max, `expected ${what} between ${min} and ${max}`);
const lng = z.coerce
  .number({ error: 'expected a longitude' })
  .min(-180, 'expected a longitude between -180 and 180')
  .max(180, 'expected a longitude between -180 and 180');
const lat = z.coerce
  .number({ error: 'expected a latitude' })
  .min(-90, 'expected a latitude between -90 and 90')
  .max(90, 'expected a latitude between -90 and 90');
const code = (digits: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{6}(\d{3}){0,2}$/, `expected ${digits}`);

export const REGION_COLUMNS = [
  'code',
  'name',
  'name_en',
  'level',
  'parent_code',
  'population',
  'lng',
  'lat',
] as const;

export const regionRowSchema = z.object({
  code: code('a region code of 6, 9 or 12 digits'),
  name: text(100),
  name_en: optional(text(200)),
  level: z.enum(['city', 'district', 'street', 'committee'], {
    error: 'expected city, district, street or committee',
  }),
  parent_code: optional(code('the parent region code (6, 9 or 12 digits)')),
  population: optional(integer(0, 100_000_000)),
  lng: optional(lng),
  lat: optional(lat),
});
export type RegionCsvRow = z.infer<typeof regionRowSchema>;

export const PLACE_COLUMNS = [
  'kind',
  'name',
  'street_code',
  'committee_code',
  'address',
  'parent_address',
  'floors',
  'lng',
  'lat',
] as const;

export const placeRowSchema = z.object({
  kind: z.enum(PLACE_KINDS, { error: `expected one of ${PLACE_KINDS.join(', ')}` }),
  name: text(200),
  street_code: code('a street code of 9 digits'),
  committee_code: optional(code('a committee code of 12 digits')),
  address: text(300),
  parent_address: optional(text(300)),
  floors: optional(integer(1, 200, 'a number of floors')),
  lng: optional(lng),
  lat: optional(lat),
});
export type PlaceCsvRow = z.infer<typeof placeRowSchema>;

export const PEOPLE_COLUMNS = [
  'id_number',
  'name',
  'phone',
  'birth_year',
  'sex',
  'street_code',
  'committee_code',
  'place_id',
  'address',
  'household',
  'floor',
  'workplace',
  'occupation',
  'vulnerable',
] as const;

const SEX = { M: 'M', F: 'F', 男: 'M', 女: 'F', m: 'M', f: 'F' } as const;

/** `maxYear` is the current year, given by the caller (the domain reads no clock). */
export function personRowSchema(maxYear: number) {
  return z
    .object({
      id_number: optional(
        z.string().superRefine((value, ctx) => {
          const check = checkNationalId(value);
          if (!check.ok) {
            ctx.addIssue({ code: 'custom', message: check.reason ?? 'not a national id number' });
          }
        }),
      ),
      name: text(100),
      phone: optional(
        z
          .string()
          .trim()
          .regex(/^\+?\d[\d -]{5,19}$/, 'expected a phone number of digits'),
      ),
      birth_year: optional(integer(1900, maxYear, 'a year')),
      sex: optional(
        z
          .string()
          .trim()
          .refine((v) => v in SEX, 'expected M or F (男 / 女)')
          .transform((v) => SEX[v as keyof typeof SEX]),
      ),
      street_code: code('a street code of 9 digits'),
      committee_code: optional(code('a committee code of 12 digits')),
      place_id: optional(integer(1, Number.MAX_SAFE_INTEGER, 'a place id')),
      address: optional(text(300)),
      household: optional(text(100)),
      floor: optional(integer(-5, 200, 'a floor')),
      workplace: optional(text(200)),
      occupation: optional(
        z.enum(KEY_INDUSTRIES, { error: `expected one of ${KEY_INDUSTRIES.join(', ')} or empty` }),
      ),
      vulnerable: optional(
        z
          .string()
          .transform((v) =>
            v
              .split(/[;|,]/)
              .map((f) => f.trim())
              .filter(Boolean),
          )
          .pipe(
            z.array(
              z.enum(VULNERABLE_FLAGS, {
                error: `expected flags among ${VULNERABLE_FLAGS.join(', ')}, separated by ;`,
              }),
            ),
          ),
      ),
    })
    .superRefine((row, ctx) => {
      if (row.place_id !== undefined && row.address !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['address'], message: 'give place_id or address, not both' });
      }
    });
}
export type PersonCsvRow = z.infer<ReturnType<typeof personRowSchema>>;

export function vulnerableText(flags: readonly VulnerableFlag[] | undefined): string {
  return [...new Set(flags ?? [])].join(',');
}
