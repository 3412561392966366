import type { Insertable } from 'kysely';
import { invalid } from '../../domain/errors.ts';
import type { ContactsSection } from '../../domain/rules/schema.ts';
import type { ContactDegree, ExposureKind } from '../../domain/tracing/types.ts';
import { insertContacts, updateContact, type ContactRow } from '../../store/tracing/contacts.ts';
import type { InvestigationRow } from '../../store/tracing/investigations.ts';
import { peopleFacts, peopleWhoAreCases, type PersonFacts } from '../../store/tracing/people.ts';
import type { ContactOrigin, TracingContactTable } from '../../store/tracing/tables.ts';
import type { AppContext, UnitOfWork } from '../context.ts';
import { getActiveRuleSet } from '../kernel/rule-sets.ts';
import { planFor, startQuarantinePlans } from './plans.ts';
import { publishNewContacts } from './publish.ts';

export interface NewContact {
  personId: number;
  degree: ContactDegree;
  kind: ExposureKind;
  placeId?: number | null;
  at?: number | null;
  note?: string | null;
  viaContactId?: number | null;
}

const rulesOfTransaction = new WeakMap<object, ContactsSection>();

/**
 * The active protocol, read once per transaction: a consumer transaction handles hundreds of
 * cases, and the rule set cannot change under it (activation is its own transaction).
 */
export async function activeContactRules(ctx: AppContext, uow: UnitOfWork): Promise<ContactsSection> {
  let rules = rulesOfTransaction.get(uow.trx);
  if (!rules) {
    rules = (await getActiveRuleSet(ctx, uow.trx)).contacts;
    rulesOfTransaction.set(uow.trx, rules);
  }
  return rules;
}

/**
 * Records contacts of one case in the caller's unit of work. `confirm` puts them straight under
 * their plan (rule contacts, contacts a tracer names in the interview); otherwise they wait as
 * proposals. People who are themselves cases, the case itself, and anyone already recorded for
 * this case are skipped (idempotent under replays). Publishes one summary to the case's district
 * and one push per other district. Returns the contacts actually added.
 */
export async function addContacts(
  ctx: AppContext,
  uow: UnitOfWork,
  inv: InvestigationRow,
  contacts: readonly NewContact[],
  options: {
    origin: ContactOrigin;
    confirm: boolean;
    actorUserId: number | null;
    field?: string;
    facts?: ReadonlyMap<number, PersonFacts>;
  },
): Promise<ContactRow[]> {
  if (contacts.length === 0) return [];
  const field = options.field ?? 'contacts';
  const facts =
    options.facts ??
    (await peopleFacts(
      uow.trx,
      contacts.map((c) => c.personId),
    ));
  contacts.forEach((c, i) => {
    if (!facts.has(c.personId)) {
      throw invalid(`${field}.${i}.personId`, `person ${c.personId} does not exist`, c.personId);
    }
  });
  const cases = await peopleWhoAreCases(
    uow.trx,
    contacts.map((c) => c.personId),
  );
  const section = options.confirm ? await activeContactRules(ctx, uow) : null;
  const rows: Insertable<TracingContactTable>[] = [];
  for (const c of contacts) {
    if (c.personId === inv.person_id || cases.has(c.personId)) continue;
    const person = facts.get(c.personId)!;
    rows.push({
      district_id: person.districtId,
      street_id: person.streetId,
      person_id: c.personId,
      case_id: inv.case_id,
      case_district_id: inv.district_id,
      degree: c.degree,
      status: options.confirm ? 'confirmed' : 'proposed',
      exposure_kind: c.kind,
      exposure_place_id: c.placeId ?? null,
      exposure_at: c.at ?? null,
      exposure_note: c.note ?? null,
      via_contact_id: c.viaContactId ?? null,
      proposed_by: options.origin,
      created_at: uow.now,
      decided_at: options.confirm ? uow.now : null,
      decided_by: options.confirm ? options.actorUserId : null,
      // The plan is known before the row exists (degree, protocol, now): written with it, not after.
      ...(section ? planFields(ctx, section, c.degree, uow.now) : {}),
    });
  }
  const inserted = await insertContacts(uow.trx, rows);
  if (section && inserted.length > 0) await startQuarantinePlans(ctx, uow, inserted, section);
  publishNewContacts(uow, inv, inserted, options.origin);
  return inserted;
}

/** The edition and planned end a contact's row records. */
function planFields(ctx: AppContext, section: ContactsSection, degree: ContactDegree, startAt: number) {
  const plan = planFor(ctx, section, degree, startAt);
  return { plan_edition: plan.edition, plan_until_at: Math.max(...plan.episodes.map((e) => e.untilAt)) };
}

/** Confirms one proposed contact (optionally at another degree), starting its plan. */
export async function confirmProposedContact(
  ctx: AppContext,
  uow: UnitOfWork,
  contact: ContactRow,
  changes: { degree?: ContactDegree; actorUserId: number },
): Promise<ContactRow> {
  const section = await activeContactRules(ctx, uow);
  const degree = changes.degree ?? contact.degree;
  const updated = await updateContact(uow.trx, contact.id, {
    status: 'confirmed',
    degree,
    decided_at: uow.now,
    decided_by: changes.actorUserId,
    ...planFields(ctx, section, degree, uow.now),
  });
  await startQuarantinePlans(ctx, uow, [updated], section);
  return updated;
}
