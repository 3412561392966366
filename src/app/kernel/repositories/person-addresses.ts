import { notFound } from '../../../domain/errors.ts';
import { chunks, type Db } from './db.ts';

/** Where a person belongs: the key of their rows (district) and the regions events go to. */
export interface PersonAddress {
  personId: number;
  districtId: number;
  streetId: number;
  committeeId: number | null;
  /** The most specific region (committee, else street): events are addressed to it, ancestors added on write. */
  leafRegionId: number;
}

/** Addresses of the given people, read in the caller's transaction; a missing person is an error. */
export async function loadPersonAddresses(
  db: Db,
  personIds: readonly number[],
): Promise<Map<number, PersonAddress>> {
  const out = new Map<number, PersonAddress>();
  const unique = [...new Set(personIds)];
  for (const chunk of chunks(unique)) {
    const rows = await db
      .selectFrom('people')
      .select(['id', 'district_id', 'street_id', 'committee_id'])
      .where('id', 'in', chunk)
      .execute();
    for (const r of rows) {
      out.set(r.id, {
        personId: r.id,
        districtId: r.district_id,
        streetId: r.street_id,
        committeeId: r.committee_id,
        leafRegionId: r.committee_id ?? r.street_id,
      });
    }
  }
  const missing = unique.find((id) => !out.has(id));
  if (missing !== undefined) throw notFound(`person ${missing}`);
  return out;
}
