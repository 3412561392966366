import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { TOKEN_TTL_MS, issueToken } from '../../app/access/tokens.ts';
import { authenticate, principalOf } from '../../app/access/users.ts';
import type { AppContext } from '../../app/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { presentUser } from './presenter.ts';
import { LoginBody, LoginResponse, UserSummary } from './schema.ts';

/**
 * Login is the one door an attacker can knock on without a token, so it is rate limited twice:
 * per client address (one machine trying many names) and per username (many machines trying one
 * name). The limits live in memory, per process.
 */
export const LOGIN_LIMIT = { max: 10, windowMs: 60_000 };

function usernameOf(request: FastifyRequest): string {
  const body = request.body as { username?: unknown } | undefined;
  return typeof body?.username === 'string' ? body.username.trim().toLowerCase() : '';
}

export async function accessRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  // Encapsulated, so the rate-limit plugin's decorators cannot collide with another capability's.
  await api.register(async (child) => {
    const auth = child as CordonApp;
    await auth.register(fastifyRateLimit, { global: false });
    const perUsername = auth.createRateLimit({
      max: LOGIN_LIMIT.max,
      timeWindow: LOGIN_LIMIT.windowMs,
      keyGenerator: (request) => `login-user:${usernameOf(request)}`,
    });

    auth.post(
      '/auth/login',
      {
        config: { rateLimit: { max: LOGIN_LIMIT.max, timeWindow: LOGIN_LIMIT.windowMs } },
        schema: {
          tags: ['auth'],
          summary: 'Log in; returns a bearer token',
          security: [],
          body: LoginBody,
          response: { 200: LoginResponse },
        },
      },
      async (request, reply) => {
        const limit = await perUsername(request);
        if (!limit.isAllowed && limit.isExceeded) {
          void reply.header('retry-after', String(limit.ttlInSeconds));
          throw new DomainError(
            'rate_limited',
            `too many login attempts for this username; retry in ${limit.ttlInSeconds} s`,
          );
        }
        const user = await authenticate(ctx, request.body.username, request.body.password);
        const principal = principalOf(user);
        const now = ctx.wallClock.now();
        return {
          token: issueToken(ctx.secrets.tokenKey, principal, now),
          expiresAt: now + TOKEN_TTL_MS,
          user: presentUser(principal, ctx.regions),
        };
      },
    );
  });

  api.get(
    '/auth/me',
    { schema: { tags: ['auth'], summary: 'Who the token belongs to', response: { 200: UserSummary } } },
    async (request) => presentUser(requirePrincipal(request), ctx.regions),
  );
}
