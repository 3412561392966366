import {
  canEverReveal,
  decideReveal,
  type RevealableField,
  type RevealOccasion,
} from '../../domain/access/policy.ts';
import type { Principal } from '../../domain/access/principal.ts';
import { DomainError } from '../../domain/errors.ts';
import type { AppContext } from '../context.ts';
import { actorOf, audit } from './audit.ts';
import {
  getScopedPerson,
  isNamedInOwnOrder,
  listScopedPeople,
  streamScopedPeople,
  type PeopleCursor,
  type PeopleFilters,
  type PersonRow,
} from './scoped-people.ts';

/**
 * The people services behind the API: scoped query → audit record → result. Each waits for its
 * audit record to commit before returning, so nothing is shown that was not recorded.
 */
export interface AccessRequest {
  principal: Principal;
  requestId: string | null;
}

/** What a masked response carries of each personal field. */
const MASKED_READ = ['name', 'phone', 'address'] as const;

/**
 * Filters as the audit log keeps them. A name prefix is personal data in its own right and the
 * audit log outlives retention, so only the fact of a name search is kept.
 */
function auditedFilters(filters: PeopleFilters): Record<string, unknown> {
  const { q, ...rest } = filters;
  return { ...rest, ...(q ? { nameSearch: true } : {}) };
}

export async function listPeople(
  ctx: AppContext,
  request: AccessRequest,
  filters: PeopleFilters,
  page: { limit: number; after?: PeopleCursor | null },
): Promise<{ rows: PersonRow[]; next: PeopleCursor | null }> {
  const result = await listScopedPeople(ctx, request.principal, filters, page);
  await audit(ctx, {
    actor: actorOf(request.principal),
    action: 'people.list',
    subjectType: 'person',
    subjectIds: result.rows.map((r) => r.id),
    fields: MASKED_READ,
    requestId: request.requestId,
    details: { masked: true, filters: auditedFilters(filters) },
  });
  return result;
}

export async function readPerson(
  ctx: AppContext,
  request: AccessRequest,
  personId: number,
): Promise<PersonRow> {
  const row = await getScopedPerson(ctx, request.principal, personId);
  await audit(ctx, {
    actor: actorOf(request.principal),
    action: 'person.read',
    subjectType: 'person',
    subjectIds: [row.id],
    fields: MASKED_READ,
    requestId: request.requestId,
    details: { masked: true },
  });
  return row;
}

/** A resident's own record, unmasked: their own data is theirs to see. */
export async function readOwnPerson(ctx: AppContext, request: AccessRequest): Promise<PersonRow> {
  const scope = request.principal.scope;
  if (scope.kind !== 'self') throw new DomainError('forbidden', 'only a resident has a record of their own');
  const row = await getScopedPerson(ctx, request.principal, scope.personId);
  await audit(ctx, {
    actor: actorOf(request.principal),
    action: 'person.read',
    subjectType: 'person',
    subjectIds: [row.id],
    fields: ['name', 'phone', 'address'],
    requestId: request.requestId,
    details: { self: true },
  });
  return row;
}

/**
 * An export is recorded before its first row leaves, with the filter that defines it (its ids
 * may run to millions). The rows then stream in keyset chunks.
 */
export async function exportPeople(
  ctx: AppContext,
  request: AccessRequest,
  filters: PeopleFilters,
): Promise<AsyncGenerator<PersonRow[]>> {
  await audit(ctx, {
    actor: actorOf(request.principal),
    action: 'people.export',
    subjectType: 'person',
    subjectIds: [],
    fields: MASKED_READ,
    requestId: request.requestId,
    details: { masked: true, format: 'csv', filters: auditedFilters(filters) },
  });
  return streamScopedPeople(ctx, request.principal, filters);
}

/**
 * Shows personal fields in clear to a permitted user who gives a reason (policy.ts). The
 * reveal, its fields and its reason are recorded before anything is returned.
 */
export async function revealPerson(
  ctx: AppContext,
  request: AccessRequest,
  personId: number,
  ask: { fields: readonly RevealableField[]; reason?: string | null },
): Promise<{ row: PersonRow; fields: RevealableField[]; reason: string | null }> {
  const { principal } = request;
  try {
    // A role that may never reveal is refused before any look-up: no reason to touch the row.
    if (!canEverReveal(principal.role)) {
      throw new DomainError('forbidden', `role ${principal.role} may not reveal personal data`, [
        { field: 'fields', message: 'not permitted for this role' },
      ]);
    }
    const row = await getScopedPerson(ctx, principal, personId);
    const decision = decideReveal({
      role: principal.role,
      occasion: await occasionFor(ctx, principal, row.id),
      fields: ask.fields,
      reason: ask.reason,
    });
    if (!decision.allowed) {
      throw new DomainError(decision.code, decision.message, [
        { field: decision.field, message: decision.message },
      ]);
    }
    await audit(ctx, {
      actor: actorOf(principal),
      action: 'person.reveal',
      subjectType: 'person',
      subjectIds: [row.id],
      fields: decision.fields,
      reason: decision.reason,
      requestId: request.requestId,
    });
    return { row, fields: decision.fields, reason: decision.reason };
  } catch (error) {
    // A refused attempt is as much the supervisor's business as a granted one (who tried, whom,
    // which fields, with what reason): it is recorded before the refusal is answered.
    if (error instanceof DomainError) {
      await audit(ctx, {
        actor: actorOf(principal),
        action: 'person.reveal_refused',
        subjectType: 'person',
        subjectIds: [personId],
        fields: ask.fields,
        reason: ask.reason ?? null,
        requestId: request.requestId,
        details: { code: error.code },
      });
    }
    throw error;
  }
}

async function occasionFor(ctx: AppContext, principal: Principal, personId: number): Promise<RevealOccasion> {
  switch (principal.scope.kind) {
    case 'self':
      return 'self';
    case 'region':
      return 'in_scope';
    case 'organisation':
      return (await isNamedInOwnOrder(ctx, principal, personId)) ? 'own_order' : 'in_scope';
  }
}
