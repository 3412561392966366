import type { FastifyRequest } from 'fastify';
import { actorOf, audit } from '../app/access/audit.ts';
import type { AppContext } from '../app/context.ts';
import { requirePrincipal } from './server.ts';

export type RequestAuditor = (
  request: FastifyRequest,
  action: string,
  subjectType: string,
  subjectIds: readonly (number | string)[],
  details?: Record<string, unknown>,
) => Promise<void>;

/**
 * The audit record of a route that reads or changes health data about people by id (cases,
 * contacts, transfers, stays): the signed-in caller, the action, the subjects and the request id.
 * No personal field is read in clear by these routes, hence `fields: []`.
 */
export function requestAuditor(ctx: AppContext): RequestAuditor {
  return (request, action, subjectType, subjectIds, details) =>
    audit(ctx, {
      actor: actorOf(requirePrincipal(request)),
      action,
      subjectType,
      subjectIds,
      fields: [],
      requestId: request.id,
      details,
    });
}
