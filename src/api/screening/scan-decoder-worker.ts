import { parentPort, workerData } from 'node:worker_threads';
import { toScanItem } from '../../app/screening/scan-items.ts';
import type { DecodeReply, DecodeRequest } from './scan-decoder.ts';
import { scanBatchBody } from './schema.ts';

/**
 * A decoder thread: parses a scan batch's JSON, validates it against the route's schema and
 * verifies every person code's signature. This is most of a batch's CPU, and none of it needs
 * the database, so it runs beside the request thread, which keeps only the writing.
 */
const codeKey = Buffer.from(workerData.codeKey as Uint8Array);
const utf8 = new TextDecoder();

parentPort!.on('message', (message: DecodeRequest) => {
  let reply: DecodeReply;
  try {
    const parsed = scanBatchBody.safeParse(JSON.parse(utf8.decode(message.body)));
    if (!parsed.success) {
      reply = {
        id: message.id,
        ok: false,
        issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
      };
    } else {
      const batch = parsed.data;
      reply = {
        id: message.id,
        ok: true,
        roundId: batch.roundId,
        siteId: batch.siteId,
        items: batch.scans.map((s) => toScanItem(codeKey, batch, s, null)),
      };
    }
  } catch (error) {
    reply = {
      id: message.id,
      ok: false,
      issues: [
        {
          path: [],
          message: error instanceof SyntaxError ? `not valid JSON: ${error.message}` : String(error),
        },
      ],
    };
  }
  parentPort!.postMessage(reply);
});
