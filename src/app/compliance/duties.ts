import type { Principal } from '../../domain/access/principal.ts';
import type { Role } from '../../domain/access/roles.ts';
import { DomainError, invalid, notFound } from '../../domain/errors.ts';
import { dayOrder, firstDutyOrder, rhythmFor, type DutyOrder } from '../../domain/compliance/rhythm.ts';
import type { ComplianceRhythm } from '../../domain/rules/schema.ts';
import { startOfDay, type CalendarDay } from '../../domain/time/calendar.ts';
import {
  activeDuties,
  dutyById,
  dutyPeoplePage,
  dutySourceId,
  DUTY_ORDER_SOURCE,
  toDuty,
  type Duty,
} from '../../store/status/duties.ts';
import { inTransaction, type AppContext, type UnitOfWork } from '../context.ts';
import { getActiveRuleSet } from '../kernel/rule-sets.ts';
import { cancelTestOrders, createTestOrders } from '../kernel/test-orders.ts';

/**
 * Screening duties (应检尽检) per area and per key-industry occupation. A duty is a row; what a
 * person owes is a chain of kernel test orders (reason `screening_duty`), so screening fulfils
 * them like any other order, the clock's sweep reports the late ones, and status reads them.
 */
export const DUTY_ROLES: readonly Role[] = ['admin', 'city_command', 'district_command', 'street_staff'];

export interface DeclareDutyInput {
  kind: 'area' | 'occupation';
  regionId: number;
  occupation?: string | null;
  /** Defaults to the rule set's rhythm for the occupation, or its area duty. */
  rhythm?: ComplianceRhythm;
  startsAt?: number;
  reason: string;
}

export async function declareDuty(
  ctx: AppContext,
  principal: Principal,
  input: DeclareDutyInput,
): Promise<{ duty: Duty; orders: number }> {
  if (!DUTY_ROLES.includes(principal.role)) {
    throw new DomainError('forbidden', `role ${principal.role} may not declare screening duties`);
  }
  if (principal.scope.kind !== 'region' || !ctx.regions.isWithin(input.regionId, principal.scope.regionId)) {
    throw new DomainError('out_of_scope', `region ${input.regionId} is not in your area`, [
      { field: 'regionId', message: 'not in your area' },
    ]);
  }
  if (input.reason.trim().length < 4) {
    throw invalid('reason', 'say why (at least 4 characters)', input.reason);
  }
  const compliance = (await getActiveRuleSet(ctx)).compliance;
  const occupation = input.kind === 'occupation' ? (input.occupation ?? '').trim() : null;
  if (input.kind === 'occupation' && !occupation) {
    throw invalid('occupation', 'name the key-industry occupation', input.occupation);
  }
  if (occupation && !input.rhythm && !compliance.occupations[occupation]) {
    throw invalid(
      'occupation',
      `the rule set has no rhythm for ${occupation}; give one (known: ${Object.keys(compliance.occupations).join(', ')})`,
      occupation,
    );
  }
  const rhythm = input.rhythm ?? rhythmFor(compliance, occupation);
  const startsAt = input.startsAt ?? ctx.clock.now();
  const row = await ctx.store.db
    .insertInto('screening_duties')
    .values({
      kind: input.kind,
      region_id: input.regionId,
      occupation,
      rhythm: JSON.stringify(rhythm),
      starts_at: startsAt,
      ends_at: null,
      reason: input.reason.trim(),
      created_by: principal.userId,
      created_at: ctx.clock.now(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const duty = toDuty(row);
  const orders = await orderForEveryone(
    ctx,
    duty,
    firstDutyOrder(duty.rhythm, startsAt, ctx.config.timeZone),
  );
  return { duty, orders };
}

/** Creates one order for everyone the duty covers, a page (and a transaction) at a time. */
async function orderForEveryone(
  ctx: AppContext,
  duty: Duty,
  order: DutyOrder,
  pageSize = 2000,
): Promise<number> {
  let after = 0;
  let created = 0;
  for (;;) {
    const people = await dutyPeoplePage(ctx.store.db, ctx.regions, duty, after, pageSize);
    if (people.length === 0) return created;
    await inTransaction(ctx, async (uow) => {
      const results = await createTestOrders(
        uow,
        people.map((personId) => dutyOrderInput(duty, personId, order)),
      );
      created += results.filter((r) => r.created).length;
    });
    after = people[people.length - 1];
    if (people.length < pageSize) return created;
  }
}

export function dutyOrderInput(duty: Duty, personId: number, order: DutyOrder) {
  return {
    personId,
    reason: 'screening_duty' as const,
    notBefore: order.notBefore,
    dueAt: order.dueAt,
    source: { type: DUTY_ORDER_SOURCE, id: dutySourceId(duty.id, order.key) },
  };
}

/** Ends a duty: no further orders, and its open ones are cancelled. */
export async function endDuty(
  ctx: AppContext,
  principal: Principal,
  dutyId: number,
  reason: string,
): Promise<number> {
  if (!DUTY_ROLES.includes(principal.role)) {
    throw new DomainError('forbidden', `role ${principal.role} may not end screening duties`);
  }
  if (reason.trim().length < 4) throw invalid('reason', 'say why (at least 4 characters)', reason);
  const duty = await dutyById(ctx.store.db, dutyId);
  if (!duty) throw notFound(`duty ${dutyId}`);
  if (principal.scope.kind !== 'region' || !ctx.regions.isWithin(duty.regionId, principal.scope.regionId)) {
    throw new DomainError('out_of_scope', `duty ${dutyId} is not in your area`, [
      { field: 'dutyId', message: 'not in your area' },
    ]);
  }
  return inTransaction(ctx, async (uow) => {
    await uow.trx
      .updateTable('screening_duties')
      .set({ ends_at: uow.now })
      .where('id', '=', dutyId)
      .execute();
    const open = await uow.trx
      .selectFrom('test_orders')
      .select('id')
      .where('source_type', '=', DUTY_ORDER_SOURCE)
      .where('source_id', 'like', `${dutyId}:%`)
      .where('status', '=', 'open')
      .execute();
    const cancelled = await cancelTestOrders(
      uow,
      { ids: open.map((o) => o.id) },
      `screening duty ended: ${reason.trim()}`,
    );
    return cancelled.length;
  });
}

/**
 * The first round of the day for every per-day duty (一日两检): the clock runs this once a
 * calendar day; later rounds follow each fulfilment (see rolling.ts). Idempotent per day.
 */
export async function orderDutyDay(ctx: AppContext, day: CalendarDay): Promise<number> {
  const tz = ctx.config.timeZone;
  const dayStart = startOfDay(day, tz);
  let created = 0;
  for (const duty of await activeDuties(ctx.store.db, dayStart)) {
    if (duty.rhythm.kind !== 'per_day') continue;
    created += await orderForEveryone(ctx, duty, dayOrder(day, 1, Math.max(dayStart, duty.startsAt), tz));
  }
  return created;
}

export async function createDutyOrders(uow: UnitOfWork, duty: Duty, personId: number, order: DutyOrder) {
  return createTestOrders(uow, [dutyOrderInput(duty, personId, order)]);
}
