import type { Transaction } from 'kysely';
import type { NewEvent } from '../../domain/kernel/events.ts';
import { appendEvents } from '../../store/outbox.ts';
import type { Database } from '../../store/schema.ts';
import type { AppContext, UnitOfWork } from '../context.ts';

/**
 * A unit of work around a consumer's transaction (the dispatcher's, which also records the
 * consumer's offset): what a consumer publishes commits with its effects and its offset, or not
 * at all. Call `flush()` before returning from the handler.
 */
export function consumerUnitOfWork(
  ctx: AppContext,
  trx: Transaction<Database>,
): UnitOfWork & { flush(): Promise<void> } {
  const pending: NewEvent[] = [];
  return {
    trx,
    now: ctx.clock.now(),
    publish(event) {
      pending.push({ ...event, regionIds: ctx.regions.expand(event.regionIds) });
    },
    async flush() {
      await appendEvents(trx, pending.splice(0));
    },
  };
}
