import type { Kysely, Transaction } from 'kysely';
import type { TubeOutcome } from '../../domain/screening/results.ts';
import type { Database } from '../schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface PersonSampleRow {
  roundId: number;
  roundName: string;
  tubeCode: string;
  single: boolean;
  members: number;
  retest: boolean;
  sampledAt: number;
  tubeResult: TubeOutcome | null;
  ctOrf1ab: number | null;
  ctN: number | null;
  resultedAt: number | null;
}

/**
 * A person's samples with their tubes' results: the member's result is the tube's, read through
 * the scan (an index read on (district, person), then the tube by its key).
 */
export async function samplesOfPerson(
  db: Db,
  districtId: number,
  personId: number,
  limit = 100,
): Promise<PersonSampleRow[]> {
  const rows = await db
    .selectFrom('scans as s')
    .innerJoin('tubes as t', (j) =>
      j.onRef('t.district_id', '=', 's.tube_district_id').onRef('t.id', '=', 's.tube_id'),
    )
    .innerJoin('screening_rounds as r', 'r.id', 's.round_id')
    .select([
      's.round_id',
      'r.name',
      't.barcode',
      't.filled',
      't.purpose',
      's.collected_at',
      't.result',
      't.ct_orf1ab',
      't.ct_n',
      't.resulted_at',
      's.slot',
    ])
    .where('s.district_id', '=', districtId)
    .where('s.person_id', '=', personId)
    .orderBy('s.collected_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    roundId: Number(r.round_id),
    roundName: r.name,
    tubeCode: r.barcode,
    single: Number(r.filled) === 1,
    members: Number(r.filled),
    retest: Number(r.slot) !== 0,
    sampledAt: Number(r.collected_at),
    tubeResult: r.result,
    ctOrf1ab: r.ct_orf1ab,
    ctN: r.ct_n,
    resultedAt: r.resulted_at == null ? null : Number(r.resulted_at),
  }));
}

export async function personHome(db: Db, personId: number) {
  return db
    .selectFrom('people')
    .select(['id', 'district_id', 'street_id', 'committee_id'])
    .where('id', '=', personId)
    .executeTakeFirst();
}
