import type { Principal } from '../../src/domain/access/principal.ts';
import { atLocalTime, type CalendarDay } from '../../src/domain/time/calendar.ts';
import { inTransaction } from '../../src/app/context.ts';
import { fulfilTestOrders } from '../../src/app/kernel/test-orders.ts';
import { proposeStepDowns } from '../../src/app/zones/proposals.ts';
import { decideZoneProposal } from '../../src/app/zones/decisions.ts';
import type { TestContext } from '../support/harness.ts';
import { FIXTURE } from '../support/fixture.ts';

/** Shared steps of the zone timelines: a case arrives, a day passes, a proposal is decided. */
export const TZ = 'Asia/Shanghai';

export function at(day: CalendarDay, hour = 10): number {
  return atLocalTime(day, hour, 0, TZ);
}

export const commandA: Principal = {
  userId: 900,
  username: 'huangpu-cmd',
  role: 'district_command',
  scope: { kind: 'region', regionId: FIXTURE.districtA },
};
export const commandB: Principal = {
  userId: 901,
  username: 'xuhui-cmd',
  role: 'district_command',
  scope: { kind: 'region', regionId: FIXTURE.districtB },
};

let nextCase = 1;

/** Publishes `case.created` as the cases capability does, and lets the consumers run. */
export async function reportCase(
  ctx: TestContext,
  personId: number,
  placeId: number,
  sampledDay: CalendarDay,
  districtId: number = FIXTURE.districtA,
): Promise<number> {
  const streetId = districtId === FIXTURE.districtA ? FIXTURE.streetA1 : FIXTURE.streetB1;
  const caseId = nextCase++;
  await inTransaction(ctx, async (uow) => {
    uow.publish({
      type: 'case.created',
      occurredAt: uow.now,
      regionIds: [streetId],
      personId,
      payload: {
        caseId,
        personId,
        districtId,
        streetId,
        placeId,
        householdId: null,
        sampledAt: at(sampledDay, 8),
        reportedAt: uow.now,
        classification: 'community',
        sourceCaseId: null,
      },
    });
  });
  await ctx.events.drain();
  return caseId;
}

/** Moves the clock to 10:00 on a day and runs the daily proposals; returns the pending ones. */
export async function dayOfProposals(ctx: TestContext, day: CalendarDay) {
  ctx.clock.set(at(day));
  await proposeStepDowns(ctx);
  await ctx.events.drain();
  return pending(ctx);
}

export async function pending(ctx: TestContext) {
  return ctx.store.db
    .selectFrom('zone_proposals')
    .selectAll()
    .where('status', '=', 'pending')
    .orderBy('id')
    .execute();
}

export async function designation(ctx: TestContext, placeId: number) {
  return ctx.store.db
    .selectFrom('zone_designations')
    .selectAll()
    .where('place_id', '=', placeId)
    .executeTakeFirstOrThrow();
}

export async function approveAll(ctx: TestContext, who: Principal = commandA): Promise<void> {
  for (const p of await pending(ctx)) {
    await decideZoneProposal(ctx, who, p.id, {
      decision: 'approve',
      reason: 'rules met, approved by command',
    });
  }
  await ctx.events.drain();
}

/** A negative single-tube sample for a person on a day (what screening does on a negative result). */
export async function negativeOn(
  ctx: TestContext,
  personId: number,
  day: CalendarDay,
  hour = 9,
): Promise<void> {
  await inTransaction(ctx, (uow) =>
    fulfilTestOrders(uow, personId, {
      sampledAt: at(day, hour),
      singleTube: true,
      ref: `tube:T${personId}${day}`,
    }),
  );
}

/** Zone control episodes running now, by person. */
export async function zoneEpisodes(ctx: TestContext) {
  const now = ctx.clock.now();
  const rows = await ctx.store.db
    .selectFrom('control_episodes')
    .select(['person_id', 'kind'])
    .where('source_type', '=', 'zone')
    .where('from_at', '<=', now)
    .where((eb) => eb.or([eb('until_at', 'is', null), eb('until_at', '>', now)]))
    .orderBy('person_id')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.person_id, r.kind]));
}

/** Days from `from` to `to` inclusive. */
export function daysFrom(from: CalendarDay, to: CalendarDay): CalendarDay[] {
  const out: CalendarDay[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d.toISOString().slice(0, 10) <= to;
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}
