import type { Transaction } from 'kysely';
import type { CordonEvent } from '../../domain/kernel/events.ts';
import { ruleContactsForCase } from '../../domain/tracing/rule-contacts.ts';
import { TRACING_EVENTS, type SourceCertainty } from '../../domain/tracing/types.ts';
import type { EventConsumer } from '../../events/dispatcher.ts';
import { liveContactsOfPerson, updateContact, type ContactRow } from '../../store/tracing/contacts.ts';
import { findInvestigationByCase, type InvestigationRow } from '../../store/tracing/investigations.ts';
import { neighboursOf, peopleFacts } from '../../store/tracing/people.ts';
import type { Database } from '../../store/schema.ts';
import type { AppContext, UnitOfWork } from '../context.ts';
import { consumerUnitOfWork } from '../kernel/consumer-uow.ts';
import { activeContactRules, addContacts } from './contacts.ts';
import { linkSource } from './chains.ts';
import { openInvestigation, type NewCaseFacts } from './investigations.ts';
import { endQuarantinePlan } from './plans.ts';
import { publishContactChange, publishInvestigation } from './publish.ts';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Reads issue 4's `case.created` payload; a field it lacks is null rather than a crash in the consumer. */
export function caseFactsFrom(payload: Record<string, unknown>): NewCaseFacts {
  return {
    caseId: num(payload.caseId)!,
    personId: num(payload.personId)!,
    districtId: num(payload.districtId)!,
    streetId: num(payload.streetId)!,
    placeId: num(payload.placeId),
    householdId: num(payload.householdId),
    sampledAt: num(payload.sampledAt)!,
    reportedAt: num(payload.reportedAt) ?? num(payload.sampledAt)!,
    onsetAt: num(payload.onsetAt),
    classification: typeof payload.classification === 'string' ? payload.classification : null,
    sourceCaseId: num(payload.sourceCaseId),
  };
}

/**
 * What tracing does when a case appears, in the consumer's transaction:
 * 1. opens the investigation (deadline, exposure window);
 * 2. if the person was someone's contact, that contact became a case: its plan ends (the case is
 *    isolated now) and a source link records who infected whom; a source named on the case
 *    report is linked as confirmed;
 * 3. adds the household as close contacts and the floors around as contacts of contacts, by the
 *    active rule set, each under its plan at once (日清日结: contacts found today are under
 *    control today);
 * 4. flags the case when no source is known (来源不明).
 * A redelivered event finds the investigation already open and does nothing.
 */
export async function reactToNewCase(
  ctx: AppContext,
  uow: UnitOfWork,
  facts: NewCaseFacts,
): Promise<InvestigationRow | null> {
  const [inv, created] = await openInvestigation(ctx, uow, facts);
  if (!created) return null;
  const linked = await linkSourcesOfNewCase(ctx, uow, inv, facts.sourceCaseId);

  const rules = await activeContactRules(ctx, uow);
  const index = (await peopleFacts(uow.trx, [facts.personId])).get(facts.personId);
  if (index) {
    const neighbours = await neighboursOf(uow.trx, index, rules.floorRadiusUnderLockdown);
    const found = ruleContactsForCase(index, neighbours, rules);
    await addContacts(
      ctx,
      uow,
      inv,
      found.map((c) => ({
        personId: c.personId,
        degree: c.degree,
        kind: c.kind,
        placeId: c.placeId,
        at: facts.sampledAt,
      })),
      {
        origin: 'rule',
        confirm: true,
        actorUserId: null,
        facts: new Map(neighbours.map((n) => [n.personId, n])),
      },
    );
  }
  const current: InvestigationRow = linked ? { ...inv, source_status: 'linked' } : inv;
  if (!linked) {
    publishInvestigation(uow, TRACING_EVENTS.unknownSource, current, {
      classification: current.classification,
    });
  }
  return current;
}

/** Links the new case to the cases it was a contact of, and to the source its report names. True when any link exists. */
async function linkSourcesOfNewCase(
  ctx: AppContext,
  uow: UnitOfWork,
  inv: InvestigationRow,
  reportedSource: number | null,
): Promise<boolean> {
  const contacts = await liveContactsOfPerson(uow.trx, inv.person_id);
  let linked = false;
  for (const contact of contacts) {
    linked = (await contactBecameCase(ctx, uow, contact, inv, reportedSource)) || linked;
  }
  if (
    reportedSource != null &&
    reportedSource !== inv.case_id &&
    (await findInvestigationByCase(uow.trx, reportedSource))
  ) {
    await linkSource(ctx, uow, {
      caseId: inv.case_id,
      sourceCaseId: reportedSource,
      certainty: 'confirmed',
      basis: 'case_report',
      actorUserId: null,
    });
    linked = true;
  }
  return linked;
}

/**
 * A traced contact tested positive: the record says so, the plan ends, and the case it was
 * exposed to becomes a source — probable for a close contact, possible for a contact of a contact
 * (the exposure was indirect), confirmed when the case report names the same source.
 */
async function contactBecameCase(
  ctx: AppContext,
  uow: UnitOfWork,
  contact: ContactRow,
  inv: InvestigationRow,
  reportedSource: number | null,
): Promise<boolean> {
  const updated = await updateContact(uow.trx, contact.id, {
    status: 'became_case',
    became_case_id: inv.case_id,
    decided_at: uow.now,
  });
  if (contact.status === 'confirmed') await endQuarantinePlan(uow, contact, `became case ${inv.case_id}`);
  const source = await findInvestigationByCase(uow.trx, contact.case_id);
  publishContactChange(uow, TRACING_EVENTS.contactBecameCase, updated, source?.street_id ?? null, {
    newCaseId: inv.case_id,
  });
  if (!source) return false;
  const certainty: SourceCertainty =
    reportedSource === contact.case_id ? 'confirmed' : contact.degree === 'close' ? 'probable' : 'possible';
  await linkSource(ctx, uow, {
    caseId: inv.case_id,
    sourceCaseId: contact.case_id,
    certainty,
    basis: 'contact',
    contactId: contact.id,
    actorUserId: null,
  });
  return true;
}

/**
 * The source tracing knows for a person about to become a case: the index case of their most
 * recent live close contact record, else of any live contact record. The cases service may call
 * this to fill `sourceCaseId` on `case.created`; tracing links the source either way.
 */
export async function knownSourceCaseFor(
  trx: Transaction<Database>,
  personId: number,
): Promise<number | null> {
  const contacts = await liveContactsOfPerson(trx, personId);
  const best = contacts.find((c) => c.degree === 'close') ?? contacts[0];
  return best?.case_id ?? null;
}

export function caseCreatedConsumer(ctx: AppContext): EventConsumer {
  return {
    name: 'tracing.case-created',
    types: ['case.created'],
    async handle(event: CordonEvent, trx) {
      const uow = consumerUnitOfWork(ctx, trx);
      await reactToNewCase(ctx, uow, caseFactsFrom(event.payload));
      await uow.flush();
    },
  };
}
