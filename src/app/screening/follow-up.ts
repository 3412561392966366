import type { CordonEvent } from '../../domain/kernel/events.ts';
import type { EventConsumer } from '../../events/dispatcher.ts';
import { markNotified, membersWithOpenOrders } from '../../store/screening/results-repo.ts';
import type { AppContext } from '../context.ts';
import { consumerUnitOfWork } from '../kernel/consumer-uow.ts';
import { fulfilTestOrdersOfMany } from '../kernel/test-orders.ts';

/**
 * After a lab's results commit (报): the members of negative pools who had open test orders
 * (a screening duty, a quarantine day) get them fulfilled, and the tubes are stamped "members
 * notified" — the last stage of the chain. Off the lab's request path: a citywide round's
 * 2.4 M tubes must not wait for a per-member order look-up, and members can already read their
 * result from the tube. Exactly once per event (the dispatcher's consumer offset).
 */
export const FOLLOW_UP_CONSUMER = 'screening.follow-up';

interface PostedPayload {
  tubeIds: number[];
}

export function followUpConsumer(ctx: AppContext): EventConsumer {
  return {
    name: FOLLOW_UP_CONSUMER,
    types: ['results.posted'],
    async handle(event: CordonEvent, trx) {
      const { tubeIds } = event.payload as unknown as PostedPayload;
      const uow = consumerUnitOfWork(ctx, trx);
      const tubes = await trx
        .selectFrom('tubes')
        .select(['id', 'barcode', 'filled', 'result'])
        .where('id', 'in', tubeIds.length ? tubeIds : [-1])
        .execute();
      // Single tubes and non-negative pools were followed up in the result's own transaction.
      const pools = tubes.filter((t) => t.result === 'negative' && Number(t.filled) > 1);
      const barcodes = new Map(pools.map((t) => [Number(t.id), t.barcode]));
      const members = await membersWithOpenOrders(trx, [...barcodes.keys()]);
      await fulfilTestOrdersOfMany(
        uow,
        members.map((m) => ({
          personId: m.personId,
          sample: { sampledAt: m.collectedAt, singleTube: false, ref: `tube:${barcodes.get(m.tubeId)}` },
        })),
      );
      await markNotified(trx, tubeIds, uow.now);
      await uow.flush();
    },
  };
}
