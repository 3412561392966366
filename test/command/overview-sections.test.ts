import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Overview } from '../../src/api/overview/contract.ts';
import { loadBedPools } from '../../src/store/cases/beds.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { FIXTURE, HOUR, loadCommandWorld, S, type CommandWorld } from './world.ts';

/**
 * The overview's capability sections over a real working day (world.ts), each compared with the
 * capability's own API or tables — never with numbers assumed by the test.
 */
describe.each(testDialects())('overview sections on %s', (dialect) => {
  let ctx: TestContext;
  let w: CommandWorld;
  /** The overview once no section is still being recounted (a loaded machine may exceed the budget). */
  const overview = async (who: 'admin' | 'cmdA' | 'streetA1', regionId?: number): Promise<Overview> => {
    for (let tries = 0; ; tries++) {
      const body: Overview = await w.call('GET', `/overview${regionId ? `?regionId=${regionId}` : ''}`, who);
      if (body.refreshing.length === 0 || tries > 50) return body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    w = await loadCommandWorld(ctx);
  });
  afterAll(async () => {
    await w.app.close();
    await ctx.close();
  });

  it('shows today’s case inside control vs community, with the trend and per-district measures', async () => {
    const city = await overview('admin');
    expect(city.sections.cases?.today).toEqual({ insideControl: 0, community: 1 });
    expect(city.sections.cases?.trend).toHaveLength(14);
    expect(city.sections.cases?.trend.at(-1)).toEqual({ day: city.today, insideControl: 0, community: 1 });
    const a = city.children.find((c) => c.id === FIXTURE.districtA)!;
    const b = city.children.find((c) => c.id === FIXTURE.districtB)!;
    expect(a.measures).toMatchObject({ newCases: 1, communityCases: 1 });
    expect(b.measures).toMatchObject({ newCases: 0, communityCases: 0 });
    const sameDay = await w.call('GET', '/cases/same-day', 'admin');
    expect(sameDay.classification).toEqual([
      { districtId: FIXTURE.districtA, insideControl: 0, community: 1 },
    ]);
  });

  it('judges clearing through the last complete day, as the cases capability does', async () => {
    const city = await overview('admin');
    const clearing = await w.call('GET', '/cases/clearing', 'admin');
    expect(city.sections.clearing?.unit).toBe(clearing.unit);
    expect(city.sections.clearing?.throughDay).toBe(clearing.throughDay);
    for (const unit of clearing.units as { regionId: number; level: string }[]) {
      const row = city.sections.clearing?.children.find((c) => c.regionId === unit.regionId);
      expect(row).toMatchObject({ status: unit.level, official: true });
    }
    // Today's case is not a complete day yet: no community case on record through yesterday.
    expect(city.sections.clearing?.children.find((c) => c.regionId === FIXTURE.districtA)).toMatchObject({
      daysSinceCommunityCase: null,
      lastCommunityDay: null,
    });
  });

  it('shows the round’s coverage exactly as screening counts it, per child', async () => {
    const district = await overview('cmdA');
    const screening = await w.call('GET', `/screening/rounds/${w.roundId}/coverage`, 'cmdA');
    expect(district.sections.coverage).toMatchObject({
      round: { id: w.roundId, name: '黄浦区全员核酸', status: 'open' },
      expected: screening.expected,
      sampled: screening.tested,
    });
    const street = district.children.find((c) => c.id === FIXTURE.streetA1)!;
    const child = screening.children.find((c: { id: number }) => c.id === FIXTURE.streetA1);
    expect(street.measures.coverage).toBeCloseTo(child.tested / child.expected, 6);
    // District B is outside the round: it has no current round.
    const b = await overview('admin', FIXTURE.districtB);
    expect(b.sections.coverage).toEqual({ round: null, expected: 0, sampled: 0 });
  });

  it('times the stages 采送检报转收 and counts what waits in each', async () => {
    const stages = (await overview('cmdA')).sections.stages!.stages;
    const by = Object.fromEntries(stages.map((s) => [s.stage, s]));
    expect(stages.map((s) => s.stage)).toEqual([
      'sample',
      'transport',
      'test',
      'report',
      'transfer',
      'admit',
    ]);
    // BOX-2 is on the road; the two tubes of BOX-1 went through every tube stage.
    expect(by.transport).toMatchObject({ backlog: 1, done: 2 });
    expect(by.test).toMatchObject({ backlog: 0, done: 2, p50Ms: 121 * 60_000, p90Ms: 121 * 60_000 });
    expect(by.report.done).toBe(2);
    const waiting = await ctx.store.db
      .selectFrom('transfer_orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', 'not in', ['arrived', 'admitted', 'cancelled'])
      .executeTakeFirstOrThrow();
    expect(by.transfer.backlog).toBe(Number(waiting.n));
    expect(by.transfer.backlog).toBeGreaterThan(0);
  });

  it('shows transfers waiting and the same-day share of the cases capability', async () => {
    const city = await overview('admin');
    const sameDay = await w.call('GET', '/cases/same-day', 'admin');
    expect(city.sections.transfers).toMatchObject({
      confirmedToday: sameDay.total.found,
      admittedSameDay: sameDay.total.admittedSameDay,
      sameDayShare: sameDay.total.sameDayShare,
    });
    const open = await w.call('GET', '/transfers?limit=200', 'admin');
    const live = open.items.filter((o: { status: string }) => !['admitted', 'cancelled'].includes(o.status));
    expect(city.sections.transfers?.waiting).toBe(live.length);
  });

  it('shows beds by facility kind with their live use', async () => {
    const city = await overview('admin');
    const pools = await loadBedPools(ctx.store.db);
    const total = pools.reduce((s, p) => s + p.total, 0);
    const free = pools.reduce((s, p) => s + p.free, 0);
    expect(city.sections.beds?.kinds).toEqual([
      expect.objectContaining({ kind: 'shelter_hospital', total, free }),
    ]);
    expect(city.children.find((c) => c.id === FIXTURE.districtA)?.measures.bedsFree).toBe(free);
    expect(city.children.find((c) => c.id === FIXTURE.districtB)?.measures.bedsFree).toBe(0);
  });

  it('counts zones and contacts in quarantine as zones and tracing recorded them', async () => {
    const city = await overview('admin');
    const counts = await w.call('GET', '/zones/counts', 'admin');
    const places = (level: string) =>
      counts.rows
        .filter((r: { level: string }) => r.level === level)
        .reduce((s: number, r: { places: number }) => s + r.places, 0);
    expect(city.sections.zones).toEqual({
      sealed: places('sealed'),
      controlled: places('controlled'),
      precaution: places('precaution'),
    });
    expect(city.sections.zones?.sealed).toBeGreaterThan(0);
    expect(city.children.find((c) => c.id === FIXTURE.districtA)?.measures.zonesSealed).toBe(
      places('sealed'),
    );
    const contacts = await ctx.store.db
      .selectFrom('tracing_contacts')
      .selectAll()
      .where('status', '=', 'confirmed')
      .execute();
    const close = contacts.filter((c) => c.degree === 'close').length;
    expect(close).toBeGreaterThan(0);
    expect(city.sections.contacts?.inQuarantine.close).toBe(close);
    expect(city.sections.contacts?.traced24h).toBe(contacts.length);
  });

  it('follows events: a change reaches the next overview once its event is delivered', async () => {
    const before = await overview('admin');
    await w.call('POST', `/screening/boxes/BOX-2/receive`, 'lab', { location: '黄浦检测实验室' });
    ctx.clock.advance(HOUR);
    await w.call('POST', '/screening/results', 'lab', {
      results: [{ tubeCode: 'SGL-P10', outcome: 'positive', ct: { orf1ab: 30 } }],
    });
    await w.positiveAsCases('SGL-P10', S.extraFirst + 10);
    const after = await overview('admin');
    expect(after.sections.cases!.today.community + after.sections.cases!.today.insideControl).toBe(
      before.sections.cases!.today.community + before.sections.cases!.today.insideControl + 1,
    );
  });

  it('counts clearing days once the day of the case is over', async () => {
    ctx.clock.advance(48 * HOUR);
    const city = await overview('admin');
    const a = city.sections.clearing?.children.find((c) => c.regionId === FIXTURE.districtA);
    const clearing = await w.call('GET', '/cases/clearing', 'admin');
    const unit = clearing.units.find((u: { regionId: number }) => u.regionId === FIXTURE.districtA);
    expect(a).toMatchObject({
      lastCommunityDay: unit.lastCommunityDay,
      status: unit.level,
      daysSinceCommunityCase: 1,
    });
  });
});
