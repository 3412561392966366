/**
 * Concurrent HTTP clients over loopback, as sampler devices and lab systems would call the
 * server: each client sends its next job when its last one is answered; a 429 is retried after
 * Retry-After (capped at a second), and counted.
 */
export interface Http {
  url: string;
  throttled: number;
}

export async function call(
  http: Http,
  method: 'GET' | 'POST',
  path: string,
  token: string,
  body?: string | Buffer | object,
  contentType = 'application/json',
): Promise<{ status: number; json: unknown }> {
  for (;;) {
    const res = await fetch(`${http.url}/api/v1${path}`, {
      method,
      headers: { authorization: token, ...(body !== undefined ? { 'content-type': contentType } : {}) },
      body: (body === undefined
        ? undefined
        : typeof body === 'string' || Buffer.isBuffer(body)
          ? body
          : JSON.stringify(body)) as RequestInit['body'],
    });
    const json: unknown = await res.json();
    if (res.status === 429) {
      http.throttled++;
      const after = Number(res.headers.get('retry-after') ?? '1');
      await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(50, after * 1000))));
      continue;
    }
    if (res.status >= 400) {
      throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 500)}`);
    }
    return { status: res.status, json };
  }
}

/** Runs `concurrency` clients until `next` has nothing left; returns each job's latency (ms). */
export async function runClients<J>(
  concurrency: number,
  next: () => Promise<J | null>,
  perform: (job: J) => Promise<void>,
): Promise<number[]> {
  const latencies: number[] = [];
  let pulling: Promise<unknown> = Promise.resolve();
  // One puller at a time: the job source is an async generator, which must not be re-entered.
  const take = () => {
    const p = pulling.then(next);
    pulling = p.catch(() => undefined);
    return p;
  };
  const client = async () => {
    for (let job = await take(); job !== null; job = await take()) {
      const started = performance.now();
      await perform(job);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return latencies;
}

export function percentile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
