import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { DomainError, type ErrorDetail } from '../../domain/errors.ts';
import type { ScanItem } from '../../domain/screening/scan-group.ts';

/**
 * Decodes scan batches in worker threads (JSON, schema, person-code signatures), so that the
 * request thread spends its time on the writes. A small pool (CORDON_SCAN_DECODERS, default:
 * one per core beyond the first); each batch goes to the worker with the fewest waiting.
 * Errors come back in the shape of the route's own validation errors: a field path per issue.
 */
export interface DecodeRequest {
  id: number;
  /** The body's UTF-8 bytes, transferred (not copied) to the worker. */
  body: ArrayBuffer;
}

export type DecodeReply =
  | { id: number; ok: true; roundId: number; siteId: number; items: ScanItem[] }
  | { id: number; ok: false; issues: { path: string[]; message: string }[] };

interface Slot {
  worker: Worker;
  waiting: Map<number, (reply: DecodeReply) => void>;
}

export class ScanDecoder {
  private slots: Slot[] = [];
  private nextId = 1;

  constructor(
    private readonly codeKey: Buffer,
    private readonly size = Number(
      process.env.CORDON_SCAN_DECODERS ?? Math.max(1, os.availableParallelism() - 1),
    ),
  ) {}

  private start(): void {
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(new URL('./scan-decoder-worker.mjs', import.meta.url), {
        workerData: { codeKey: new Uint8Array(this.codeKey) },
      });
      const slot: Slot = { worker, waiting: new Map() };
      worker.on('message', (reply: DecodeReply) => {
        const resolve = slot.waiting.get(reply.id);
        slot.waiting.delete(reply.id);
        resolve?.(reply);
      });
      worker.on('error', (error) => {
        for (const resolve of slot.waiting.values()) {
          resolve({ id: 0, ok: false, issues: [{ path: [], message: `decoder failed: ${error.message}` }] });
        }
        slot.waiting.clear();
        this.slots = this.slots.filter((s) => s !== slot);
      });
      // Idle workers must not keep a finished process alive.
      worker.unref();
      this.slots.push(slot);
    }
  }

  async decode(body: Buffer): Promise<{ roundId: number; siteId: number; items: ScanItem[] }> {
    if (this.slots.length === 0) this.start();
    const slot = this.slots.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
    const id = this.nextId++;
    const bytes = ownBytes(body);
    const reply = await new Promise<DecodeReply>((resolve) => {
      slot.waiting.set(id, resolve);
      // Transferred: neither decoding the body to a string nor copying it costs the request thread.
      slot.worker.postMessage({ id, body: bytes } satisfies DecodeRequest, [bytes]);
    });
    if (reply.ok) return reply;
    const details: ErrorDetail[] = reply.issues.map((i) => ({
      field: ['body', ...i.path].join('.'),
      message: i.message,
    }));
    throw new DomainError(
      'validation_failed',
      details.map((d) => `${d.field}: ${d.message}`).join('; '),
      details,
    );
  }

  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}

/**
 * The body's bytes in an ArrayBuffer of their own, safe to transfer: a large body already has one
 * (Buffer.concat allocates it), a small one is a slice of Node's shared pool and is copied.
 */
function ownBytes(body: Buffer): ArrayBuffer {
  if (
    body.byteOffset === 0 &&
    body.byteLength === body.buffer.byteLength &&
    body.buffer instanceof ArrayBuffer
  ) {
    return body.buffer;
  }
  return new Uint8Array(body).buffer;
}
