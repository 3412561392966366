import { SqliteAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import type {} from '../screening/tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

const WATERMARK = 'site_hours.scans';
const HOUR_MS = 3_600_000;
/** Scans folded per sweep: bounded work per clock tick however large the round. */
const BATCH = 50_000;

async function readWatermark(db: Db, name: string): Promise<{ done: number; seen: number }> {
  const rows = await db
    .selectFrom('command_watermarks')
    .select(['name', 'value'])
    .where('name', 'in', [name, `${name}.seen`])
    .execute();
  const value = (n: string) => Number(rows.find((r) => r.name === n)?.value ?? 0);
  return { done: value(name), seen: value(`${name}.seen`) };
}

async function writeWatermark(db: Db, name: string, value: number): Promise<void> {
  await db
    .insertInto('command_watermarks')
    .values({ name, value })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
    .execute();
}

/** Every district, where scans are keyed by district first (PostgreSQL); null on SQLite. */
async function districtIds(db: Db): Promise<number[] | null> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return null;
  const rows = await db.selectFrom('regions').select('id').where('level', '=', 'district').execute();
  return rows.length > 0 ? rows.map((r) => Number(r.id)) : null;
}

/**
 * The highest scan id. On PostgreSQL `max(id)` alone reads the whole (district_id, id) key —
 * 120–170 ms a sweep at 2.5 M scans — so each district's highest id is read from the end of
 * its part of the key instead.
 */
async function highestScanId(db: Db, districts: number[] | null): Promise<number> {
  if (districts === null) {
    const top = await db
      .selectFrom('scans')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    return Number(top?.id ?? 0);
  }
  const top = await sql<{ id: string | number | null }>`
    select max(m.id) as id from unnest(${districts}::bigint[]) as d(id)
    cross join lateral (select s.id from scans s where s.district_id = d.id order by s.id desc limit 1) m`.execute(
    db,
  );
  return Number(top.rows[0]?.id ?? 0);
}

/**
 * Folds scans not yet counted into hourly tallies per site. Scans publish no event (a round is
 * millions), so the tally follows the scans table by id. On PostgreSQL ids are handed out before
 * commit, so a scan may commit after a higher id: a sweep only folds ids up to the highest id the
 * *previous* sweep saw (seconds ago), by which time the transactions that held lower ids have
 * committed. Returns how many scans were folded.
 */
export async function foldNewScans(db: Db): Promise<number> {
  const { done, seen } = await readWatermark(db, WATERMARK);
  const districts = await districtIds(db);
  const highest = await highestScanId(db, districts);
  const upTo = Math.min(seen, done + BATCH);
  let folded = 0;
  if (upTo > done) {
    const rows = await db
      .selectFrom('scans as s')
      .innerJoin('sampling_sites as site', 'site.id', 's.site_id')
      .select((eb) => [
        's.site_id',
        'site.district_id',
        sql<number>`${sql.ref('s.collected_at')} / ${sql.lit(HOUR_MS)}`.as('hour'),
        eb.fn.countAll<number>().as('n'),
      ])
      // On PostgreSQL the key is (district_id, id): naming the districts lets it range over each
      // district's ids instead of reading every scan (ADR 0003). SQLite's key is the id.
      .$if(districts !== null, (q) => q.where('s.district_id', 'in', districts!))
      .where('s.id', '>', done)
      .where('s.id', '<=', upTo)
      .groupBy(['s.site_id', 'site.district_id', sql`${sql.ref('s.collected_at')} / ${sql.lit(HOUR_MS)}`])
      .execute();
    for (const r of rows) {
      const n = Number(r.n);
      folded += n;
      await db
        .insertInto('command_site_hours')
        .values({
          site_id: Number(r.site_id),
          hour: Math.floor(Number(r.hour)),
          district_id: Number(r.district_id),
          scans: n,
        })
        .onConflict((oc) =>
          oc
            .columns(['site_id', 'hour'])
            .doUpdateSet({ scans: sql<number>`${sql.ref('command_site_hours.scans')} + ${n}` }),
        )
        .execute();
    }
    await writeWatermark(db, WATERMARK, upTo);
  }
  await writeWatermark(db, `${WATERMARK}.seen`, highest);
  return folded;
}

export interface SiteLoad {
  siteId: number;
  districtId: number;
  streetId: number;
  hourlyCapacity: number;
  currentHour: number;
  previousHour: number;
}

/** Sites with scans in the current or previous clock hour of `now`; older tallies are dropped. */
export async function recentSiteLoads(db: Db, now: number): Promise<SiteLoad[]> {
  const hour = Math.floor(now / HOUR_MS);
  await db
    .deleteFrom('command_site_hours')
    .where('hour', '<', hour - 2)
    .execute();
  const rows = await db
    .selectFrom('command_site_hours as h')
    .innerJoin('sampling_sites as site', 'site.id', 'h.site_id')
    .select(['h.site_id', 'h.hour', 'h.scans', 'site.district_id', 'site.street_id', 'site.hourly_capacity'])
    .where('h.hour', 'in', [hour, hour - 1])
    .execute();
  const bySite = new Map<number, SiteLoad>();
  for (const r of rows) {
    const id = Number(r.site_id);
    const load = bySite.get(id) ?? {
      siteId: id,
      districtId: Number(r.district_id),
      streetId: Number(r.street_id),
      hourlyCapacity: Number(r.hourly_capacity),
      currentHour: 0,
      previousHour: 0,
    };
    if (Number(r.hour) === hour) load.currentHour += Number(r.scans);
    else load.previousHour += Number(r.scans);
    bySite.set(id, load);
  }
  return [...bySite.values()];
}
