import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { declareDuty, endDuty, orderDutyDay } from '../../src/app/compliance/duties.ts';
import { overdueCsvRows, overdueList, personCompliance } from '../../src/app/compliance/queries.ts';
import { computePersonStatus } from '../../src/app/status/status.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { at, commandA, negativeOn } from '../zones/helpers.ts';

/**
 * Screening duties per area and per key-industry occupation, one test per rhythm of the default
 * compliance section: 7 days (area), 24 h (delivery), 48 h (logistics), twice a day (care homes).
 * Overdue lists by household, building and employer.
 */
const city: Principal = {
  userId: 903,
  username: 'city-cmd',
  role: 'city_command',
  scope: { kind: 'region', regionId: FIXTURE.city },
};
const employer: Principal = {
  userId: 904,
  username: 'courier-boss',
  role: 'employer',
  scope: { kind: 'organisation', organisationId: FIXTURE.workplaceA },
};

describe.each(testDialects())('screening duties on %s', (dialect) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await openTestContext(dialect, {
      now: at('2022-04-13'),
      config: { ruleSet: 'shanghai-2022-05-16' },
    });
    await loadFixture(ctx);
    await ctx.store.db
      .updateTable('people')
      .set({ occupation: 'logistics', workplace_org_id: FIXTURE.workplaceA })
      .where('id', '=', FIXTURE.personB1)
      .execute();
    await ctx.store.db
      .updateTable('people')
      .set({ occupation: 'care_home' })
      .where('id', '=', FIXTURE.personB2)
      .execute();
  });
  afterEach(async () => {
    await ctx.close();
  });
  const overdueIds = async (groupBy: 'household' | 'building' | 'employer', who: Principal = city) =>
    (await overdueList(ctx, who, { groupBy })).groups.map((g) => [g.id, g.people.map((p) => p.personId)]);
  const settle = () => ctx.events.drain();

  it('weekly area duty: overdue after 7 days, by household and building; a test restarts the week', async () => {
    const { orders } = await declareDuty(ctx, commandA, {
      kind: 'area',
      regionId: FIXTURE.streetA1,
      reason: 'weekly screening of the street',
    });
    expect(orders).toBe(3);
    ctx.clock.set(at('2022-04-15'));
    await negativeOn(ctx, FIXTURE.personA2, '2022-04-15');
    await settle();
    ctx.clock.set(at('2022-04-20'));
    expect(await overdueIds('household')).toEqual([]);
    expect(await personCompliance(ctx, commandA, FIXTURE.personA1)).toMatchObject({
      state: 'due',
      nextDueAt: at('2022-04-20'),
    });
    ctx.clock.set(at('2022-04-20') + 1);
    expect(await overdueIds('household')).toEqual([
      [1, [1]],
      [2, [3]],
    ]);
    expect(await overdueIds('building')).toEqual([[FIXTURE.buildingA1, [1, 3]]]);
    expect(await personCompliance(ctx, commandA, FIXTURE.personA1)).toMatchObject({
      state: 'overdue',
      overdueSince: at('2022-04-20'),
    });
    // Person 2's week restarted at her test on the 15th (09:00): due on the 22nd at 09:00.
    expect(await personCompliance(ctx, commandA, FIXTURE.personA2)).toMatchObject({
      state: 'current',
      nextDueAt: at('2022-04-22', 9),
    });
    ctx.clock.set(at('2022-04-22', 9) + 1);
    expect((await overdueIds('household'))[0]).toEqual([1, [1, 2]]);
  });

  it('24 h for delivery workers, by employer; the employer sees only its own workers', async () => {
    await declareDuty(ctx, city, {
      kind: 'occupation',
      regionId: FIXTURE.city,
      occupation: 'delivery',
      reason: 'key industry: delivery',
    });
    ctx.clock.set(at('2022-04-14'));
    expect(await overdueIds('employer')).toEqual([]);
    ctx.clock.set(at('2022-04-14') + 1);
    expect(await overdueIds('employer')).toEqual([[FIXTURE.workplaceA, [1]]]);
    expect(await overdueIds('employer', employer)).toEqual([[FIXTURE.workplaceA, [1]]]);
    await expect(overdueList(ctx, employer, { groupBy: 'household' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await negativeOn(ctx, 1, '2022-04-14', 11);
    await settle();
    expect(await overdueIds('employer')).toEqual([]);
    ctx.clock.set(at('2022-04-15', 11) + 1);
    expect(await overdueIds('employer')).toEqual([[FIXTURE.workplaceA, [1]]]);
  });

  it('48 h for logistics', async () => {
    await declareDuty(ctx, city, {
      kind: 'occupation',
      regionId: FIXTURE.city,
      occupation: 'logistics',
      reason: 'key industry: logistics',
    });
    ctx.clock.set(at('2022-04-15'));
    expect(await overdueIds('employer')).toEqual([]);
    ctx.clock.set(at('2022-04-15') + 1);
    expect(await overdueIds('employer')).toEqual([[FIXTURE.workplaceA, [FIXTURE.personB1]]]);
    expect(await overdueIds('building')).toEqual([[FIXTURE.buildingB1, [FIXTURE.personB1]]]);
  });

  it('twice a day for care homes: the second test must come 6 h after the first, before midnight', async () => {
    await declareDuty(ctx, city, {
      kind: 'occupation',
      regionId: FIXTURE.city,
      occupation: 'care_home',
      reason: 'care homes test twice a day',
    });
    const p = FIXTURE.personB2;
    await negativeOn(ctx, p, '2022-04-13', 11);
    await settle();
    // A second sample at 12:00 is too soon: it does not answer round 2 (open from 17:00).
    await negativeOn(ctx, p, '2022-04-13', 12);
    await settle();
    ctx.clock.set(at('2022-04-13', 20));
    expect(await personCompliance(ctx, city, p)).toMatchObject({
      state: 'due',
      nextDueAt: at('2022-04-14', 0),
    });
    ctx.clock.set(at('2022-04-14', 0) + 1);
    expect(await overdueIds('building')).toEqual([[FIXTURE.buildingB1, [p]]]);
    expect((await computePersonStatus(ctx, p)).reasons.map((r) => r.code)).toEqual(['screening_overdue']);
    // The next day starts with its own first round, ordered by the daily turn.
    expect(await orderDutyDay(ctx, '2022-04-14')).toBe(1);
    expect(await orderDutyDay(ctx, '2022-04-14')).toBe(0);
    await negativeOn(ctx, p, '2022-04-14', 8);
    await settle();
    await negativeOn(ctx, p, '2022-04-14', 15);
    await settle();
    ctx.clock.set(at('2022-04-14', 23));
    expect(await overdueIds('building')).toEqual([]);
    expect(await personCompliance(ctx, city, p)).toMatchObject({
      state: 'current',
      nextDueAt: at('2022-04-16', 0),
    });
  });

  it('exports the list as CSV rows and stops when a duty ends', async () => {
    const { duty } = await declareDuty(ctx, commandA, {
      kind: 'area',
      regionId: FIXTURE.districtA,
      reason: 'weekly screening of the district',
    });
    ctx.clock.set(at('2022-04-21'));
    const rows: unknown[][] = [];
    for await (const chunk of overdueCsvRows(ctx, commandA, { groupBy: 'building' })) rows.push(...chunk);
    expect(rows.map((r) => [r[0], r[1], r[3]])).toEqual([
      ['building', FIXTURE.buildingA1, 1],
      ['building', FIXTURE.buildingA1, 2],
      ['building', FIXTURE.buildingA1, 3],
    ]);
    expect(await endDuty(ctx, commandA, duty.id, 'the wave is over')).toBe(3);
    expect(await overdueIds('building')).toEqual([]);
    const audited = await ctx.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'compliance.%')
      .execute();
    expect(audited.map((a) => a.action)).toContain('compliance.overdue.export');
  });
});
