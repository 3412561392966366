import type { Kysely, Transaction } from 'kysely';
import type { RoundPooling } from '../../domain/screening/pooling.ts';
import type { Round, RoundKind } from '../../domain/screening/round.ts';
import type { Database } from '../schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewRound {
  name: string;
  kind: RoundKind;
  startsAt: number;
  endsAt: number;
  firstRound: boolean;
  pooling: RoundPooling;
  regionIds: number[];
  placeIds: number[];
  createdAt: number;
  createdBy: number | null;
}

export async function insertRound(db: Db, r: NewRound): Promise<number> {
  const row = await db
    .insertInto('screening_rounds')
    .values({
      name: r.name,
      kind: r.kind,
      starts_at: r.startsAt,
      ends_at: r.endsAt,
      closed_at: null,
      first_round: r.firstRound ? 1 : 0,
      pooling: JSON.stringify(r.pooling),
      created_at: r.createdAt,
      created_by: r.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const scope = [
    ...r.regionIds.map((id) => ({ round_id: row.id, target_kind: 'region' as const, target_id: id })),
    ...r.placeIds.map((id) => ({ round_id: row.id, target_kind: 'place' as const, target_id: id })),
  ];
  if (scope.length > 0) await db.insertInto('screening_round_scope').values(scope).execute();
  return Number(row.id);
}

export async function loadRounds(db: Db, ids?: readonly number[]): Promise<Round[]> {
  let q = db.selectFrom('screening_rounds').selectAll().orderBy('id', 'desc');
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where('id', 'in', [...ids]);
  }
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const scope = await db
    .selectFrom('screening_round_scope')
    .selectAll()
    .where(
      'round_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    kind: r.kind,
    startsAt: Number(r.starts_at),
    endsAt: Number(r.ends_at),
    closedAt: r.closed_at == null ? null : Number(r.closed_at),
    scope: {
      regionIds: scope
        .filter((s) => s.round_id === r.id && s.target_kind === 'region')
        .map((s) => Number(s.target_id)),
      placeIds: scope
        .filter((s) => s.round_id === r.id && s.target_kind === 'place')
        .map((s) => Number(s.target_id)),
    },
    pooling: JSON.parse(r.pooling) as RoundPooling,
    createdAt: Number(r.created_at),
  }));
}

export async function markRoundClosed(db: Db, id: number, at: number): Promise<void> {
  await db
    .updateTable('screening_rounds')
    .set({ closed_at: at })
    .where('id', '=', id)
    .where('closed_at', 'is', null)
    .execute();
}

export async function placesByIds(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('places')
    .select(['id', 'district_id', 'street_id', 'committee_id', 'kind', 'parent_place_id'])
    .where('id', 'in', [...ids])
    .execute();
}
