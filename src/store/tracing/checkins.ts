import { sql, type Transaction } from 'kysely';
import type { Store } from '../database.ts';
import type { Database } from '../schema.ts';
import type { TracingCheckinTable } from './tables.ts';

/**
 * Bulk check-ins and the set-based co-presence join. The one file where tracing's two dialects
 * differ: SQLite takes rows through one prepared statement on the raw handle (inside the caller's
 * transaction — better-sqlite3 shares the connection Kysely holds), PostgreSQL through `unnest`
 * of column arrays, one statement per 20,000 rows.
 */

const PG_CHUNK = 20_000;

/** Inserts check-ins, ignoring exact repeats (same venue, instant, person): a re-sent upload is a no-op. Returns rows added. */
export async function insertCheckins(
  store: Store,
  trx: Transaction<Database>,
  rows: readonly TracingCheckinTable[],
): Promise<number> {
  if (rows.length === 0) return 0;
  if (store.dialect === 'sqlite') {
    const statement = store.sqlite!.prepare(
      'insert or ignore into tracing_checkins (venue_id, at, person_id, district_id, person_district_id) values (?, ?, ?, ?, ?)',
    );
    let added = 0;
    for (const r of rows) {
      added += statement.run(r.venue_id, r.at, r.person_id, r.district_id, r.person_district_id).changes;
    }
    return added;
  }
  let added = 0;
  for (let i = 0; i < rows.length; i += PG_CHUNK) {
    const chunk = rows.slice(i, i + PG_CHUNK);
    const column = (key: keyof TracingCheckinTable) => chunk.map((r) => r[key]);
    const result = await sql`
      insert into tracing_checkins (venue_id, at, person_id, district_id, person_district_id)
      select * from unnest(${column('venue_id')}::bigint[], ${column('at')}::bigint[], ${column('person_id')}::bigint[],
                           ${column('district_id')}::bigint[], ${column('person_district_id')}::bigint[])
      on conflict do nothing`.execute(trx);
    added += Number(result.numAffectedRows ?? 0);
  }
  return added;
}

/** A case's own check-ins in its exposure period: where the case was, by the venue codes it scanned. */
export interface CasePresenceRow {
  case_id: number;
  person_id: number;
  venue_id: number;
  district_id: number;
  at: number;
}

export async function casePresences(
  trx: Transaction<Database>,
  investigationIds: readonly number[],
): Promise<CasePresenceRow[]> {
  const out: CasePresenceRow[] = [];
  for (let i = 0; i < investigationIds.length; i += 900) {
    const chunk = investigationIds.slice(i, i + 900);
    const rows = await trx
      .selectFrom('tracing_investigations as i')
      .innerJoin('tracing_checkins as c', (join) =>
        join
          .onRef('c.person_id', '=', 'i.person_id')
          .onRef('c.at', '>=', 'i.exposure_from_at')
          .onRef('c.at', '<=', 'i.reported_at'),
      )
      .select(['i.case_id', 'i.person_id', 'c.venue_id', 'c.district_id', 'c.at'])
      .where('i.id', 'in', chunk)
      .execute();
    out.push(...rows);
  }
  return out;
}

/** A window to join against, with the districts that route the rows. */
export interface MatchWindow {
  caseId: number;
  casePersonId: number;
  caseDistrictId: number;
  venueId: number;
  venueDistrictId: number;
  lo: number;
  hi: number;
}

export interface ProposedRow {
  id: number;
  district_id: number;
  street_id: number;
  person_id: number;
  case_id: number;
  case_district_id: number;
}

/**
 * One statement: every check-in at a window's venue between its bounds (an index range scan on
 * the check-ins key per window) becomes a proposed close contact of the window's case — unless
 * it is the case, someone who is a case themself, or already recorded for that case. The windows
 * travel as one parameter (a JSON array on SQLite, column arrays on PostgreSQL), so a day's
 * thousands of cases cost one round trip and no temporary table.
 */
export async function proposeCoPresentContacts(
  store: Store,
  trx: Transaction<Database>,
  windows: readonly MatchWindow[],
  now: number,
): Promise<ProposedRow[]> {
  if (windows.length === 0) return [];
  const source =
    store.dialect === 'sqlite'
      ? sql`(select json_extract(value, '$[0]') as case_id, json_extract(value, '$[1]') as case_person_id,
                    json_extract(value, '$[2]') as case_district_id, json_extract(value, '$[3]') as venue_id,
                    json_extract(value, '$[4]') as venue_district_id, json_extract(value, '$[5]') as lo,
                    json_extract(value, '$[6]') as hi
             from json_each(${JSON.stringify(windows.map((w) => [w.caseId, w.casePersonId, w.caseDistrictId, w.venueId, w.venueDistrictId, w.lo, w.hi]))}))`
      : sql`(select * from unnest(${windows.map((w) => w.caseId)}::bigint[], ${windows.map((w) => w.casePersonId)}::bigint[],
                                  ${windows.map((w) => w.caseDistrictId)}::bigint[], ${windows.map((w) => w.venueId)}::bigint[],
                                  ${windows.map((w) => w.venueDistrictId)}::bigint[], ${windows.map((w) => w.lo)}::bigint[],
                                  ${windows.map((w) => w.hi)}::bigint[])
             as t(case_id, case_person_id, case_district_id, venue_id, venue_district_id, lo, hi))`;
  // CROSS JOIN fixes SQLite's join order: windows outside, the check-ins key probed inside.
  const result = await sql<ProposedRow>`
    insert into tracing_contacts (district_id, street_id, person_id, case_id, case_district_id, degree, status,
                                  exposure_kind, exposure_place_id, exposure_at, proposed_by, created_at)
    select p.district_id, p.street_id, c.person_id, w.case_id, w.case_district_id, 'close', 'proposed',
           'venue', c.venue_id, c.at, 'match', ${now}
    from ${source} as w
    cross join tracing_checkins as c
    join people as p on p.district_id = c.person_district_id and p.id = c.person_id
    where c.district_id = w.venue_district_id and c.venue_id = w.venue_id and c.at between w.lo and w.hi
      and c.person_id <> w.case_person_id
      and not exists (select 1 from tracing_investigations as x where x.person_id = c.person_id)
    order by w.case_id, c.person_id, c.at
    on conflict (district_id, case_id, person_id) do nothing
    returning id, district_id, street_id, person_id, case_id, case_district_id`.execute(trx);
  return result.rows;
}

export async function countCheckins(trx: Transaction<Database>): Promise<number> {
  const row = await trx
    .selectFrom('tracing_checkins')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
