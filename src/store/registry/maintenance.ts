import { sql, type Kysely } from 'kysely';
import type { Store } from '../database.ts';
import type { Database } from '../schema.ts';

/** The registry's tables, children before parents (the order to clear them in). */
const REGISTRY_TABLES = [
  'people',
  'households',
  'facility_beds',
  'facilities',
  'sampling_sites',
  'organisations',
  'places',
  'regions',
] as const;

export async function registryIsEmpty(db: Kysely<Database>): Promise<boolean> {
  const region = await db.selectFrom('regions').select('id').limit(1).executeTakeFirst();
  const person = await db.selectFrom('people').select('id').limit(1).executeTakeFirst();
  return !region && !person;
}

/** Removes every registry row (a failed seed cleans up after itself with this). */
export async function clearRegistry(store: Store): Promise<void> {
  for (const table of REGISTRY_TABLES) await store.db.deleteFrom(table).execute();
}

/** Fresh planner statistics after a bulk load (PostgreSQL; SQLite plans well without them). */
export async function analyseRegistry(store: Store): Promise<void> {
  if (store.dialect !== 'postgres') return;
  await sql.raw(`analyze ${REGISTRY_TABLES.map((t) => `"${t}"`).join(', ')}`).execute(store.db);
}

export interface RegistryCounts {
  districts: number;
  streets: number;
  committees: number;
  compounds: number;
  buildings: number;
  otherPlaces: number;
  households: number;
  people: number;
  organisations: number;
  samplingSites: number;
  facilities: number;
  beds: number;
}

/**
 * What the registry holds. `known` counts (e.g. rows a bulk load has just written) are taken as
 * given, because counting 25 M people costs seconds.
 */
export async function registryCounts(
  db: Kysely<Database>,
  known: Partial<Record<(typeof REGISTRY_TABLES)[number], number>> = {},
): Promise<RegistryCounts> {
  const count = async (table: (typeof REGISTRY_TABLES)[number]) =>
    known[table] ??
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const levels = await db
    .selectFrom('regions')
    .select(['level', (eb) => eb.fn.countAll().as('n')])
    .groupBy('level')
    .execute();
  const kinds = await db
    .selectFrom('places')
    .select(['kind', (eb) => eb.fn.countAll().as('n')])
    .groupBy('kind')
    .execute();
  const level = (l: string) => Number(levels.find((r) => r.level === l)?.n ?? 0);
  const kind = (k: string) => Number(kinds.find((r) => r.kind === k)?.n ?? 0);
  const beds = await db
    .selectFrom('facility_beds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('total'), sql<number>`0`).as('n'))
    .executeTakeFirstOrThrow();
  const places = kinds.reduce((s, r) => s + Number(r.n), 0);
  return {
    districts: level('district'),
    streets: level('street'),
    committees: level('committee'),
    compounds: kind('compound'),
    buildings: kind('building'),
    otherPlaces: places - kind('compound') - kind('building'),
    households: await count('households'),
    people: await count('people'),
    organisations: await count('organisations'),
    samplingSites: await count('sampling_sites'),
    facilities: await count('facilities'),
    beds: Number(beds.n),
  };
}
