import { FACILITY_EVENT_TYPES } from '../../domain/cases/events.ts';
import { FACILITY_KINDS, type FacilityKind } from '../../domain/cases/facility.ts';
import { forecastDaysToFull, type BedForecast } from '../../domain/cases/forecast.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import { ADMISSION_GROUPS } from '../../domain/registry/vocabulary.ts';
import { addDays, dayOf } from '../../domain/time/calendar.ts';
import { loadBedPools, type PoolRow } from '../../store/cases/beds.ts';
import type { Db } from '../../store/cases/db.ts';
import { bedTrend } from '../../store/cases/figures.ts';
import type { AppContext, UnitOfWork } from '../context.ts';
import type { Actor } from './actor.ts';
import { loadFacilities, type FacilityInfo } from './facilities-cache.ts';
import { facilityRegion } from './publish.ts';
import { forgetPoolSnapshot } from './transfer-orders.ts';

/**
 * Facilities and their beds: 隔离酒店, 健康驿站, 方舱医院, 定点医院 — each with beds by kind, staff,
 * and who may go there (`admits`). Occupancy is live (reserved + occupied per bed kind).
 */
export interface BedsInput {
  bedKind: string;
  total: number;
}

export interface NewFacilityInput {
  name: string;
  kind: FacilityKind;
  districtId: number;
  streetId?: number | null;
  /** The organisation that runs it (kind `facility`); created with the facility's name when omitted. */
  organisationId?: number | null;
  staff: number;
  admits: string[];
  lng?: number | null;
  lat?: number | null;
  beds: BedsInput[];
}

function validateBeds(beds: readonly BedsInput[]): void {
  const seen = new Set<string>();
  beds.forEach((b, i) => {
    if (!/^[a-z][a-z_]{1,30}$/.test(b.bedKind)) {
      throw invalid(`beds.${i}.bedKind`, 'lower-case letters and underscores', b.bedKind);
    }
    if (seen.has(b.bedKind)) throw invalid(`beds.${i}.bedKind`, 'listed twice', b.bedKind);
    seen.add(b.bedKind);
    if (!Number.isInteger(b.total) || b.total < 0 || b.total > 1_000_000) {
      throw invalid(`beds.${i}.total`, 'must be a whole number from 0 to 1,000,000', b.total);
    }
  });
}

async function nextId(db: Db, table: 'facilities' | 'organisations'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

export async function createFacility(
  ctx: AppContext,
  uow: UnitOfWork,
  input: NewFacilityInput,
  actor: Actor,
): Promise<FacilityInfo> {
  if (!input.name?.trim()) throw invalid('name', 'name the facility');
  if (!FACILITY_KINDS.includes(input.kind)) {
    throw invalid('kind', `must be one of ${FACILITY_KINDS.join(', ')}`, input.kind);
  }
  const district = ctx.regions.get(input.districtId);
  if (!district || district.level !== 'district') {
    throw invalid('districtId', 'not a district', input.districtId);
  }
  if (input.streetId != null) {
    const street = ctx.regions.get(input.streetId);
    if (!street || street.level !== 'street' || street.districtId !== district.id) {
      throw invalid('streetId', `not a street of district ${district.id}`, input.streetId);
    }
  }
  const unknown = input.admits.find((a) => !(ADMISSION_GROUPS as readonly string[]).includes(a));
  if (unknown !== undefined || input.admits.length === 0) {
    throw invalid('admits', `list who it admits from ${ADMISSION_GROUPS.join(', ')}`, unknown);
  }
  if (!Number.isInteger(input.staff) || input.staff < 0) {
    throw invalid('staff', 'must be a whole number', input.staff);
  }
  validateBeds(input.beds);

  let organisationId = input.organisationId ?? null;
  if (organisationId != null) {
    const org = await uow.trx
      .selectFrom('organisations')
      .select(['id', 'kind'])
      .where('id', '=', organisationId)
      .executeTakeFirst();
    if (!org) {
      throw new DomainError('not_found', `organisation ${organisationId} not found`, [
        { field: 'organisationId', message: 'unknown organisation' },
      ]);
    }
    if (org.kind !== 'facility') {
      throw invalid(
        'organisationId',
        `organisation ${org.id} is a ${org.kind}, not a facility operator`,
        org.id,
      );
    }
  } else {
    organisationId = await nextId(uow.trx, 'organisations');
    await uow.trx
      .insertInto('organisations')
      .values({
        id: organisationId,
        district_id: district.id,
        street_id: input.streetId ?? null,
        kind: 'facility',
        name: input.name.trim(),
        place_id: null,
        sector: input.kind,
        daily_capacity: null,
      })
      .execute();
  }
  const id = await nextId(uow.trx, 'facilities');
  await uow.trx
    .insertInto('facilities')
    .values({
      id,
      district_id: district.id,
      street_id: input.streetId ?? null,
      organisation_id: organisationId,
      kind: input.kind,
      name: input.name.trim(),
      staff: input.staff,
      admits: JSON.stringify(input.admits),
      lng: input.lng ?? null,
      lat: input.lat ?? null,
    })
    .execute();
  if (input.beds.length) {
    await uow.trx
      .insertInto('facility_beds')
      .values(
        input.beds.map((b) => ({
          facility_id: id,
          district_id: district.id,
          bed_kind: b.bedKind,
          total: b.total,
        })),
      )
      .execute();
  }
  forgetPoolSnapshot(uow);
  const facility = (await loadFacilities(uow.trx, [id])).get(id)!;
  uow.publish({
    type: FACILITY_EVENT_TYPES.created,
    occurredAt: uow.now,
    regionIds: [facilityRegion(facility)],
    organisationIds: [facility.organisationId],
    payload: {
      facilityId: id,
      kind: input.kind,
      name: facility.name,
      beds: input.beds,
      admits: input.admits,
      by: actor.name,
    },
  });
  return facility;
}

/**
 * Sets bed totals by kind (a facility opens a new hall, closes a floor). A total below the beds
 * reserved or occupied right now is refused: people are not moved out by a number.
 */
export async function setBeds(
  uow: UnitOfWork,
  facility: FacilityInfo,
  beds: readonly BedsInput[],
  actor: Actor,
): Promise<PoolRow[]> {
  validateBeds(beds);
  const current = await loadBedPools(uow.trx, { facilityIds: [facility.id] });
  for (const [i, b] of beds.entries()) {
    const pool = current.find((p) => p.bedKind === b.bedKind);
    const used = pool ? pool.reserved + pool.occupied : 0;
    if (b.total < used) {
      throw new DomainError(
        'conflict',
        `beds.${i}.total: ${used} ${b.bedKind} beds are in use; the total cannot go below that`,
        [{ field: `beds.${i}.total`, message: `at least ${used}`, value: b.total }],
      );
    }
  }
  for (const b of beds) {
    await uow.trx
      .insertInto('facility_beds')
      .values({
        facility_id: facility.id,
        district_id: facility.districtId,
        bed_kind: b.bedKind,
        total: b.total,
      })
      .onConflict((oc) => oc.columns(['facility_id', 'bed_kind']).doUpdateSet({ total: b.total }))
      .execute();
  }
  forgetPoolSnapshot(uow);
  uow.publish({
    type: FACILITY_EVENT_TYPES.bedsChanged,
    occurredAt: uow.now,
    regionIds: [facilityRegion(facility)],
    organisationIds: [facility.organisationId],
    payload: { facilityId: facility.id, beds, by: actor.name },
  });
  return loadBedPools(uow.trx, { facilityIds: [facility.id] });
}

export interface ForecastRow extends BedForecast {
  districtId: number;
  facilityKind: string;
  bedKind: string;
  total: number;
  occupied: number;
  reserved: number;
}

/**
 * Days until each district's beds of each facility kind and bed kind run out, from the mean
 * admissions and discharges of the last `windowDays` complete days (through yesterday).
 */
export async function bedForecast(
  ctx: AppContext,
  pools: readonly PoolRow[],
  windowDays = 7,
): Promise<ForecastRow[]> {
  const yesterday = addDays(dayOf(ctx.clock.now(), ctx.config.timeZone), -1);
  const first = addDays(yesterday, -(windowDays - 1));
  const trend = await bedTrend(ctx.store.db, first, yesterday);
  const key = (d: number, f: string, b: string) => `${d}|${f}|${b}`;
  const groups = new Map<string, ForecastRow & { admissions: number[]; discharges: number[] }>();
  for (const p of pools) {
    const k = key(p.districtId, p.facilityKind, p.bedKind);
    const g = groups.get(k) ?? {
      districtId: p.districtId,
      facilityKind: p.facilityKind,
      bedKind: p.bedKind,
      total: 0,
      occupied: 0,
      reserved: 0,
      free: 0,
      admissionsPerDay: 0,
      dischargesPerDay: 0,
      netPerDay: 0,
      daysToFull: null,
      admissions: Array(windowDays).fill(0),
      discharges: Array(windowDays).fill(0),
    };
    g.total += p.total;
    g.occupied += p.occupied;
    g.reserved += p.reserved;
    g.free += p.free;
    groups.set(k, g);
  }
  const dayIndex = (day: string) => Math.round((Date.parse(day) - Date.parse(first)) / 86_400_000);
  for (const [list, field] of [
    [trend.admissions, 'admissions'],
    [trend.discharges, 'discharges'],
  ] as const) {
    for (const r of list) {
      const g = groups.get(key(r.districtId, r.facilityKind, r.bedKind));
      const i = dayIndex(r.day);
      if (g && i >= 0 && i < windowDays) g[field][i] += r.n;
    }
  }
  return [...groups.values()].map(({ admissions, discharges, ...g }) => ({
    ...g,
    ...forecastDaysToFull({ free: g.free, admissions, discharges }),
  }));
}
