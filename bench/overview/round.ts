import type { Insertable } from 'kysely';
import type { AppContext } from '../../src/app/context.ts';
import { getActiveRuleSet } from '../../src/app/kernel/rule-sets.ts';
import { Random } from '../../src/domain/random.ts';
import { roundPooling } from '../../src/domain/screening/pooling.ts';
import { atLocalTime, type CalendarDay } from '../../src/domain/time/calendar.ts';
import type { ScanTable, TubeTable } from '../../src/store/screening/tables.ts';

/**
 * Screening's part of the peak (../shared/SPEC.md, Benchmarks: "a citywide round's scans and
 * results"): the round of the day before, sampled over that day at each street's own sites in
 * tubes of ten, every tube through boxing, transport, the lab and the members' notification — a
 * finished round, written straight to the tables (the ingest bench times the real path).
 * Coverage is 97 %: a round never reaches everyone.
 */
const TZ = 'Asia/Shanghai';
const POOL = 10;
const COVERAGE = 0.97;
const MINUTE = 60_000;
const CHUNK = 50_000;

export interface PeakRound {
  roundId: number;
  tubes: number;
  scans: number;
  seconds: number;
}

interface Person {
  id: number;
  district_id: number;
  street_id: number;
}

async function sitesByStreet(ctx: AppContext) {
  const sites = await ctx.store.db
    .selectFrom('sampling_sites')
    .select(['id', 'district_id', 'street_id'])
    .orderBy('id')
    .execute();
  const byStreet = new Map<number, number[]>();
  const byDistrict = new Map<number, number[]>();
  const add = (map: Map<number, number[]>, key: number, id: number) => {
    const list = map.get(key);
    if (list) list.push(id);
    else map.set(key, [id]);
  };
  for (const s of sites) {
    add(byStreet, s.street_id, s.id);
    add(byDistrict, s.district_id, s.id);
  }
  return { byStreet, byDistrict, street: new Map(sites.map((s) => [s.id, s.street_id])) };
}

async function labsByDistrict(ctx: AppContext): Promise<(districtId: number) => number> {
  const labs = await ctx.store.db
    .selectFrom('organisations')
    .select(['id', 'district_id'])
    .where('kind', '=', 'lab')
    .orderBy('id')
    .execute();
  const byDistrict = new Map(labs.map((l) => [l.district_id, l.id]));
  return (districtId) => byDistrict.get(districtId) ?? labs[districtId % labs.length].id;
}

/**
 * One chunk's tubes and scans in one transaction. On SQLite through two prepared statements on
 * the raw handle (the query builder's compile per multi-row insert was most of the time at 25 M
 * scans); the rows are the same either way.
 */
async function writeRows(
  ctx: AppContext,
  tubeRows: Insertable<TubeTable>[],
  scanRows: Insertable<ScanTable>[],
): Promise<void> {
  const sqlite = ctx.store.sqlite;
  if (sqlite) {
    const insert = (table: string, columns: string[]) =>
      sqlite.prepare(
        `insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
      );
    if (tubeRows.length === 0) return;
    const tubes = insert('tubes', Object.keys(tubeRows[0]));
    const scans = insert('scans', Object.keys(scanRows[0]));
    sqlite.transaction(() => {
      for (const row of tubeRows) tubes.run(row);
      for (const row of scanRows) scans.run(row);
    })();
    return;
  }
  await ctx.store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < tubeRows.length; i += 1000) {
      await trx
        .insertInto('tubes')
        .values(tubeRows.slice(i, i + 1000))
        .execute();
    }
    for (let i = 0; i < scanRows.length; i += 2000) {
      await trx
        .insertInto('scans')
        .values(scanRows.slice(i, i + 2000))
        .execute();
    }
  });
}

export async function loadPeakRound(
  ctx: AppContext,
  options: { seed: number; day: CalendarDay },
): Promise<PeakRound> {
  const started = performance.now();
  const db = ctx.store.db;
  const r = new Random(`overview-round:${options.seed}`);
  const opens = atLocalTime(options.day, 6, 0, TZ);
  const city = ctx.regions.city()!;
  // The rule set's pooling frozen into the round, as screening does when a round is created.
  const rules = await getActiveRuleSet(ctx);
  const round = await db
    .insertInto('screening_rounds')
    .values({
      name: `${options.day} 全市核酸筛查`,
      kind: 'nucleic_acid',
      starts_at: opens,
      ends_at: opens + 18 * 3_600_000,
      closed_at: opens + 30 * 3_600_000,
      first_round: 0,
      pooling: JSON.stringify(roundPooling(`${rules.name}@${rules.version}`, rules.pooling, false)),
      created_at: opens - 3_600_000,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const roundId = Number(round.id);
  await db
    .insertInto('screening_round_scope')
    .values({ round_id: roundId, target_kind: 'region', target_id: city.id })
    .execute();
  const sites = await sitesByStreet(ctx);
  const labOf = await labsByDistrict(ctx);
  const maxTube = await db
    .selectFrom('tubes')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  let tubeId = Number(maxTube?.id ?? 0);
  let tubes = 0;
  let scans = 0;
  let after = 0;
  for (;;) {
    const people: Person[] = await db
      .selectFrom('people')
      .select(['id', 'district_id', 'street_id'])
      .where('id', '>', after)
      .where('purged_at', 'is', null)
      .orderBy('id')
      .limit(CHUNK)
      .execute();
    if (people.length === 0) break;
    after = people[people.length - 1].id;
    // Tubes fill street by street, as queues at a street's sites do.
    const byStreet = new Map<number, Person[]>();
    for (const p of people) {
      if (!r.chance(COVERAGE)) continue;
      // Appended in place: copying the street's list per person made a chunk quadratic in a
      // street's size (hours at scale 1, where a street has ~100,000 residents).
      const list = byStreet.get(p.street_id);
      if (list) list.push(p);
      else byStreet.set(p.street_id, [p]);
    }
    const tubeRows: Insertable<TubeTable>[] = [];
    const scanRows: Insertable<ScanTable>[] = [];
    for (const [streetId, members] of byStreet) {
      const candidates = sites.byStreet.get(streetId) ?? sites.byDistrict.get(members[0].district_id) ?? [];
      if (candidates.length === 0) continue;
      for (let i = 0; i < members.length; i += POOL) {
        const group = members.slice(i, i + POOL);
        const siteId = candidates[(i / POOL) % candidates.length];
        const collected = opens + r.int(0, 14 * 60) * MINUTE;
        const closed = collected + r.int(5, 25) * MINUTE;
        const received = closed + r.int(60, 180) * MINUTE;
        const resulted = received + r.int(120, 480) * MINUTE;
        tubeId++;
        tubeRows.push({
          id: tubeId,
          district_id: group[0].district_id,
          street_id: sites.street.get(siteId)!,
          round_id: roundId,
          barcode: `PK-${roundId}-${tubeId}`,
          site_id: siteId,
          purpose: 'pooled',
          capacity: POOL,
          filled: group.length,
          state: 'resulted',
          household_id: null,
          opened_by: null,
          collected_at: collected,
          closed_at: closed,
          box_id: null,
          boxed_at: closed + 10 * MINUTE,
          dispatched_at: closed + 25 * MINUTE,
          lab_id: labOf(group[0].district_id),
          received_at: received,
          result: 'negative',
          ct_orf1ab: null,
          ct_n: null,
          resulted_at: resulted,
          notified_at: resulted + MINUTE,
        });
        for (const p of group) {
          scanRows.push({
            district_id: p.district_id,
            client_id: `peak-${roundId}-${p.id}`,
            round_id: roundId,
            person_id: p.id,
            tube_id: tubeId,
            tube_district_id: group[0].district_id,
            site_id: siteId,
            sampler_id: null,
            slot: 0,
            collected_at: collected,
            received_at: collected,
          });
        }
      }
    }
    await writeRows(ctx, tubeRows, scanRows);
    tubes += tubeRows.length;
    scans += scanRows.length;
  }
  return { roundId, tubes, scans, seconds: (performance.now() - started) / 1000 };
}
