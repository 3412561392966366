import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { MAX_CARDS, peopleCards, placeCards, poolHolds } from '../../app/command/work-list.ts';
import { presentPerson } from '../people/presenter.ts';
import { PersonView } from '../people/schema.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';

const id = z.coerce.number().int().positive();

const poolHoldQuery = z.object({
  regionId: id.optional().describe('a region inside yours (default: yours)'),
  cursor: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const poolHoldResponse = z.object({
  items: z.array(
    z.object({
      orderId: z.number(),
      dueAt: z.number(),
      overdue: z.boolean(),
      source: z.object({ type: z.string(), id: z.string() }),
      person: PersonView,
    }),
  ),
  nextCursor: z.number().nullable(),
});
const cardsQuery = z.object({
  ids: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'comma-separated person ids')
    .transform((s) => s.split(',').map(Number))
    .refine((ids) => ids.length <= MAX_CARDS, `at most ${MAX_CARDS} ids`),
});

const placeCard = z.object({
  id: z.number(),
  kind: z.string(),
  name: z.string(),
  address: z.string(),
  streetId: z.number(),
});

/** The street's work list: pool holds to retest, and masked cards for the people other lists name. */
export async function workListRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  const tags = ['command'];
  api.get(
    '/work/pool-holds',
    {
      schema: {
        tags,
        summary:
          'Pool members waiting for their single-tube retest in your area, oldest first (masked, audited)',
        querystring: poolHoldQuery,
        response: { 200: poolHoldResponse },
      },
    },
    async (request) => {
      const now = ctx.clock.now();
      const page = await poolHolds(ctx, requirePrincipal(request), {
        ...request.query,
        requestId: request.id,
      });
      return {
        items: page.items.map(({ order, person }) => ({
          orderId: order.id,
          dueAt: order.dueAt,
          overdue: order.dueAt < now,
          source: order.source,
          person: presentPerson(person),
        })),
        nextCursor: page.nextCursor,
      };
    },
  );
  api.get(
    '/work/people',
    {
      schema: {
        tags,
        summary: 'Masked cards of people in your area by id (for work lists that name people by id; audited)',
        querystring: cardsQuery,
        response: { 200: z.object({ items: z.array(PersonView) }) },
      },
    },
    async (request) => ({
      items: (await peopleCards(ctx, requirePrincipal(request), request.query.ids, request.id)).map((r) =>
        presentPerson(r),
      ),
    }),
  );
  api.get(
    '/work/places',
    {
      schema: {
        tags,
        summary: 'Names and addresses of places in your area by id (zone proposals name places by id)',
        querystring: cardsQuery,
        response: { 200: z.object({ items: z.array(placeCard) }) },
      },
    },
    async (request) => ({ items: await placeCards(ctx, requirePrincipal(request), request.query.ids) }),
  );
}
