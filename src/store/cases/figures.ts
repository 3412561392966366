import type { Db } from './db.ts';

/**
 * Aggregate reads for 社会面清零, 日清日结 and the bed forecast. Days are stored as text
 * ('YYYY-MM-DD', the deployment's zone), so grouping needs no dialect-specific date functions.
 */
export interface UnitDayCount {
  /** The region counted (district or street id; 0 for the whole city). */
  regionId: number;
  day: string;
  n: number;
}

/** Community cases by clearing unit and sampling day, within [firstDay, throughDay]. */
export async function communityCounts(
  db: Db,
  unit: 'city' | 'district' | 'street',
  firstDay: string,
  throughDay: string,
): Promise<UnitDayCount[]> {
  const base = db
    .selectFrom('cases')
    .where('classification', '=', 'community')
    .where('sampled_day', '>=', firstDay)
    .where('sampled_day', '<=', throughDay);
  if (unit === 'city') {
    const rows = await base
      .select(['sampled_day', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('sampled_day')
      .execute();
    return rows.map((r) => ({ regionId: 0, day: r.sampled_day, n: Number(r.n) }));
  }
  const column = unit === 'district' ? 'district_id' : 'street_id';
  const rows = await base
    .select([column, 'sampled_day', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy([column, 'sampled_day'])
    .execute();
  return rows.map((r) => ({
    regionId: (r as Record<string, unknown>)[column] as number,
    day: r.sampled_day,
    n: Number(r.n),
  }));
}

type RegionColumn = { column: 'district_id' | 'street_id' | 'committee_id'; id: number } | null;

/** Cases confirmed (reported) on a day by district, inside control vs community, for the daily split. */
export async function caseCountsByClass(db: Db, day: string, region: RegionColumn) {
  let q = db
    .selectFrom('cases')
    .select(['district_id', 'classification', (eb) => eb.fn.countAll<number>().as('n')])
    .where('reported_day', '=', day);
  if (region) q = q.where(region.column, '=', region.id);
  const rows = await q.groupBy(['district_id', 'classification']).execute();
  return rows.map((r) => ({ districtId: r.district_id, classification: r.classification, n: Number(r.n) }));
}

export interface SameDayRow {
  districtId: number;
  kind: 'case' | 'contact';
  need: string;
  foundAt: number;
  pickedUpAt: number | null;
  admittedAt: number | null;
  status: string;
}

/** A calendar day as instants [from, before): the caller converts in the deployment's zone. */
export interface DayRange {
  from: number;
  before: number;
}

/** The orders found on a day (in a region), with the times 日清日结 needs. */
export async function ordersFoundOn(db: Db, day: DayRange, region: RegionColumn): Promise<SameDayRow[]> {
  let q = db
    .selectFrom('transfer_orders')
    .select(['district_id', 'kind', 'need', 'found_at', 'picked_up_at', 'admitted_at', 'status'])
    .where('found_at', '>=', day.from)
    .where('found_at', '<', day.before);
  if (region) q = q.where(region.column, '=', region.id);
  const rows = await q.execute();
  return rows.map((r) => ({
    districtId: r.district_id,
    kind: r.kind,
    need: r.need,
    foundAt: r.found_at,
    pickedUpAt: r.picked_up_at,
    admittedAt: r.admitted_at,
    status: r.status,
  }));
}

/** Orders found on a day and still open, per district (the clock rule's count). */
export async function stillWaitingByDistrict(
  db: Db,
  day: DayRange,
  kinds: readonly ('case' | 'contact')[],
  districtId?: number,
) {
  if (kinds.length === 0) return [];
  let q = db
    .selectFrom('transfer_orders')
    .select([
      'district_id',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.min('found_at').as('oldest'),
    ])
    .where('found_at', '>=', day.from)
    .where('found_at', '<', day.before)
    .where('status', 'not in', ['admitted', 'cancelled'])
    .where('kind', 'in', [...kinds]);
  if (districtId !== undefined) q = q.where('district_id', '=', districtId);
  const rows = await q.groupBy('district_id').execute();
  return rows.map((r) => ({
    districtId: r.district_id,
    waiting: Number(r.n),
    oldestFoundAt: Number(r.oldest),
  }));
}

export interface TrendRow {
  districtId: number;
  facilityKind: string;
  bedKind: string;
  day: string;
  n: number;
}

/** Admissions and ends of stay per facility district, facility kind, bed kind and day, in [firstDay, throughDay]. */
export async function bedTrend(
  db: Db,
  firstDay: string,
  throughDay: string,
): Promise<{ admissions: TrendRow[]; discharges: TrendRow[] }> {
  const admitted = await db
    .selectFrom('admissions as a')
    .innerJoin('facilities as f', 'f.id', 'a.facility_id')
    .select([
      'a.facility_district_id',
      'f.kind',
      'a.bed_kind',
      'a.admitted_day',
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('a.admitted_day', '>=', firstDay)
    .where('a.admitted_day', '<=', throughDay)
    .groupBy(['a.facility_district_id', 'f.kind', 'a.bed_kind', 'a.admitted_day'])
    .execute();
  const ended = await db
    .selectFrom('admissions as a')
    .innerJoin('facilities as f', 'f.id', 'a.facility_id')
    .select([
      'a.facility_district_id',
      'f.kind',
      'a.bed_kind',
      'a.ended_day',
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('a.ended_day', '>=', firstDay)
    .where('a.ended_day', '<=', throughDay)
    .groupBy(['a.facility_district_id', 'f.kind', 'a.bed_kind', 'a.ended_day'])
    .execute();
  return {
    admissions: admitted.map((r) => ({
      districtId: r.facility_district_id,
      facilityKind: r.kind,
      bedKind: r.bed_kind,
      day: r.admitted_day,
      n: Number(r.n),
    })),
    discharges: ended.map((r) => ({
      districtId: r.facility_district_id,
      facilityKind: r.kind,
      bedKind: r.bed_kind,
      day: r.ended_day ?? '',
      n: Number(r.n),
    })),
  };
}
