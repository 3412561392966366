import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppContext } from '../app/context.ts';
import { verifyToken } from '../app/access/tokens.ts';
import type { Principal } from '../domain/access/principal.ts';
import { DomainError } from '../domain/errors.ts';
import { errorBody, handleError } from './error-handler.ts';
import { registerRoutes } from './routes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export type CordonApp = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  ZodTypeProvider
>;

export interface ServerOptions {
  /** true: every request at info; 'error': only what went wrong (a 500's cause); false: silent. */
  logger?: boolean | 'error';
  /** Requests allowed in flight before the server answers 429 (bounded memory under overload). */
  maxInFlight?: number;
  /** Open event streams allowed at once. */
  maxEventStreams?: number;
}

/** The authenticated caller, or 401. */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('unauthenticated');
  return request.principal;
}

export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<CordonApp> {
  const app = Fastify({
    logger: options.logger ? { level: options.logger === 'error' ? 'error' : 'info' } : false,
    bodyLimit: 16 * 1024 * 1024,
    requestIdHeader: 'x-request-id',
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.decorateRequest('principal', null);

  // Overload: past the limit, answer 429 with Retry-After at once instead of queueing without bound.
  const maxInFlight = options.maxInFlight ?? 512;
  let inFlight = 0;
  const maxStreams = options.maxEventStreams ?? 5000;
  let openStreams = 0;
  const authenticate = (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const queryToken = (request.query as Record<string, unknown> | undefined)?.access_token;
    const token = header?.startsWith('Bearer ')
      ? header.slice(7)
      : typeof queryToken === 'string'
        ? queryToken
        : null;
    if (token) request.principal = verifyToken(ctx.secrets.tokenKey, token, ctx.wallClock.now());
  };
  app.addHook('onRequest', async (request, reply) => {
    authenticate(request);
    // Event streams stay open for hours; they are bounded by their own limit, not the request one.
    if (request.url.startsWith('/api/v1/events')) {
      if (openStreams >= maxStreams) {
        void reply
          .header('retry-after', '5')
          .status(429)
          .send(errorBody(request, 'overloaded', undefined, []));
        return reply;
      }
      openStreams++;
      reply.raw.once('close', () => openStreams--);
      return undefined;
    }
    if (inFlight >= maxInFlight) {
      void reply
        .header('retry-after', '1')
        .status(429)
        .send(errorBody(request, 'overloaded', undefined, []));
      return reply;
    }
    inFlight++;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        inFlight--;
      }
    };
    reply.raw.once('finish', release);
    reply.raw.once('close', release);
    return undefined;
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Cordon API',
        description: 'Outbreak-response command platform 疫情防控指挥平台',
        version: '1',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      await registerRoutes(api as CordonApp, ctx);
    },
    { prefix: '/api/v1' },
  );
  return app;
}
