import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/app/cases/actor.ts';
import { admitFor } from '../../src/app/cases/facility-commands.ts';
import { clearingReport, sameDayReport } from '../../src/app/cases/figures.ts';
import { recordPositive } from '../../src/app/cases/intake.ts';
import { SAME_DAY_RULE } from '../../src/app/cases/monitoring.ts';
import { allocateManyFor, arriveFor, dispatchFor, pickUpFor } from '../../src/app/cases/transfer-commands.ts';
import { inTransaction } from '../../src/app/context.ts';
import { tick } from '../../src/app/kernel/rule-runner.ts';
import { atLocalTime } from '../../src/domain/time/calendar.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import {
  addFacility,
  addPeople,
  addTransportTeam,
  facilityStaff,
  P,
  PEOPLE_A,
  PEOPLE_B,
  putUnderControl,
} from './support.ts';

const TZ = 'Asia/Shanghai';
const at = (day: string, hh: number, mm = 0) => atLocalTime(day, hh, mm, TZ);

describe.each(testDialects())('社会面清零 and 日清日结 on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    // Real district sizes: Huangpu's threshold is 6 a day (6.62 per 100,000), Xuhui's 11.
    await ctx.store.db
      .updateTable('regions')
      .set({ population: 662_030 })
      .where('id', '=', FIXTURE.districtA)
      .execute();
    await ctx.store.db
      .updateTable('regions')
      .set({ population: 1_113_078 })
      .where('id', '=', FIXTURE.districtB)
      .execute();
    await ctx.regions.reload(ctx.store.db);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('counts the district clearing status day by day, with the 1-per-100,000 threshold', async () => {
    ctx.clock.set(at('2022-04-20', 9));
    const perDay: [string, number][] = [
      ['2022-04-10', 7],
      ['2022-04-11', 6],
      ['2022-04-12', 2],
    ];
    const people = await addPeople(ctx, 15, PEOPLE_A);
    const [quarantined] = await addPeople(ctx, 1, PEOPLE_A);
    await putUnderControl(ctx, quarantined, 'quarantine', at('2022-04-13', 8));
    await inTransaction(ctx, async (uow) => {
      let i = 0;
      for (const [day, n] of perDay) {
        for (let k = 0; k < n; k++) {
          const personId = people[i++];
          await recordPositive(
            ctx,
            uow,
            {
              personId,
              source: 'screening',
              sourceRef: `C${personId}`,
              sampledAt: at(day, 8),
              reportedAt: at(day, 20),
            },
            SYSTEM_ACTOR,
          );
        }
      }
      // Found inside control on the 14th: does not break the community streak.
      await recordPositive(
        ctx,
        uow,
        {
          personId: quarantined,
          source: 'screening',
          sourceRef: 'Q1',
          sampledAt: at('2022-04-14', 8),
          reportedAt: at('2022-04-14', 20),
        },
        SYSTEM_ACTOR,
      );
    });
    const statusOn = async (throughDay: string) =>
      (await clearingReport(ctx, P.city, { throughDay, lookbackDays: 10 })).units.find(
        (u) => u.regionId === FIXTURE.districtA,
      )!;

    expect(await statusOn('2022-04-10')).toMatchObject({
      level: 'not_cleared',
      basicallyClearedDays: 0,
      clearedDays: 0,
      basicallyClearedMaxPerDay: 6,
    });
    expect(await statusOn('2022-04-11')).toMatchObject({
      level: 'not_cleared',
      basicallyClearedDays: 1,
      clearedDays: 0,
      daysToBasicallyCleared: 2,
    });
    expect(await statusOn('2022-04-12')).toMatchObject({ level: 'not_cleared', basicallyClearedDays: 2 });
    expect(await statusOn('2022-04-13')).toMatchObject({
      level: 'basically_cleared',
      basicallyClearedDays: 3,
      clearedDays: 1,
      daysToCleared: 2,
    });
    expect(await statusOn('2022-04-14')).toMatchObject({
      level: 'basically_cleared',
      clearedDays: 2,
      lastCommunityDay: '2022-04-12',
    });
    expect(await statusOn('2022-04-15')).toMatchObject({
      level: 'cleared',
      clearedDays: 3,
      basicallyClearedDays: 5,
    });

    const city = await clearingReport(ctx, P.city, { throughDay: '2022-04-15', lookbackDays: 10 });
    expect(city.unit).toBe('district');
    const xuhui = city.units.find((u) => u.regionId === FIXTURE.districtB)!;
    expect(xuhui).toMatchObject({
      level: 'cleared',
      clearedDays: 10,
      streakReachesWindowStart: true,
      basicallyClearedMaxPerDay: 11,
    });
    // Default: through yesterday (the last whole day).
    expect((await clearingReport(ctx, P.districtB)).throughDay).toBe('2022-04-19');
    // Each level sees its own area; a street sees its district's status.
    expect((await clearingReport(ctx, P.districtB)).units.map((u) => u.regionId)).toEqual([
      FIXTURE.districtB,
    ]);
    expect((await clearingReport(ctx, P.streetA1)).units.map((u) => u.regionId)).toEqual([FIXTURE.districtA]);
  });

  it('measures same-day admission and alerts when someone confirmed on a day is not admitted by 24:00', async () => {
    ctx.clock.set(at('2022-04-21', 10));
    const TEAM = 902;
    await addTransportTeam(ctx, TEAM);
    const shelter = await addFacility(ctx, {
      kind: 'shelter_hospital',
      beds: [{ bedKind: 'standard', total: 10 }],
    });
    const staff = facilityStaff(shelter.organisationId);
    const people = await addPeople(ctx, 3, PEOPLE_A);
    const [inB] = await addPeople(ctx, 1, PEOPLE_B);
    await inTransaction(ctx, async (uow) => {
      for (const personId of [...people, inB]) {
        await recordPositive(
          ctx,
          uow,
          {
            personId,
            source: 'screening',
            sourceRef: `D${personId}`,
            sampledAt: at('2022-04-20', 18),
            reportedAt: at('2022-04-21', 9),
          },
          SYSTEM_ACTOR,
        );
      }
    });
    const orders = await ctx.store.db
      .selectFrom('transfer_orders')
      .selectAll()
      .where('person_id', 'in', people)
      .orderBy('person_id')
      .execute();
    const move = async (ids: number[]) => {
      await allocateManyFor(ctx, P.districtA, { orderIds: ids });
      await dispatchFor(ctx, P.districtA, ids, { transportOrgId: TEAM, vehicle: '沪D·1' });
      await pickUpFor(ctx, P.districtA, ids);
      await arriveFor(ctx, P.districtA, ids);
      await admitFor(
        ctx,
        staff,
        shelter.id,
        ids.map((orderId) => ({ orderId })),
      );
    };
    ctx.clock.set(at('2022-04-21', 15));
    await move([orders[0].id]);
    ctx.clock.set(at('2022-04-21', 21));
    await move([orders[1].id]);

    ctx.clock.set(at('2022-04-21', 23, 30));
    await tick(ctx);
    await ctx.events.drain();
    // (The first test's cases, never admitted, have their own alerts for their days.)
    const openAlerts = () =>
      ctx.store.db
        .selectFrom('alerts')
        .selectAll()
        .where('rule', '=', SAME_DAY_RULE)
        .where('resolved_at', 'is', null)
        .where('subject_id', 'like', '%:2022-04-21')
        .execute();
    expect(await openAlerts()).toHaveLength(0);

    ctx.clock.set(at('2022-04-22', 0, 30));
    await tick(ctx);
    await ctx.events.drain();
    const alerts = await openAlerts();
    expect(alerts.map((a) => a.subject_id).sort()).toEqual([
      `${FIXTURE.districtA}:2022-04-21`,
      `${FIXTURE.districtB}:2022-04-21`,
    ]);
    expect(JSON.parse(alerts.find((a) => a.district_id === FIXTURE.districtA)!.details)).toMatchObject({
      stillWaiting: 1,
      day: '2022-04-21',
    });

    const report = await sameDayReport(ctx, P.districtA, '2022-04-21');
    expect(report.dayOver).toBe(true);
    expect(report.districts).toHaveLength(1);
    expect(report.total).toMatchObject({
      found: 3,
      cases: 3,
      transferred: 2,
      admitted: 2,
      admittedSameDay: 2,
      waiting: 1,
      waitP50Minutes: 12 * 60,
    });
    expect(report.total.sameDayShare).toBeCloseTo(2 / 3);
    // The one still waiting counts with its wait so far (15.5 h), the longest.
    expect(report.total.waitP90Minutes).toBe(15 * 60 + 30);

    ctx.clock.set(at('2022-04-22', 8));
    await move([orders[2].id]);
    await ctx.events.drain();
    expect((await openAlerts()).map((a) => a.district_id)).toEqual([FIXTURE.districtB]);
    const after = await sameDayReport(ctx, P.districtA, '2022-04-21');
    expect(after.total).toMatchObject({ admitted: 3, admittedSameDay: 2, waiting: 0 });
    expect(after.total.sameDayShare).toBeCloseTo(2 / 3);
    expect(after.classification).toEqual([{ districtId: FIXTURE.districtA, insideControl: 0, community: 3 }]);
  });
});
