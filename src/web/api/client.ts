import type { Language } from '../i18n/I18nProvider.tsx';

/**
 * An API failure. `routeMissing` is true when the server has no such route at all (Fastify's own
 * 404, not Cordon's error body): the capability behind it has not landed yet, which the page shows
 * as "not yet available" rather than as an error.
 */
/** One problem the server named: the field or file line and what is wrong with it. */
export interface ApiErrorDetail {
  field?: string;
  line?: number;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly routeMissing = false,
    readonly details: readonly ApiErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  /** A text body (a lab's CSV file) under its own content type. */
  postText<T>(path: string, text: string, contentType: string): Promise<T>;
}

interface CordonErrorBody {
  error?: { code?: string; message?: string; details?: ApiErrorDetail[] } | string;
  message?: string;
}

async function toError(response: Response): Promise<ApiError> {
  let body: CordonErrorBody = {};
  try {
    body = (await response.json()) as CordonErrorBody;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  if (body.error && typeof body.error === 'object') {
    return new ApiError(
      response.status,
      body.error.code ?? 'unknown',
      body.error.message ?? response.statusText,
      false,
      Array.isArray(body.error.details) ? body.error.details : [],
    );
  }
  return new ApiError(
    response.status,
    'http_error',
    body.message ?? response.statusText,
    response.status === 404,
  );
}

/**
 * Fetch with the login token and the user's language (the server words its errors in it). A 401
 * means the session is over: `onUnauthenticated` sends the user back to the login screen.
 */
export function createApiClient(options: {
  token: string | null;
  language: Language;
  onUnauthenticated?: () => void;
}): ApiClient {
  const request = async <T>(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<T> => {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'accept-language': options.language,
    };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers['content-type'] = contentType ?? 'application/json';
    const response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : contentType ? String(body) : JSON.stringify(body),
    });
    if (!response.ok) {
      const error = await toError(response);
      if (response.status === 401 && options.token) options.onUnauthenticated?.();
      throw error;
    }
    // 204: an action with nothing to say.
    if (response.status === 204) return null as T;
    return (await response.json()) as T;
  };
  return {
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body ?? {}),
    put: (path, body) => request('PUT', path, body ?? {}),
    postText: (path, text, contentType) => request('POST', path, text, contentType),
  };
}
