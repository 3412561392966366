import { consequenceOf, type CtValues } from '../../domain/screening/results.ts';
import { loadRounds } from '../../store/screening/rounds-repo.ts';
import { membersOfTubes, type TubeForResult, type TubeMember } from '../../store/screening/results-repo.ts';
import type { UnitOfWork } from '../context.ts';
import { endEpisodesBySource, openEpisodes, type OpenEpisodeInput } from '../kernel/control-episodes.ts';
import { createTestOrders, fulfilTestOrders, type CreateTestOrderInput } from '../kernel/test-orders.ts';
import { groupBy } from '../../domain/group-by.ts';

/**
 * What a result sets in motion (报), in the same transaction as the result: a positive pool puts
 * every member under pool hold with a single-tube retest order on the spot; a positive single
 * tube publishes `result.positive`; an invalid tube orders a resample for each member; a
 * negative single tube fulfils the person's orders and releases the pool hold its retest answered.
 * Negative pools need nothing here: members read their result from the tube, and the follow-up
 * consumer fulfils the few open orders among them after commit.
 */
export interface ResultedTube {
  tube: TubeForResult;
  outcome: 'negative' | 'positive' | 'invalid';
  ct: CtValues;
}

const HOUR = 3600_000;
const leafOf = (m: TubeMember) => m.committeeId ?? m.streetId;
const source = (t: TubeForResult) => ({ type: 'tube', id: String(t.id) });

export async function applyResultEffects(
  uow: UnitOfWork,
  resulted: readonly ResultedTube[],
): Promise<{ poolPositive: number; positive: number; invalid: number }> {
  const needsMembers = resulted.filter((r) => r.outcome !== 'negative' || r.tube.filled === 1);
  const counts = { poolPositive: 0, positive: 0, invalid: 0 };
  if (needsMembers.length === 0) return counts;
  const rounds = new Map(
    (await loadRounds(uow.trx, [...new Set(needsMembers.map((r) => r.tube.roundId))])).map((r) => [r.id, r]),
  );
  const negatives = needsMembers.filter((r) => r.outcome === 'negative').map((r) => r.tube.id);
  const others = needsMembers.filter((r) => r.outcome !== 'negative').map((r) => r.tube.id);
  const members = [
    ...(await membersOfTubes(uow.trx, others)),
    ...(await membersOfTubes(uow.trx, negatives, true)),
  ];
  const byTube = groupBy(members, (m) => m.tubeId);

  // Holds and orders for every positive pool and invalid tube of the post go in one call each.
  const episodes: OpenEpisodeInput[] = [];
  const orders: CreateTestOrderInput[] = [];
  for (const r of needsMembers) {
    const tube = r.tube;
    const list = byTube.get(tube.id) ?? [];
    const round = rounds.get(tube.roundId)!;
    const positivePool = round.pooling.positivePool;
    const due = uow.now + positivePool.retestWithinHours * HOUR;
    const sampledAt = tube.collectedAt ?? uow.now;
    switch (consequenceOf(r.outcome, { purpose: tube.purpose, members: tube.filled })) {
      case 'pool_positive': {
        counts.poolPositive++;
        for (const m of list) {
          episodes.push({ personId: m.personId, kind: positivePool.controlKind, source: source(tube) });
          orders.push({ personId: m.personId, reason: 'pool_retest', dueAt: due, source: source(tube) });
        }
        uow.publish({
          type: 'pool.positive',
          occurredAt: uow.now,
          regionIds: [...new Set(list.map(leafOf))],
          organisationIds: tube.labId == null ? [] : [tube.labId],
          payload: {
            tubeId: tube.id,
            tubeCode: tube.barcode,
            roundId: tube.roundId,
            members: list.length,
            personIds: list.map((m) => m.personId),
            sampledAt,
            resultedAt: uow.now,
            ct: r.ct,
            regionIds: [...new Set(list.map(leafOf))],
          },
        });
        break;
      }
      case 'single_positive': {
        counts.positive++;
        for (const m of list) {
          await fulfilTestOrders(uow, m.personId, {
            sampledAt: m.collectedAt,
            singleTube: true,
            ref: `tube:${tube.barcode}`,
          });
          uow.publish({
            type: 'result.positive',
            occurredAt: uow.now,
            regionIds: [leafOf(m)],
            personId: m.personId,
            payload: {
              personId: m.personId,
              tubeCode: tube.barcode,
              roundId: tube.roundId,
              sampledAt: m.collectedAt,
              resultedAt: uow.now,
              ct: r.ct,
              regionIds: [leafOf(m)],
            },
          });
        }
        break;
      }
      case 'resample': {
        counts.invalid++;
        for (const m of list) {
          orders.push({ personId: m.personId, reason: 'resample', dueAt: due, source: source(tube) });
        }
        break;
      }
      case 'members_negative': {
        // Only single tubes get here (see needsMembers), and only members with open orders were loaded.
        for (const m of list) {
          const fulfilled = await fulfilTestOrders(uow, m.personId, {
            sampledAt: m.collectedAt,
            singleTube: true,
            ref: `tube:${tube.barcode}`,
          });
          for (const o of fulfilled.filter((f) => f.reason === 'pool_retest')) {
            await endEpisodesBySource(uow, o.source, 'single-tube retest negative', { personId: m.personId });
          }
        }
        break;
      }
    }
  }
  await openEpisodes(uow, episodes);
  await createTestOrders(uow, orders);
  return counts;
}
