/**
 * The actors' HTTP client: JSON over Cordon's public API with a bearer token, exactly as a
 * sampler's device or a lab's system would call it. Over capacity the server answers 429 with
 * Retry-After; the client waits and resends (scan batches are idempotent by client id), so a
 * busy server slows the simulation down instead of losing its work.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field?: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export interface ApiCallStats {
  requests: number;
  retries: number;
  failures: number;
  /** Requests per route (method + path template), for the run summary. */
  byRoute: Map<string, number>;
  /** Milliseconds spent waiting for each route's answers. */
  msByRoute: Map<string, number>;
}

export class ApiClient {
  readonly stats: ApiCallStats = {
    requests: 0,
    retries: 0,
    failures: 0,
    byRoute: new Map(),
    msByRoute: new Map(),
  };

  constructor(
    readonly baseUrl: string,
    private readonly maxRetries = 20,
  ) {}

  async call<T>(token: string, method: string, path: string, body?: unknown, route = path): Promise<T> {
    const url = `${this.baseUrl}/api/v1${path}`;
    this.stats.requests++;
    const key = `${method} ${route}`;
    this.stats.byRoute.set(key, (this.stats.byRoute.get(key) ?? 0) + 1);
    const started = performance.now();
    try {
      return await this.attempt<T>(token, method, path, body, url);
    } finally {
      this.stats.msByRoute.set(key, (this.stats.msByRoute.get(key) ?? 0) + performance.now() - started);
    }
  }

  private async attempt<T>(
    token: string,
    method: string,
    path: string,
    body: unknown,
    url: string,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        // A refused or reset connection: the server is restarting or swamped; try again shortly.
        if (attempt >= this.maxRetries) throw error;
        this.stats.retries++;
        await sleep(200 * (attempt + 1));
        continue;
      }
      if ((response.status === 429 || response.status === 503) && attempt < this.maxRetries) {
        this.stats.retries++;
        const after = Number(response.headers.get('retry-after') ?? '1');
        await response.arrayBuffer();
        await sleep(Math.min(10_000, Math.max(50, (Number.isFinite(after) ? after : 1) * 1000)));
        continue;
      }
      const text = await response.text();
      const json = text ? (JSON.parse(text) as unknown) : undefined;
      if (!response.ok) {
        this.stats.failures++;
        const e = (
          json as
            | { error?: { code?: string; message?: string; details?: { field?: string; message: string }[] } }
            | undefined
        )?.error;
        throw new ApiError(
          response.status,
          e?.code ?? String(response.status),
          `${method} ${path}: ${e?.message ?? response.statusText}`,
          e?.details ?? [],
        );
      }
      return json as T;
    }
  }

  get<T>(token: string, path: string, route?: string): Promise<T> {
    return this.call<T>(token, 'GET', path, undefined, route);
  }

  post<T>(token: string, path: string, body?: unknown, route?: string): Promise<T> {
    return this.call<T>(token, 'POST', path, body ?? {}, route);
  }

  put<T>(token: string, path: string, body: unknown, route?: string): Promise<T> {
    return this.call<T>(token, 'PUT', path, body, route);
  }

  /** Logs in through the API (rate limited by the server: used for the few staff accounts). */
  async login(username: string, password: string): Promise<string> {
    const response = await fetch(`${this.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    this.stats.requests++;
    const json = (await response.json()) as { token?: string; error?: { message?: string } };
    if (!response.ok || !json.token) {
      throw new ApiError(
        response.status,
        'login_failed',
        `login as ${username}: ${json.error?.message ?? response.statusText}`,
      );
    }
    return json.token;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `work` over items with at most `limit` in flight, keeping the items' order in the results. */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i], i);
    }
  });
  await Promise.all(lanes);
  return out;
}
