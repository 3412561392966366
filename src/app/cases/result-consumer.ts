import { z } from 'zod';
import { CASE_EVENT_TYPES } from '../../domain/cases/events.ts';
import { DomainError } from '../../domain/errors.ts';
import type { CordonEvent } from '../../domain/kernel/events.ts';
import type { EventConsumer } from '../../events/dispatcher.ts';
import type { AppContext } from '../context.ts';
import { consumerUnitOfWork } from '../kernel/consumer-uow.ts';
import { SYSTEM_ACTOR } from './actor.ts';
import { recordPositive } from './intake.ts';

export const RESULT_CONSUMER = 'cases.result-positive';

/**
 * `result.positive` from screening (issue 3): `{ personId, tubeCode, roundId, sampledAt,
 * resultedAt, ct: { orf1ab, n }, regionIds }`, times in epoch ms. `source` is optional: screening may say the
 * tube was a pool retest or a quarantine test; plain screening otherwise.
 */
const resultPositive = z.object({
  personId: z.number().int().positive(),
  tubeCode: z.string().min(1),
  roundId: z.union([z.string(), z.number()]).nullish(),
  sampledAt: z.number().finite(),
  resultedAt: z.number().finite(),
  // Screening reports both gene targets; the case keeps the lower (the stronger signal).
  ct: z.union([z.number(), z.object({ orf1ab: z.number().nullish(), n: z.number().nullish() })]).nullish(),
  source: z.enum(['screening', 'pool_retest', 'quarantine_test']).optional(),
});

/**
 * Turns each positive single tube into a case, in the dispatcher's transaction (so the case, its
 * events and the consumer's offset commit together). The case's unique source key makes a second
 * delivery of the same result a no-op even if the offset were lost. A result that cannot become a
 * case (malformed, unknown person) is reported as `case.intake_rejected` and skipped, so it never
 * blocks the events behind it.
 */
export function resultPositiveConsumer(ctx: AppContext): EventConsumer {
  return {
    name: RESULT_CONSUMER,
    types: ['result.positive'],
    async handle(event, trx) {
      const uow = consumerUnitOfWork(ctx, trx);
      const parsed = resultPositive.safeParse(event.payload);
      if (!parsed.success) {
        reject(
          uow,
          event,
          parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; '),
        );
        return uow.flush();
      }
      const p = parsed.data;
      try {
        await recordPositive(
          ctx,
          uow,
          {
            personId: p.personId,
            source: p.source ?? 'screening',
            sourceRef: p.tubeCode,
            roundId: p.roundId == null ? null : String(p.roundId),
            ct: lowestCt(p.ct),
            sampledAt: p.sampledAt,
            reportedAt: p.resultedAt,
            // The event is addressed to the person's regions: its district makes the look-up a key read.
            districtHint: event.regionIds.find((id) => ctx.regions.get(id)?.level === 'district') ?? null,
          },
          SYSTEM_ACTOR,
        );
      } catch (error) {
        if (
          !(error instanceof DomainError) ||
          (error.code !== 'validation_failed' && error.code !== 'not_found')
        ) {
          throw error;
        }
        reject(uow, event, error.message);
      }
      await uow.flush();
    },
  };
}

function lowestCt(ct: z.infer<typeof resultPositive>['ct']): number | null {
  if (ct == null || typeof ct === 'number') return ct ?? null;
  const values = [ct.orf1ab, ct.n].filter((v): v is number => v != null);
  return values.length ? Math.min(...values) : null;
}

function reject(uow: ReturnType<typeof consumerUnitOfWork>, event: CordonEvent, reason: string): void {
  uow.publish({
    type: CASE_EVENT_TYPES.intakeRejected,
    occurredAt: uow.now,
    regionIds: event.regionIds,
    personId: event.personId,
    payload: { eventId: event.id, eventType: event.type, reason },
  });
}
