import { chunked, type Db } from '../../store/cases/db.ts';

/** A facility's identity and address: enough to address events and check who may act on it. */
export interface FacilityInfo {
  id: number;
  name: string;
  kind: string;
  districtId: number;
  streetId: number | null;
  organisationId: number;
  admits: string[];
}

/** Facilities by id, read in the caller's transaction (a few rows; no cross-request cache to go stale). */
export async function loadFacilities(db: Db, ids: readonly number[]): Promise<Map<number, FacilityInfo>> {
  const out = new Map<number, FacilityInfo>();
  for (const chunk of chunked([...new Set(ids)])) {
    const rows = await db
      .selectFrom('facilities')
      .select(['id', 'name', 'kind', 'district_id', 'street_id', 'organisation_id', 'admits'])
      .where('id', 'in', chunk)
      .execute();
    for (const r of rows) {
      let admits: string[] = [];
      try {
        admits = (JSON.parse(r.admits) as unknown[]).map(String);
      } catch {
        admits = [];
      }
      out.set(r.id, {
        id: r.id,
        name: r.name,
        kind: r.kind,
        districtId: r.district_id,
        streetId: r.street_id,
        organisationId: r.organisation_id,
        admits,
      });
    }
  }
  return out;
}

/** The facilities an organisation runs (a facility user's scope). */
export async function facilityIdsOfOrganisation(db: Db, organisationId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('facilities')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .execute();
  return rows.map((r) => r.id);
}
