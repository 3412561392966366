import { afterEach, describe, expect, it } from 'vitest';
import { designatePlace } from '../../src/app/zones/decisions.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import {
  approveAll,
  at,
  commandA,
  commandB,
  dayOfProposals,
  daysFrom,
  designation,
  reportCase,
  zoneEpisodes,
} from './helpers.ts';

/**
 * Rule sets shanghai-2022-05-16 (sealed → controlled after 7 quiet days, → precaution after 3
 * more) and national-9th (high → medium → low; a designated medium area → low after 7 days), day
 * by day. Quiet days are whole days after the last positive's sampling day (../SPEC "Time").
 */
describe.each(testDialects())('zones, shanghai-2022-05-16 and national-9th, on %s', (dialect) => {
  let ctx: TestContext;
  const open = async (ruleSet: string) => {
    ctx = await openTestContext(dialect, { now: at('2022-04-13'), config: { ruleSet } });
    await loadFixture(ctx);
  };
  afterEach(async () => {
    await ctx.close();
  });

  it('05-16: seals on a case, controlled after 7 quiet days, precaution after 3 more', async () => {
    await open('shanghai-2022-05-16');
    await reportCase(ctx, FIXTURE.personB1, FIXTURE.buildingB1, '2022-04-13', FIXTURE.districtB);
    expect(await designation(ctx, FIXTURE.buildingB1)).toMatchObject({
      level: 'sealed',
      phase: 'closed',
      period_start_day: '2022-04-13',
    });
    expect(await zoneEpisodes(ctx)).toEqual({ 4: 'sealed_residence', 5: 'sealed_residence' });

    for (const day of daysFrom('2022-04-14', '2022-04-20')) {
      expect(await dayOfProposals(ctx, day), day).toHaveLength(0);
    }
    expect(await dayOfProposals(ctx, '2022-04-21')).toMatchObject([
      { to_level: 'controlled', due_day: '2022-04-21' },
    ]);
    await approveAll(ctx, commandB);
    expect(await zoneEpisodes(ctx)).toEqual({ 4: 'controlled_residence', 5: 'controlled_residence' });

    for (const day of daysFrom('2022-04-22', '2022-04-23')) {
      expect(await dayOfProposals(ctx, day), day).toHaveLength(0);
    }
    expect(await dayOfProposals(ctx, '2022-04-24')).toMatchObject([
      { to_level: 'precaution', due_day: '2022-04-24' },
    ]);
    await approveAll(ctx, commandB);
    expect(await designation(ctx, FIXTURE.buildingB1)).toMatchObject({ level: 'precaution' });
    expect(await zoneEpisodes(ctx)).toEqual({});
  });

  it('05-16: a new positive restarts the clock, even while controlled', async () => {
    await open('shanghai-2022-05-16');
    await reportCase(ctx, FIXTURE.personB1, FIXTURE.buildingB1, '2022-04-13', FIXTURE.districtB);
    ctx.clock.set(at('2022-04-18'));
    await reportCase(ctx, FIXTURE.personB2, FIXTURE.buildingB1, '2022-04-17', FIXTURE.districtB);
    expect(await designation(ctx, FIXTURE.buildingB1)).toMatchObject({
      level: 'sealed',
      period_start_day: '2022-04-18',
      last_positive_day: '2022-04-17',
    });
    // 7 whole days after the 17th: 18–24; due on the 25th.
    expect(await dayOfProposals(ctx, '2022-04-24')).toHaveLength(0);
    expect(await dayOfProposals(ctx, '2022-04-25')).toMatchObject([{ to_level: 'controlled' }]);
    await approveAll(ctx, commandB);

    ctx.clock.set(at('2022-04-26'));
    await reportCase(ctx, FIXTURE.personB1, FIXTURE.buildingB1, '2022-04-26', FIXTURE.districtB);
    expect(await designation(ctx, FIXTURE.buildingB1)).toMatchObject({
      level: 'sealed',
      period_start_day: '2022-04-26',
    });
    expect(await zoneEpisodes(ctx)).toEqual({ 4: 'sealed_residence', 5: 'sealed_residence' });
    expect(await dayOfProposals(ctx, '2022-05-03')).toHaveLength(0);
    expect(await dayOfProposals(ctx, '2022-05-04')).toMatchObject([{ to_level: 'controlled' }]);
  });

  it('national-9th: high → medium after 7 days without a new infection, then → low after 3 more', async () => {
    await open('national-9th');
    await reportCase(ctx, FIXTURE.personA1, FIXTURE.buildingA1, '2022-04-13');
    // High risk (sealed) covers the whole compound.
    expect(await designation(ctx, FIXTURE.compoundA)).toMatchObject({ level: 'sealed', phase: 'closed' });
    for (const day of daysFrom('2022-04-14', '2022-04-20')) {
      expect(await dayOfProposals(ctx, day), day).toHaveLength(0);
    }
    expect(await dayOfProposals(ctx, '2022-04-21')).toMatchObject([
      { to_level: 'controlled', to_phase: 'stepped_down' },
    ]);
    await approveAll(ctx);
    expect(await dayOfProposals(ctx, '2022-04-23')).toHaveLength(0);
    expect(await dayOfProposals(ctx, '2022-04-24')).toMatchObject([{ to_level: 'precaution' }]);
    // A new infection while medium: high again, the clock restarted (the pending step-down is void).
    ctx.clock.set(at('2022-04-24', 12));
    await reportCase(ctx, FIXTURE.personA2, FIXTURE.buildingA1, '2022-04-24');
    expect(await designation(ctx, FIXTURE.compoundA)).toMatchObject({
      level: 'sealed',
      period_start_day: '2022-04-24',
    });
    expect(
      await ctx.store.db
        .selectFrom('zone_proposals')
        .select('status')
        .where('status', '=', 'pending')
        .execute(),
    ).toEqual([]);
    expect(await dayOfProposals(ctx, '2022-05-01')).toHaveLength(0);
    expect(await dayOfProposals(ctx, '2022-05-02')).toMatchObject([{ to_level: 'controlled' }]);
  });

  it('national-9th: a place a case stayed at is medium risk, low after 7 days', async () => {
    await open('national-9th');
    const stayed = await designatePlace(ctx, commandB, {
      placeId: FIXTURE.buildingB1,
      level: 'controlled',
      reason: 'case 77 stayed here on 12 April',
      caseId: '77',
    });
    expect(stayed).toMatchObject({ level: 'controlled', phase: 'designated', periodStartDay: '2022-04-13' });
    expect(await zoneEpisodes(ctx)).toEqual({ 4: 'controlled_residence', 5: 'controlled_residence' });
    for (const day of daysFrom('2022-04-14', '2022-04-19')) {
      expect(await dayOfProposals(ctx, day), day).toHaveLength(0);
    }
    expect(await dayOfProposals(ctx, '2022-04-20')).toMatchObject([
      { to_level: 'precaution', due_day: '2022-04-20' },
    ]);
    await expect(approveAll(ctx, commandA)).rejects.toMatchObject({ code: 'out_of_scope' });
    await approveAll(ctx, commandB);
    expect(await zoneEpisodes(ctx)).toEqual({});
  });
});
