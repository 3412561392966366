import type { Selectable } from 'kysely';
import type { ComplianceRhythm } from '../../domain/rules/schema.ts';
import type { RegionDirectory } from '../../app/registry/region-directory.ts';
import type { Db } from '../zones/designations.ts';
import type { ScreeningDutyTable } from './tables.ts';

/** Screening duties and the people each one covers. */
export type DutyRow = Selectable<ScreeningDutyTable>;

export interface Duty {
  id: number;
  kind: 'area' | 'occupation';
  regionId: number;
  occupation: string | null;
  rhythm: ComplianceRhythm;
  startsAt: number;
  endsAt: number | null;
  reason: string;
}

export function toDuty(r: DutyRow): Duty {
  return {
    id: r.id,
    kind: r.kind as Duty['kind'],
    regionId: r.region_id,
    occupation: r.occupation,
    rhythm: JSON.parse(r.rhythm) as ComplianceRhythm,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    reason: r.reason,
  };
}

export async function dutyById(db: Db, id: number): Promise<Duty | null> {
  const r = await db.selectFrom('screening_duties').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toDuty(r) : null;
}

/** Duties running at `now`. */
export async function activeDuties(db: Db, now: number): Promise<Duty[]> {
  const rows = await db
    .selectFrom('screening_duties')
    .selectAll()
    .where('starts_at', '<=', now)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
    .orderBy('id')
    .execute();
  return rows.map(toDuty);
}

/** Source type of duty test orders; the id is `duty:key` (see domain/compliance/rhythm.ts). */
export const DUTY_ORDER_SOURCE = 'compliance.duty';

export function dutySourceId(dutyId: number, key: string): string {
  return `${dutyId}:${key}`;
}

export function parseDutySourceId(id: string): { dutyId: number; key: string } | null {
  const colon = id.indexOf(':');
  if (colon <= 0) return null;
  const dutyId = Number(id.slice(0, colon));
  return Number.isInteger(dutyId) ? { dutyId, key: id.slice(colon + 1) } : null;
}

/** One page (by person id) of the people a duty covers: residents of its region, or its occupation there. */
export async function dutyPeoplePage(
  db: Db,
  regions: RegionDirectory,
  duty: Duty,
  afterId: number,
  limit: number,
): Promise<number[]> {
  const region = regions.get(duty.regionId);
  let q = db.selectFrom('people').select('id').where('purged_at', 'is', null).where('id', '>', afterId);
  if (region?.level === 'district') q = q.where('district_id', '=', region.id);
  if (region?.level === 'street') {
    q = q.where('district_id', '=', region.districtId ?? -1).where('street_id', '=', region.id);
  }
  if (region?.level === 'committee') {
    q = q.where('district_id', '=', region.districtId ?? -1).where('committee_id', '=', region.id);
  }
  if (duty.kind === 'occupation') q = q.where('occupation', '=', duty.occupation ?? '');
  const rows = await q.orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}
