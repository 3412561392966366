import http from 'node:http';

export interface SseMessage {
  id: number;
  event: string;
  data: Record<string, unknown>;
}

/** A minimal SSE reader over a real HTTP connection, for tests. */
export class SseClient {
  readonly messages: SseMessage[] = [];
  private request: http.ClientRequest | null = null;
  private waiters: { count: number; resolve: () => void }[] = [];
  private connected!: Promise<number>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.connected = new Promise((resolveStatus, reject) => {
      this.request = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        resolveStatus(res.statusCode ?? 0);
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let split: number;
          while ((split = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, split);
            buffer = buffer.slice(split + 2);
            this.parse(block);
          }
        });
      });
      this.request.on('error', (e) => {
        if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(e);
      });
    });
  }

  status(): Promise<number> {
    return this.connected;
  }

  private parse(block: string): void {
    const fields: Record<string, string> = {};
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
    }
    if (fields.data === undefined) return;
    this.messages.push({
      id: Number(fields.id),
      event: fields.event,
      data: JSON.parse(fields.data) as Record<string, unknown>,
    });
    this.waiters = this.waiters.filter((w) => {
      if (this.messages.length >= w.count) {
        w.resolve();
        return false;
      }
      return true;
    });
  }

  /** Resolves when `count` messages have arrived; rejects after `ms`. */
  waitFor(count: number, ms = 5000): Promise<void> {
    if (this.messages.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.messages.length} of ${count} events arrived`)),
        ms,
      );
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  close(): void {
    this.request?.destroy();
  }
}
