import type { Principal } from '../../domain/access/principal.ts';
import { DomainError, invalid, notFound } from '../../domain/errors.ts';
import { checkExemption, EXEMPTION_ROLES } from '../../domain/status/exemptions.ts';
import { ZONE_LEVELS } from '../../domain/rules/zones-schema.ts';
import { actorOf, audit } from '../access/audit.ts';
import { getScopedPerson } from '../access/scoped-people.ts';
import { inTransaction, type AppContext } from '../context.ts';
import { getActiveRuleSet } from '../kernel/rule-sets.ts';

/**
 * The records status keeps of its own: exemptions (the correction path) and arrivals from risk
 * areas. Each is written with its event (so pushed statuses and history follow) and audited.
 */
export const STATUS_EVENTS = {
  exemptionRecorded: 'status.exemption.recorded',
  exemptionRevoked: 'status.exemption.revoked',
  arrivalRecorded: 'status.arrival.recorded',
  changed: 'status.changed',
} as const;

export interface ExemptionInput {
  reasonCode: string;
  kind: string;
  note: string;
  from?: number;
  until: number;
}

export async function recordExemption(
  ctx: AppContext,
  principal: Principal,
  personId: number,
  input: ExemptionInput,
  requestId?: string,
) {
  const rules = await getActiveRuleSet(ctx);
  const from = input.from ?? ctx.clock.now();
  const checked = checkExemption(principal.role, rules.status, { ...input, from });
  const person = await getScopedPerson(ctx, principal, personId);
  const row = await inTransaction(ctx, async (uow) => {
    const inserted = await uow.trx
      .insertInto('status_exemptions')
      .values({
        district_id: person.district_id,
        person_id: personId,
        reason_code: checked.reasonCode,
        kind: checked.kind,
        note: input.note.trim(),
        from_at: from,
        until_at: input.until,
        created_by: principal.userId,
        created_by_name: principal.username,
        created_at: uow.now,
        revoked_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    uow.publish({
      type: STATUS_EVENTS.exemptionRecorded,
      occurredAt: uow.now,
      regionIds: [person.committee_id ?? person.street_id],
      personId,
      payload: {
        exemptionId: inserted.id,
        personId,
        districtId: person.district_id,
        reasonCode: checked.reasonCode,
        kind: checked.kind,
        from,
        until: input.until,
      },
    });
    return inserted;
  });
  await audit(ctx, {
    actor: actorOf(principal),
    action: 'status.exempt',
    subjectType: 'person',
    subjectIds: [personId],
    fields: ['health'],
    reason: input.note.trim(),
    requestId: requestId ?? null,
    details: {
      exemptionId: row.id,
      reasonCode: checked.reasonCode,
      kind: checked.kind,
      from,
      until: input.until,
    },
  });
  return row;
}

export async function revokeExemption(
  ctx: AppContext,
  principal: Principal,
  exemptionId: number,
  reason: string,
  requestId?: string,
) {
  if (!EXEMPTION_ROLES.includes(principal.role)) {
    throw new DomainError('forbidden', `role ${principal.role} may not revoke exemptions`);
  }
  if (reason.trim().length < 4) throw invalid('reason', 'say why (at least 4 characters)', reason);
  const found = await ctx.store.db
    .selectFrom('status_exemptions')
    .selectAll()
    .where('id', '=', exemptionId)
    .executeTakeFirst();
  if (!found) throw notFound(`exemption ${exemptionId}`);
  const person = await getScopedPerson(ctx, principal, found.person_id);
  await inTransaction(ctx, async (uow) => {
    await uow.trx
      .updateTable('status_exemptions')
      .set({ revoked_at: uow.now })
      .where('district_id', '=', found.district_id)
      .where('id', '=', exemptionId)
      .where('revoked_at', 'is', null)
      .execute();
    uow.publish({
      type: STATUS_EVENTS.exemptionRevoked,
      occurredAt: uow.now,
      regionIds: [person.committee_id ?? person.street_id],
      personId: found.person_id,
      payload: {
        exemptionId,
        personId: found.person_id,
        districtId: found.district_id,
        reasonCode: found.reason_code,
      },
    });
  });
  await audit(ctx, {
    actor: actorOf(principal),
    action: 'status.exemption.revoke',
    subjectType: 'person',
    subjectIds: [found.person_id],
    fields: ['health'],
    reason: reason.trim(),
    requestId: requestId ?? null,
    details: { exemptionId },
  });
}

export interface ArrivalInput {
  arrivedAt: number;
  /** Zone level of the origin (sealed / controlled), or a risk-area word (high / medium). */
  fromLevel: string;
  origin: string;
}

/** Street staff record an arrival (落地检 / 返沪登记); it colours the person for the set's window. */
export async function recordArrival(
  ctx: AppContext,
  principal: Principal,
  personId: number,
  input: ArrivalInput,
  requestId?: string,
) {
  if (!EXEMPTION_ROLES.includes(principal.role)) {
    throw new DomainError('forbidden', `role ${principal.role} may not record arrivals`);
  }
  const rules = await getActiveRuleSet(ctx);
  // Risk-area words map through the set's mapping, or the national one when the set has none.
  const mapping: Record<string, string> = rules.zones.riskAreaMapping ?? {
    high: 'sealed',
    medium: 'controlled',
    low: 'precaution',
  };
  const mapped = mapping[input.fromLevel] ?? input.fromLevel;
  if (!(ZONE_LEVELS as readonly string[]).includes(mapped)) {
    throw invalid('fromLevel', 'sealed, controlled or precaution (or high, medium, low)', input.fromLevel);
  }
  if (!input.origin.trim()) {
    throw invalid('origin', 'name the place or area the person came from', input.origin);
  }
  if (input.arrivedAt > ctx.clock.now()) {
    throw invalid('arrivedAt', 'must not be in the future', input.arrivedAt);
  }
  const person = await getScopedPerson(ctx, principal, personId);
  const row = await inTransaction(ctx, async (uow) => {
    const inserted = await uow.trx
      .insertInto('status_arrivals')
      .values({
        district_id: person.district_id,
        person_id: personId,
        arrived_at: input.arrivedAt,
        from_level: mapped,
        origin: input.origin.trim(),
        recorded_by: principal.userId,
        created_at: uow.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    uow.publish({
      type: STATUS_EVENTS.arrivalRecorded,
      occurredAt: input.arrivedAt,
      regionIds: [person.committee_id ?? person.street_id],
      personId,
      payload: {
        arrivalId: inserted.id,
        personId,
        districtId: person.district_id,
        fromLevel: mapped,
        arrivedAt: input.arrivedAt,
      },
    });
    return inserted;
  });
  await audit(ctx, {
    actor: actorOf(principal),
    action: 'status.arrival.record',
    subjectType: 'person',
    subjectIds: [personId],
    fields: ['health'],
    requestId: requestId ?? null,
    details: { arrivalId: row.id, fromLevel: mapped },
  });
  return row;
}
