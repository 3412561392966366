import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import type { BoxCustodyTable, TransportBoxTable } from './tables.ts';
import { unindexedEquals } from '../unindexed-guard.ts';

/** Transport boxes, their tubes and their chain of custody. */
type Db = Kysely<Database> | Transaction<Database>;

export type BoxRow = Omit<TransportBoxTable, 'id'> & { id: number };

export async function findBox(db: Db, barcode: string): Promise<BoxRow | undefined> {
  return (await db
    .selectFrom('transport_boxes')
    .selectAll()
    .where('barcode', '=', barcode)
    .executeTakeFirst()) as BoxRow | undefined;
}

export async function insertBox(db: Db, box: Omit<TransportBoxTable, 'id'>): Promise<number> {
  const row = await db.insertInto('transport_boxes').values(box).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function updateBox(
  db: Db,
  id: number,
  changes: Partial<Omit<TransportBoxTable, 'id'>>,
): Promise<void> {
  await db.updateTable('transport_boxes').set(changes).where('id', '=', id).execute();
}

export async function addCustody(db: Db, entry: Omit<BoxCustodyTable, 'id'>): Promise<void> {
  await db.insertInto('box_custody').values(entry).execute();
}

export async function custodyOf(db: Db, boxId: number) {
  return db.selectFrom('box_custody').selectAll().where('box_id', '=', boxId).orderBy('id').execute();
}

export async function tubesForBoxing(db: Db, barcodes: readonly string[]) {
  const out = [];
  for (let i = 0; i < barcodes.length; i += 500) {
    out.push(
      ...(await db
        .selectFrom('tubes')
        .select(['id', 'barcode', 'state', 'site_id', 'district_id', 'box_id'])
        .where('barcode', 'in', barcodes.slice(i, i + 500))
        .execute()),
    );
  }
  return out;
}

/** Moves every tube of a box to the next stage, stamping its time (one statement per box). */
export async function stampBoxTubes(
  db: Db,
  boxId: number,
  changes: { state: 'boxed' | 'dispatched' | 'received'; at: number; labId?: number },
): Promise<number> {
  const column = ({ boxed: 'boxed_at', dispatched: 'dispatched_at', received: 'received_at' } as const)[
    changes.state
  ];
  const result = await db
    .updateTable('tubes')
    .set({
      state: changes.state,
      [column]: changes.at,
      ...(changes.labId != null ? { lab_id: changes.labId } : {}),
    })
    .where('box_id', '=', boxId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function boxTubes(db: Db, boxId: number, tubeIds: readonly number[], at: number): Promise<void> {
  for (let i = 0; i < tubeIds.length; i += 500) {
    await db
      .updateTable('tubes')
      .set({ box_id: boxId, state: 'boxed', boxed_at: at })
      .where('id', 'in', tubeIds.slice(i, i + 500))
      .where(unindexedEquals(db, 'state', 'closed'))
      .execute();
  }
}
