import { nextDutyOrder } from '../../domain/compliance/rhythm.ts';
import type { CordonEvent } from '../../domain/kernel/events.ts';
import type { EventConsumer } from '../../events/dispatcher.ts';
import { dutyById, parseDutySourceId, DUTY_ORDER_SOURCE } from '../../store/status/duties.ts';
import type { AppContext } from '../context.ts';
import { consumerUnitOfWork } from '../kernel/consumer-uow.ts';
import { createDutyOrders } from './duties.ts';

/**
 * A duty rolls on: when a sample fulfils one of its orders, the next order follows from the
 * rhythm, dated from that sample (every 24 h from the last test; the second test of the day at
 * least 6 h after the first). Runs in the consumer's transaction, exactly once per fulfilment.
 */
export const COMPLIANCE_ROLLING_CONSUMER = 'compliance.rolling';

interface FulfilledPayload {
  orderId: number;
  reason: string;
  source: { type: string; id: string };
}

export function complianceRollingConsumer(ctx: AppContext): EventConsumer {
  return {
    name: COMPLIANCE_ROLLING_CONSUMER,
    types: ['test_order.fulfilled'],
    async handle(event: CordonEvent, trx) {
      const p = event.payload as unknown as FulfilledPayload;
      if (p.source?.type !== DUTY_ORDER_SOURCE || event.personId == null) return;
      const ref = parseDutySourceId(p.source.id);
      if (!ref) return;
      const duty = await dutyById(trx, ref.dutyId);
      // The sampling time: fulfilment is recorded as of when the sample was taken.
      const sampledAt = event.occurredAt;
      if (!duty || (duty.endsAt != null && duty.endsAt <= sampledAt)) return;
      const next = nextDutyOrder(duty.rhythm, ref.key, sampledAt, ctx.config.timeZone);
      if (!next) return;
      const uow = consumerUnitOfWork(ctx, trx);
      await createDutyOrders(uow, duty, event.personId, next);
      await uow.flush();
    },
  };
}
