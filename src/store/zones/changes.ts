import type { Insertable, Selectable } from 'kysely';
import type { Db } from './designations.ts';
import type { ZoneChangeTable, ZoneProposalTable, ZoneProposalStatus } from './tables.ts';

/** Zone history and proposals: append-only changes, proposals that a user decides. */

export type ZoneChangeRow = Selectable<ZoneChangeTable>;
export type ZoneProposalRow = Selectable<ZoneProposalTable>;

export async function insertChanges(db: Db, rows: readonly Insertable<ZoneChangeTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('zone_changes')
      .values(rows.slice(i, i + 200))
      .execute();
  }
}

export async function changesOfDesignation(db: Db, designationId: number): Promise<ZoneChangeRow[]> {
  return db
    .selectFrom('zone_changes')
    .selectAll()
    .where('designation_id', '=', designationId)
    .orderBy('id')
    .execute();
}

/** Pending proposals of the given designations (at most one each is kept pending). */
export async function pendingProposalsOf(
  db: Db,
  designationIds: readonly number[],
): Promise<Map<number, ZoneProposalRow>> {
  const out = new Map<number, ZoneProposalRow>();
  for (let i = 0; i < designationIds.length; i += 500) {
    const rows = await db
      .selectFrom('zone_proposals')
      .selectAll()
      .where('designation_id', 'in', designationIds.slice(i, i + 500))
      .where('status', '=', 'pending')
      .execute();
    for (const r of rows) out.set(r.designation_id, r);
  }
  return out;
}

export async function proposalById(db: Db, id: number): Promise<ZoneProposalRow | null> {
  return (await db.selectFrom('zone_proposals').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function decideProposal(
  db: Db,
  proposal: Pick<ZoneProposalRow, 'id' | 'district_id'>,
  decision: {
    status: Exclude<ZoneProposalStatus, 'pending'>;
    at: number;
    userId: number | null;
    username: string | null;
    reason: string;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('zone_proposals')
    .set({
      status: decision.status,
      decided_at: decision.at,
      decided_by: decision.userId,
      decided_by_name: decision.username,
      decision_reason: decision.reason,
    })
    .where('district_id', '=', proposal.district_id)
    .where('id', '=', proposal.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Designations moved by other means: their pending proposals no longer describe them. Many at
 * once (a batch), sharing one reason, in id chunks on the (designation_id, status) index.
 */
export async function supersedePendingOf(
  db: Db,
  designationIds: readonly number[],
  at: number,
  reason: string,
): Promise<void> {
  for (let i = 0; i < designationIds.length; i += 500) {
    await db
      .updateTable('zone_proposals')
      .set({ status: 'superseded', decided_at: at, decision_reason: reason })
      .where('designation_id', 'in', designationIds.slice(i, i + 500))
      .where('status', '=', 'pending')
      .execute();
  }
}
