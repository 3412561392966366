import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tick } from '../../src/app/kernel/rule-runner.ts';
import { COMMUNITY_CASE_RULE } from '../../src/app/command/rules/community-case.ts';
import { FACILITY_FULL_RULE } from '../../src/app/command/rules/facility-full.ts';
import { LAB_BACKLOG_RULE } from '../../src/app/command/rules/lab-backlog.ts';
import { SITE_CAPACITY_RULE } from '../../src/app/command/rules/site-capacity.ts';
import { TRANSPORT_OVERDUE_RULE } from '../../src/app/command/rules/transport-overdue.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { codeOf, newClientId } from '../screening/support.ts';
import { FIXTURE, HOUR, loadCommandWorld, S, type CommandWorld } from './world.ts';

interface AlertView {
  id: number;
  rule: string;
  level: string;
  state: string;
  regionIds: number[];
  subject: { type: string; id: string };
  details: Record<string, unknown>;
}

/**
 * Command's monitoring rules on a working day: each opens its alert where it should, the alert
 * reaches every level it concerns (and no other district), and it resolves when the cause goes.
 */
describe.each(testDialects())('command monitoring rules on %s', (dialect) => {
  let ctx: TestContext;
  let w: CommandWorld;
  const alerts = async (who: 'admin' | 'cmdA' | 'cmdB' | 'streetA1', rule: string): Promise<AlertView[]> =>
    (await w.call('GET', `/alerts?rule=${rule}`, who)).items;
  const unresolved = async (rule: string) =>
    (await alerts('admin', rule)).filter((a) => a.state !== 'resolved');
  const settle = async () => {
    await ctx.events.drain();
    await tick(ctx);
    await ctx.events.drain();
  };

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    w = await loadCommandWorld(ctx);
  });
  afterAll(async () => {
    await w.app.close();
    await ctx.close();
  });

  it('raises a community case to its district and the city, not to other districts', async () => {
    const [alert] = await alerts('admin', COMMUNITY_CASE_RULE);
    expect(alert).toMatchObject({ level: 'critical', state: 'open', subject: { type: 'district_day' } });
    expect(alert.details).toMatchObject({
      communityCases: 1,
      notYetIsolated: 1,
      streetIds: [FIXTURE.streetA1],
    });
    expect(alert.regionIds).toEqual(expect.arrayContaining([FIXTURE.districtA, FIXTURE.city]));
    expect(await alerts('cmdA', COMMUNITY_CASE_RULE)).toHaveLength(1);
    expect(await alerts('cmdB', COMMUNITY_CASE_RULE)).toHaveLength(0);
    // A person acknowledges it and becomes its owner.
    const acked = await w.call('POST', `/alerts/${alert.id}/acknowledge`, 'cmdA', {});
    expect(acked).toMatchObject({ state: 'acknowledged', owner: expect.any(Number) });
  });

  it('resolves the community case alert once the person is admitted', async () => {
    await w.admit(FIXTURE.personA1);
    const [alert] = await alerts('admin', COMMUNITY_CASE_RULE);
    expect(alert.state).toBe('resolved');
  });

  it('opens a facility-over-90% alert when beds run short, and resolves it when beds are added', async () => {
    await w.call('PUT', `/facilities/${w.facilityId}/beds`, 'admin', {
      beds: [{ bedKind: 'standard', total: 1 }],
    });
    await ctx.events.drain();
    const [open] = await unresolved(FACILITY_FULL_RULE);
    expect(open).toMatchObject({ level: 'warning', subject: { type: 'facility', id: String(w.facilityId) } });
    expect(open.details).toMatchObject({ total: 1, used: 1, share: 1 });
    expect(open.regionIds).toContain(FIXTURE.streetA1);
    await w.call('PUT', `/facilities/${w.facilityId}/beds`, 'admin', {
      beds: [{ bedKind: 'standard', total: 20 }],
    });
    await ctx.events.drain();
    expect(await unresolved(FACILITY_FULL_RULE)).toEqual([]);
  });

  it('flags boxes on the road too long, per sending district and lab, until they arrive', async () => {
    await settle();
    expect(await unresolved(TRANSPORT_OVERDUE_RULE)).toEqual([]);
    ctx.clock.advance(5 * HOUR);
    await settle();
    const [late] = await unresolved(TRANSPORT_OVERDUE_RULE);
    expect(late).toMatchObject({
      subject: { type: 'transport_route', id: `${FIXTURE.districtA}:${FIXTURE.labA}` },
    });
    expect(late.details).toMatchObject({ boxes: 1, tubes: 1, limitHours: 4 });
    expect(await alerts('cmdB', TRANSPORT_OVERDUE_RULE)).toEqual([]);
    await w.call('POST', '/screening/boxes/BOX-2/receive', 'lab', { location: '黄浦检测实验室' });
    await settle();
    expect(await unresolved(TRANSPORT_OVERDUE_RULE)).toEqual([]);
  });

  it('flags a lab holding more tubes than a day of its capacity', async () => {
    await settle();
    expect(await unresolved(LAB_BACKLOG_RULE)).toEqual([]);
    // BOX-2's tube waits at the lab; a lab that tests less than one tube a day is over.
    await ctx.store.db
      .updateTable('organisations')
      .set({ daily_capacity: 0 })
      .where('id', '=', FIXTURE.labA)
      .execute();
    await settle();
    expect(await unresolved(LAB_BACKLOG_RULE)).toEqual([]);
    await ctx.store.db
      .updateTable('organisations')
      .set({ daily_capacity: 1 })
      .where('id', '=', FIXTURE.labA)
      .execute();
    await w.call('POST', '/scans/batch', 'sampler', {
      roundId: w.roundId,
      siteId: S.siteA,
      scans: [
        {
          clientId: newClientId(),
          personCode: codeOf(ctx, S.extraFirst + 11),
          tubeCode: 'SGL-P11',
          collectedAt: ctx.clock.now(),
          tubeCapacity: 1,
        },
      ],
    });
    await w.call(
      'POST',
      '/screening/boxes',
      'sampler',
      {
        barcode: 'BOX-3',
        siteId: S.siteA,
        labId: FIXTURE.labA,
        tubeCodes: ['SGL-P11'],
        location: '贵州路采样点',
      },
      201,
    );
    await w.call('POST', '/screening/boxes/BOX-3/dispatch', 'courier', { courierName: '王师傅' });
    await w.call('POST', '/screening/boxes/BOX-3/receive', 'lab', { location: '黄浦检测实验室' });
    await settle();
    const [lab] = await unresolved(LAB_BACKLOG_RULE);
    expect(lab).toMatchObject({
      level: 'critical',
      subject: { type: 'organisation', id: String(FIXTURE.labA) },
    });
    expect(lab.details).toEqual({ waitingTubes: 2, dailyCapacity: 1 });
    expect(await alerts('streetA1', LAB_BACKLOG_RULE)).toHaveLength(1);
    await w.call('POST', '/screening/results', 'lab', {
      results: [{ tubeCode: 'SGL-P11', outcome: 'negative' }],
    });
    await settle();
    expect(await unresolved(LAB_BACKLOG_RULE)).toEqual([]);
  });

  it('flags a sampling site that samples more than its hourly capacity, from the hourly tallies', async () => {
    await ctx.store.db
      .updateTable('sampling_sites')
      .set({ hourly_capacity: 5 })
      .where('id', '=', S.siteA)
      .execute();
    await settle();
    expect(await unresolved(SITE_CAPACITY_RULE)).toEqual([]);
    const people = [20, 21, 22, 23, 24, 25].map((i) => S.extraFirst + i);
    // The compound is sealed now: its residents are sampled one tube each.
    await w.call('POST', '/scans/batch', 'sampler', {
      roundId: w.roundId,
      siteId: S.siteA,
      scans: people.map((p, i) => ({
        clientId: newClientId(),
        personCode: codeOf(ctx, p),
        tubeCode: `CAP-${i}`,
        collectedAt: ctx.clock.now(),
        tubeCapacity: 1,
      })),
    });
    // The first sweep notes the newest scan; the next folds everything up to it.
    await settle();
    await settle();
    const [site] = await unresolved(SITE_CAPACITY_RULE);
    expect(site).toMatchObject({ subject: { type: 'sampling_site', id: String(S.siteA) } });
    // These six and the lab test's single tube, all within this clock hour.
    expect(site.details).toEqual({ lastHour: 7, hourlyCapacity: 5 });
    expect(site.regionIds).toContain(FIXTURE.streetA1);
    ctx.clock.advance(2 * HOUR);
    await settle();
    expect(await unresolved(SITE_CAPACITY_RULE)).toEqual([]);
  });
});
