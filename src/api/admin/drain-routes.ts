import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { lastSequencedEvent } from '../../store/outbox.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';

const drainedView = z.object({
  /** The newest event in the outbox's order, which every consumer has now handled (0: none yet). */
  throughEventId: z.number(),
});

/**
 * Lets a simulation or drill in another process wait, as an in-process one does, until the
 * server has delivered every event committed so far to its consumers (cases from results,
 * investigations from cases…): its next step then sees what the last one set off.
 */
export async function drainRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  api.post(
    '/admin/events/drain',
    {
      schema: {
        tags: ['admin'],
        summary: 'Wait until every event committed so far has been consumed (simulations, drills)',
        response: { 200: drainedView },
      },
    },
    async (request) => {
      if (requirePrincipal(request).role !== 'admin') {
        throw new DomainError('forbidden', 'only an admin waits for the event consumers');
      }
      await ctx.events.drain();
      return { throughEventId: await lastSequencedEvent(ctx.store.db) };
    },
  );
}
