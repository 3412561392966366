import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import {
  approveAll,
  at,
  dayOfProposals,
  daysFrom,
  designation,
  negativeOn,
  pending,
  reportCase,
  zoneEpisodes,
} from './helpers.ts';

/**
 * Rule set shanghai-2022-04-11, day by day (../SPEC transition table). The fixture's compound
 * 1000 holds buildings 1001 (people 1–3) and 1002 (person 6, added here); the set seals whole
 * compounds. Day 1 = 13 April.
 */
describe.each(testDialects())('zones, shanghai-2022-04-11, on %s', (dialect) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await openTestContext(dialect, {
      now: at('2022-04-13'),
      config: { ruleSet: 'shanghai-2022-04-11' },
    });
    await loadFixture(ctx);
    await ctx.store.db
      .insertInto('people')
      .values({
        id: 6,
        district_id: 10,
        street_id: 11,
        committee_id: 111,
        household_id: null,
        place_id: FIXTURE.buildingA2,
        ref: 'ref-6',
        id_hash: null,
        name: '赵敏',
        phone: null,
        birth_year: 1990,
        sex: 'F',
        floor: 2,
        workplace_org_id: null,
        occupation: null,
        vulnerable: '',
        created_at: 0,
        last_activity_at: null,
        purged_at: null,
      })
      .execute();
  });
  afterEach(async () => {
    await ctx.close();
  });

  it('seals the compound on a case, 7 days closed, 7 days home monitoring, precaution when everyone is negative on day 13', async () => {
    await reportCase(ctx, FIXTURE.personA1, FIXTURE.buildingA1, '2022-04-13');
    const sealed = await designation(ctx, FIXTURE.compoundA);
    expect(sealed).toMatchObject({ level: 'sealed', phase: 'closed', period_start_day: '2022-04-13' });
    expect(await zoneEpisodes(ctx)).toEqual({
      1: 'sealed_residence',
      2: 'sealed_residence',
      3: 'sealed_residence',
      6: 'sealed_residence',
    });

    for (const day of daysFrom('2022-04-14', '2022-04-19')) {
      expect(await dayOfProposals(ctx, day), day).toHaveLength(0);
    }
    const day8 = await dayOfProposals(ctx, '2022-04-20');
    expect(day8).toHaveLength(1);
    expect(day8[0]).toMatchObject({ to_level: 'sealed', to_phase: 'home_monitoring', due_day: '2022-04-20' });
    await approveAll(ctx);
    expect(await designation(ctx, FIXTURE.compoundA)).toMatchObject({
      level: 'sealed',
      phase: 'home_monitoring',
      period_start_day: '2022-04-13',
    });

    // Day-13 tests are ordered for every resident except the case.
    const orders = await ctx.store.db
      .selectFrom('test_orders')
      .select(['person_id', 'not_before_at', 'due_at'])
      .where('source_type', '=', 'zone.day_test')
      .orderBy('person_id')
      .execute();
    expect(orders.map((o) => o.person_id)).toEqual([2, 3, 6]);
    expect(orders[0].not_before_at).toBe(at('2022-04-25', 0));

    for (const day of daysFrom('2022-04-21', '2022-04-26')) {
      expect(await dayOfProposals(ctx, day), day).toHaveLength(0);
    }
    for (const person of [2, 3]) await negativeOn(ctx, person, '2022-04-25');
    // Person 6 was not tested on day 13: no release on day 15.
    expect(await dayOfProposals(ctx, '2022-04-27')).toHaveLength(0);
    // A test on day 14 does not make up for day 13.
    await negativeOn(ctx, 6, '2022-04-26');
    expect(await dayOfProposals(ctx, '2022-04-27')).toHaveLength(0);
  });

  it("releases to precaution on day 15 with everyone negative on day 13, and ends the residents' episodes", async () => {
    await reportCase(ctx, FIXTURE.personA1, FIXTURE.buildingA1, '2022-04-13');
    await dayOfProposals(ctx, '2022-04-20');
    await approveAll(ctx);
    for (const person of [2, 3, 6]) await negativeOn(ctx, person, '2022-04-25');
    expect(await dayOfProposals(ctx, '2022-04-26')).toHaveLength(0);
    const day15 = await dayOfProposals(ctx, '2022-04-27');
    expect(day15).toHaveLength(1);
    expect(day15[0]).toMatchObject({ to_level: 'precaution', due_day: '2022-04-27' });
    expect(await zoneEpisodes(ctx)).toMatchObject({ 2: 'sealed_residence' });
    await approveAll(ctx);
    expect(await designation(ctx, FIXTURE.compoundA)).toMatchObject({ level: 'precaution' });
    expect(await zoneEpisodes(ctx)).toEqual({});
    const history = await ctx.store.db
      .selectFrom('zone_changes')
      .select(['change', 'to_level', 'to_phase', 'reason', 'username'])
      .orderBy('id')
      .execute();
    expect(history.map((h) => `${h.change}:${h.to_level}/${h.to_phase}`)).toEqual([
      'designate:sealed/closed',
      'step_down:sealed/home_monitoring',
      'step_down:precaution/open',
    ]);
    expect(history[2].reason).toContain('all 3 residents negative on day 13');
    expect(history[2].username).toBe('huangpu-cmd');
  });

  it('restarts the clock on a new positive during home monitoring', async () => {
    await reportCase(ctx, FIXTURE.personA1, FIXTURE.buildingA1, '2022-04-13');
    await dayOfProposals(ctx, '2022-04-20');
    await approveAll(ctx);
    ctx.clock.set(at('2022-04-22'));
    await reportCase(ctx, FIXTURE.personA2, FIXTURE.buildingA1, '2022-04-22');
    expect(await designation(ctx, FIXTURE.compoundA)).toMatchObject({
      level: 'sealed',
      phase: 'closed',
      period_start_day: '2022-04-22',
    });
    // The old day-13 tests are cancelled; residents stay sealed without a break.
    const open = await ctx.store.db
      .selectFrom('test_orders')
      .select('status')
      .where('source_type', '=', 'zone.day_test')
      .execute();
    expect(open.every((o) => o.status === 'cancelled')).toBe(true);
    expect(await zoneEpisodes(ctx)).toMatchObject({ 3: 'sealed_residence' });
    for (const day of daysFrom('2022-04-23', '2022-04-28')) {
      expect(await dayOfProposals(ctx, day), day).toHaveLength(0);
    }
    expect(await dayOfProposals(ctx, '2022-04-29')).toMatchObject([{ to_phase: 'home_monitoring' }]);
  });

  it('holds a building with a positive during the closed phase to day 14 while the rest of the compound moves to controlled', async () => {
    await reportCase(ctx, FIXTURE.personA1, FIXTURE.buildingA1, '2022-04-13');
    ctx.clock.set(at('2022-04-15'));
    await reportCase(ctx, FIXTURE.personA3, FIXTURE.buildingA1, '2022-04-15');
    // The compound's clock did not restart; building 1001 is held to day 14 (26 April).
    expect(await designation(ctx, FIXTURE.compoundA)).toMatchObject({
      level: 'sealed',
      phase: 'closed',
      period_start_day: '2022-04-13',
    });
    expect(await designation(ctx, FIXTURE.buildingA1)).toMatchObject({
      level: 'sealed',
      hold_until_day: '2022-04-26',
    });

    for (const day of daysFrom('2022-04-16', '2022-04-19')) {
      expect(await dayOfProposals(ctx, day), day).toHaveLength(0);
    }
    const day8 = await dayOfProposals(ctx, '2022-04-20');
    expect(day8).toHaveLength(1);
    expect(day8[0]).toMatchObject({
      place_id: FIXTURE.compoundA,
      to_level: 'controlled',
      to_phase: 'monitoring',
    });
    await approveAll(ctx);
    expect(await designation(ctx, FIXTURE.compoundA)).toMatchObject({
      level: 'controlled',
      period_start_day: '2022-04-20',
    });
    // Building 1002 (person 6) is controlled now; the held building's people stay sealed.
    expect(await zoneEpisodes(ctx)).toEqual({
      1: 'sealed_residence',
      2: 'sealed_residence',
      3: 'sealed_residence',
      6: 'controlled_residence',
    });

    // Controlled: day 1 = 20 April, everyone negative on day 6 (25 April), precaution on day 8.
    for (const person of [2, 6]) await negativeOn(ctx, person, '2022-04-25');
    expect(await dayOfProposals(ctx, '2022-04-26')).toHaveLength(0);
    const day15 = await dayOfProposals(ctx, '2022-04-27');
    expect(day15.map((p) => [p.place_id, p.to_level])).toEqual([
      [FIXTURE.compoundA, 'precaution'],
      [FIXTURE.buildingA1, null],
    ]);
    await approveAll(ctx);
    expect(await zoneEpisodes(ctx)).toEqual({});
  });

  it('applies proposals without a user when the deployment auto-approves', async () => {
    await ctx.store.db.insertInto('settings').values({ key: 'zones.auto_approve', value: 'true' }).execute();
    await reportCase(ctx, FIXTURE.personA1, FIXTURE.buildingA1, '2022-04-13');
    expect(await dayOfProposals(ctx, '2022-04-20')).toHaveLength(0);
    expect(await designation(ctx, FIXTURE.compoundA)).toMatchObject({
      level: 'sealed',
      phase: 'home_monitoring',
    });
    const decided = await ctx.store.db
      .selectFrom('zone_proposals')
      .select(['status', 'decided_by'])
      .execute();
    expect(decided).toEqual([{ status: 'approved', decided_by: null }]);
    expect(await pending(ctx)).toHaveLength(0);
  });
});
