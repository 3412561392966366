import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import type { CordonApp } from '../server.ts';

export async function healthRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  api.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and the database in use',
        response: { 200: z.object({ ok: z.boolean(), database: z.string(), now: z.number() }) },
      },
    },
    async () => ({ ok: true, database: ctx.store.dialect, now: ctx.clock.now() }),
  );
}
