import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { scopeCovers } from '../../domain/access/scope.ts';
import type { CordonEvent } from '../../domain/kernel/events.ts';
import { readEventsAfter } from '../../store/outbox.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';

/** A client that falls this far behind is cut off; it reconnects with Last-Event-ID and replays. */
const MAX_BUFFERED_BYTES = 2 * 1024 * 1024;
const REPLAY_PAGE = 1000;
const HEARTBEAT_MS = 15_000;

function frame(event: CordonEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * Server-Sent Events, scoped: a user receives only the events addressed to their region subtree,
 * organisation or self. `Last-Event-ID` (or ?lastEventId=) replays what was missed, without loss
 * or repeat: the live subscription starts first and buffers while history is read from the table.
 */
export async function eventRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  api.get(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Live event stream (text/event-stream), scoped to the caller; resumes from Last-Event-ID',
        querystring: z.object({
          lastEventId: z.coerce.number().int().min(0).optional(),
          access_token: z.string().optional(),
        }),
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const header = request.headers['last-event-id'];
      const fromHeader = typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : undefined;
      const resumeFrom = fromHeader ?? request.query.lastEventId;
      const visible = (e: CordonEvent) => scopeCovers(principal.scope, e);

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 2000\n\n');

      let closed = false;
      let sent = resumeFrom ?? ctx.events.lastBroadcast;
      const buffer: CordonEvent[] = [];
      let replaying = true;
      const send = (event: CordonEvent) => {
        if (closed || event.id <= sent) return;
        sent = event.id;
        if (!visible(event)) return;
        raw.write(frame(event));
        if (raw.writableLength > MAX_BUFFERED_BYTES) raw.destroy();
      };
      const unsubscribe = ctx.events.subscribe((event) => {
        if (replaying) buffer.push(event);
        else send(event);
      });
      const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      raw.on('close', () => {
        closed = true;
        unsubscribe();
        clearInterval(heartbeat);
      });

      if (resumeFrom !== undefined) {
        // Replay history up to what the live stream has already broadcast.
        for (;;) {
          const page = await readEventsAfter(ctx.store.db, sent, REPLAY_PAGE);
          for (const event of page) send(event);
          if (page.length < REPLAY_PAGE || closed) break;
        }
      }
      for (const event of buffer) send(event);
      buffer.length = 0;
      replaying = false;
    },
  );
}
