import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { describeClock, setClock } from '../../app/kernel/clock-admin.ts';
import type { Principal } from '../../domain/access/principal.ts';
import { DomainError } from '../../domain/errors.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';

const clockView = z.object({
  now: z.number(),
  iso: z.string(),
  day: z.string(),
  timeZone: z.string(),
  speed: z.number(),
  controllable: z.boolean(),
});

const setClockBody = z.object({
  /** Epoch ms, or an ISO 8601 date-time with its offset. */
  now: z.union([z.number().int(), z.string().min(1)]),
  /** Simulated ms per real ms: 1 = real time, 60 = an hour a minute, 0 = stopped. */
  speed: z.number().min(0).max(1_000_000).optional(),
});

function requireAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw new DomainError('forbidden', 'only an admin reads or sets the clock');
}

/** The deployment clock, for simulations and drills (admin only). */
export async function clockRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  api.get(
    '/admin/clock',
    {
      schema: {
        tags: ['admin'],
        summary: "The deployment clock's time and speed",
        response: { 200: clockView },
      },
    },
    async (request) => {
      requireAdmin(requirePrincipal(request));
      return describeClock(ctx);
    },
  );

  api.put(
    '/admin/clock',
    {
      schema: {
        tags: ['admin'],
        summary: 'Set the deployment clock (simulations): jump to an instant, optionally at a speed',
        body: setClockBody,
        response: { 200: clockView },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      requireAdmin(principal);
      return setClock(ctx, request.body, { userId: principal.userId, username: principal.username });
    },
  );
}
