import type { FastifyRequest } from 'fastify';

export type Language = 'zh-CN' | 'en';

/** zh-CN unless the client asks for English (Accept-Language or ?lang=en). */
export function preferredLanguage(request: FastifyRequest): Language {
  const query = request.query as Record<string, unknown> | undefined;
  if (query && typeof query.lang === 'string') return query.lang.startsWith('en') ? 'en' : 'zh-CN';
  const header = request.headers['accept-language'];
  if (typeof header === 'string' && /^en\b/i.test(header.trim())) return 'en';
  return 'zh-CN';
}
