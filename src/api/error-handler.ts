import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, ERROR_CATALOGUE, type ErrorCode, type ErrorDetail } from '../domain/errors.ts';
import { preferredLanguage } from './language.ts';

/** The JSON body of every error: `{ error: { code, message, details } }`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: ErrorDetail[] };
}

export function errorBody(
  request: FastifyRequest,
  code: ErrorCode,
  detailMessage: string | undefined,
  details: ErrorDetail[],
): ErrorBody {
  const entry = ERROR_CATALOGUE[code];
  const base = preferredLanguage(request) === 'en' ? entry.en : entry.zh;
  const message = detailMessage && detailMessage !== entry.en ? `${base}: ${detailMessage}` : base;
  return { error: { code, message, details } };
}

/** The one place that maps errors to HTTP (Outline's onerror, Fastify's error catalogue). */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof DomainError) {
    void reply
      .status(ERROR_CATALOGUE[error.code].status)
      .send(errorBody(request, error.code, error.message, error.details));
    return;
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as FastifyError).validationContext ?? 'body';
    const details: ErrorDetail[] = error.validation.map((v) => {
      const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      return { field: path ? `${where}.${path}` : where, message: v.message ?? 'invalid' };
    });
    const summary = details.map((d) => `${d.field}: ${d.message}`).join('; ');
    void reply.status(400).send(errorBody(request, 'validation_failed', summary, details));
    return;
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.statusCode === 429) {
    void reply.status(429).send(errorBody(request, 'rate_limited', undefined, []));
    return;
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const details = [{ message: fastifyError.message }];
    void reply
      .status(fastifyError.statusCode)
      .send(errorBody(request, 'validation_failed', fastifyError.message, details));
    return;
  }
  request.log.error({ err: error }, 'unhandled error');
  void reply.status(500).send(errorBody(request, 'internal', undefined, []));
}
