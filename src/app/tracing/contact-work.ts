import type { Principal } from '../../domain/access/principal.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import { TRACING_EVENTS, type ContactDegree } from '../../domain/tracing/types.ts';
import {
  findContact,
  listContacts,
  updateContact,
  type ContactQuery,
  type ContactRow,
} from '../../store/tracing/contacts.ts';
import { findInvestigationByCase } from '../../store/tracing/investigations.ts';
import { inTransaction, type AppContext, type UnitOfWork } from '../context.ts';
import { tracingScope } from './access.ts';
import { addContacts, confirmProposedContact, type NewContact } from './contacts.ts';
import { visibleInvestigation } from './investigations.ts';
import { endQuarantinePlan } from './plans.ts';
import { publishContactChange } from './publish.ts';

/** The tracer's contact work through the API: list, name contacts, confirm or dismiss proposals. */

export async function listContactsFor(
  ctx: AppContext,
  principal: Principal,
  q: Omit<ContactQuery, 'scope'>,
): Promise<ContactRow[]> {
  const scope = tracingScope(ctx, principal, 'read');
  return listContacts(ctx.store.db, { ...q, scope });
}

async function visibleContact(
  ctx: AppContext,
  uow: UnitOfWork,
  principal: Principal,
  id: number,
  action: 'read' | 'investigate',
): Promise<ContactRow> {
  const scope = tracingScope(ctx, principal, action);
  const contact = await findContact(uow.trx, id, scope);
  if (!contact) throw new DomainError('out_of_scope', `contact ${id} not found in your area`);
  return contact;
}

export async function getContact(ctx: AppContext, principal: Principal, id: number): Promise<ContactRow> {
  return inTransaction(ctx, (uow) => visibleContact(ctx, uow, principal, id, 'read'));
}

/**
 * Contacts a tracer names in the interview: recorded as confirmed and put under their plan at once.
 * A contact of a contact may name the close contact it came through (`viaContactId`), which must
 * be a close contact of the same case.
 */
export async function addContactsAs(
  ctx: AppContext,
  principal: Principal,
  investigationId: number,
  contacts: readonly NewContact[],
): Promise<ContactRow[]> {
  return inTransaction(ctx, async (uow) => {
    const inv = await visibleInvestigation(ctx, uow, principal, investigationId, 'investigate');
    for (const [i, c] of contacts.entries()) {
      if (c.personId === inv.person_id) {
        throw invalid(`contacts.${i}.personId`, 'is the case itself', c.personId);
      }
      if (c.viaContactId == null) continue;
      const via = await uow.trx
        .selectFrom('tracing_contacts')
        .select(['case_id', 'degree'])
        .where('id', '=', c.viaContactId)
        .executeTakeFirst();
      if (!via || via.case_id !== inv.case_id || via.degree !== 'close') {
        throw invalid(
          `contacts.${i}.viaContactId`,
          `contact ${c.viaContactId} is not a close contact of case ${inv.case_id}`,
          c.viaContactId,
        );
      }
    }
    return addContacts(ctx, uow, inv, contacts, {
      origin: 'tracer',
      confirm: true,
      actorUserId: principal.userId,
    });
  });
}

/** Confirms a proposed contact (a co-presence match the tracer checked), optionally at another degree. */
export async function confirmContactAs(
  ctx: AppContext,
  principal: Principal,
  id: number,
  degree?: ContactDegree,
): Promise<ContactRow> {
  return inTransaction(ctx, async (uow) => {
    const contact = await visibleContact(ctx, uow, principal, id, 'investigate');
    if (contact.status !== 'proposed') {
      throw new DomainError('conflict', `contact ${id} is ${contact.status}, not proposed`);
    }
    const confirmed = await confirmProposedContact(ctx, uow, contact, {
      degree,
      actorUserId: principal.userId,
    });
    const inv = await findInvestigationByCase(uow.trx, contact.case_id);
    publishContactChange(uow, TRACING_EVENTS.contactConfirmed, confirmed, inv?.street_id ?? null, {
      planUntilAt: confirmed.plan_until_at,
      edition: confirmed.plan_edition,
    });
    return confirmed;
  });
}

/**
 * Rules a contact out. A proposal is simply dismissed; a confirmed contact's plan ends (episodes
 * end, open test orders are cancelled) with the reason, which is required.
 */
export async function dismissContactAs(
  ctx: AppContext,
  principal: Principal,
  id: number,
  reason: string,
): Promise<ContactRow> {
  const why = reason.trim();
  if (why.length < 4) throw invalid('reason', 'say why the contact is ruled out (at least 4 characters)');
  return inTransaction(ctx, async (uow) => {
    const contact = await visibleContact(ctx, uow, principal, id, 'investigate');
    if (contact.status !== 'proposed' && contact.status !== 'confirmed') {
      throw new DomainError('conflict', `contact ${id} is ${contact.status} and cannot be dismissed`);
    }
    if (contact.status === 'confirmed') await endQuarantinePlan(uow, contact, `contact dismissed: ${why}`);
    const updated = await updateContact(uow.trx, id, {
      status: 'dismissed',
      decided_at: uow.now,
      decided_by: principal.userId,
      decision_reason: why,
    });
    const inv = await findInvestigationByCase(uow.trx, contact.case_id);
    publishContactChange(uow, TRACING_EVENTS.contactDismissed, updated, inv?.street_id ?? null);
    return updated;
  });
}
