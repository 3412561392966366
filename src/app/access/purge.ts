import { sql } from 'kysely';
import { retentionCutoff } from '../../domain/access/retention.ts';
import type { AppContext } from '../context.ts';
import { audit, systemActor } from './audit.ts';
import { groupValuesBy } from '../../domain/group-by.ts';

/**
 * Retention (SPEC "Data protection"): clears the personal fields of people whose last activity
 * is older than the retention period, and keeps the rows — district, street, building, flags —
 * so every count by area and day still adds up. Works in keyset batches, one short transaction
 * each, so it can run on a live city of millions without holding locks.
 */
export interface PurgeOptions {
  retentionDays: number;
  dryRun?: boolean;
  batchSize?: number;
}

export interface PurgeResult {
  dryRun: boolean;
  retentionDays: number;
  /** Activity before this instant is past retention. */
  cutoff: number;
  purged: number;
  byDistrict: Record<number, number>;
}

type Position = { districtId: number; id: number };

export async function purgeExpiredPeople(ctx: AppContext, options: PurgeOptions): Promise<PurgeResult> {
  const now = ctx.clock.now();
  const cutoff = retentionCutoff(now, options.retentionDays);
  const batchSize = options.batchSize ?? 1000;
  const db = ctx.store.db;
  const expired = sql<boolean>`coalesce(people.last_activity_at, people.created_at) < ${cutoff}`;
  const result: PurgeResult = {
    dryRun: !!options.dryRun,
    retentionDays: options.retentionDays,
    cutoff,
    purged: 0,
    byDistrict: {},
  };

  let after: Position | null = null;
  for (;;) {
    const position: Position | null = after;
    const candidates: { district_id: number; id: number }[] = await db
      .selectFrom('people')
      .select(['district_id', 'id'])
      .where('purged_at', 'is', null)
      .where(expired)
      .$if(position != null, (q) =>
        q.where((eb) =>
          eb(eb.refTuple('district_id', 'id'), '>', eb.tuple(position!.districtId, position!.id)),
        ),
      )
      .orderBy('district_id')
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (candidates.length === 0) break;
    const last = candidates[candidates.length - 1];
    after = { districtId: last.district_id, id: last.id };

    const purgedIds = options.dryRun ? candidates : await purgeBatch(ctx, candidates, cutoff, now);
    for (const p of purgedIds) result.byDistrict[p.district_id] = (result.byDistrict[p.district_id] ?? 0) + 1;
    result.purged += purgedIds.length;
    if (!options.dryRun && purgedIds.length > 0) {
      await audit(ctx, {
        actor: systemActor('purge'),
        action: 'people.purge',
        subjectType: 'person',
        subjectIds: purgedIds.map((p) => p.id),
        fields: ['name', 'phone', 'id_hash', 'household_id', 'floor'],
        details: { cutoff, retentionDays: options.retentionDays },
      });
    }
    if (candidates.length < batchSize) break;
  }
  return result;
}

/**
 * One batch in one transaction. The expiry test is repeated in the update: a person whose
 * activity was bumped after the batch was chosen is left alone.
 */
async function purgeBatch(
  ctx: AppContext,
  candidates: { district_id: number; id: number }[],
  cutoff: number,
  now: number,
): Promise<{ district_id: number; id: number }[]> {
  const byDistrict = groupValuesBy(
    candidates,
    (c) => c.district_id,
    (c) => c.id,
  );
  return ctx.store.db.transaction().execute(async (trx) => {
    const purged: { district_id: number; id: number }[] = [];
    for (const [districtId, ids] of byDistrict) {
      const rows = await trx
        .updateTable('people')
        .set({ name: null, phone: null, id_hash: null, household_id: null, floor: null, purged_at: now })
        .where('district_id', '=', districtId)
        .where('id', 'in', ids)
        .where('purged_at', 'is', null)
        .where(sql<boolean>`coalesce(last_activity_at, created_at) < ${cutoff}`)
        .returning(['district_id', 'id'])
        .execute();
      purged.push(...rows);
    }
    return purged;
  });
}
