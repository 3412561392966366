import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/app/access/tokens.ts';
import { buildServer, type CordonApp } from '../../src/api/server.ts';
import { tick } from '../../src/app/kernel/rule-runner.ts';
import { lastDailyRun } from '../../src/app/zones/daily.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { at, commandA, reportCase } from './helpers.ts';

/** The zones and compliance APIs end to end: counts, history, proposals and decisions, the CSV work list. */
const street: Principal = {
  userId: 920,
  username: 'street',
  role: 'street_staff',
  scope: { kind: 'region', regionId: FIXTURE.streetA1 },
};
const city: Principal = {
  userId: 921,
  username: 'city',
  role: 'city_command',
  scope: { kind: 'region', regionId: FIXTURE.city },
};

describe.each(testDialects())('zones and compliance API on %s', (dialect) => {
  let ctx: TestContext;
  let app: CordonApp;
  const auth = (p: Principal) => ({
    authorization: `Bearer ${issueToken(ctx.secrets.tokenKey, p, ctx.clock.now())}`,
  });

  beforeAll(async () => {
    ctx = await openTestContext(dialect, {
      now: at('2022-04-13'),
      config: { ruleSet: 'shanghai-2022-05-16' },
    });
    await loadFixture(ctx);
    app = await buildServer(ctx);
    await reportCase(ctx, FIXTURE.personA1, FIXTURE.buildingA1, '2022-04-13');
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('lists designations and counts places and residents by zone and region', async () => {
    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/zones/designations',
      headers: auth(street),
    });
    expect(list.json().items).toMatchObject([
      {
        placeId: FIXTURE.compoundA,
        level: 'sealed',
        periodStartDay: '2022-04-13',
        causeCaseIds: [expect.any(String)],
      },
    ]);
    const counts = await app.inject({ method: 'GET', url: '/api/v1/zones/counts', headers: auth(city) });
    expect(counts.json()).toEqual({
      regionId: FIXTURE.city,
      rows: [{ regionId: FIXTURE.districtA, level: 'sealed', places: 1, residents: 3 }],
    });
    const other: Principal = { ...street, scope: { kind: 'region', regionId: FIXTURE.streetB1 } };
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/zones/designations', headers: auth(other) })).json()
        .items,
    ).toEqual([]);
  });

  it('runs proposals on demand, needs command to approve, and records the decision in the history', async () => {
    ctx.clock.set(at('2022-04-21'));
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/zones/proposals/run', headers: auth(street) }))
        .statusCode,
    ).toBe(403);
    const run = await app.inject({
      method: 'POST',
      url: '/api/v1/zones/proposals/run',
      headers: auth(commandA),
    });
    expect(run.json()).toMatchObject({ day: '2022-04-21', evaluated: 1, proposed: 1 });
    const [proposal] = (
      await app.inject({ method: 'GET', url: '/api/v1/zones/proposals', headers: auth(street) })
    ).json();
    expect(proposal).toMatchObject({ to: { level: 'controlled' }, status: 'pending', dueDay: '2022-04-21' });
    const byStreet = await app.inject({
      method: 'POST',
      url: `/api/v1/zones/proposals/${proposal.id}/decision`,
      headers: auth(street),
      payload: { decision: 'approve', reason: 'looks fine' },
    });
    expect(byStreet.statusCode).toBe(403);
    const noReason = await app.inject({
      method: 'POST',
      url: `/api/v1/zones/proposals/${proposal.id}/decision`,
      headers: auth(commandA),
      payload: { decision: 'approve', reason: '' },
    });
    expect(noReason.json().error.details[0].field).toContain('reason');
    const ok = await app.inject({
      method: 'POST',
      url: `/api/v1/zones/proposals/${proposal.id}/decision`,
      headers: auth(commandA),
      payload: { decision: 'approve', reason: 'seven quiet days confirmed' },
    });
    expect(ok.json()).toMatchObject({ status: 'approved', decidedBy: 'huangpu-cmd' });
    const history = await app.inject({
      method: 'GET',
      url: `/api/v1/zones/designations/${proposal.designationId}`,
      headers: auth(street),
    });
    expect(
      history
        .json()
        .changes.map((c: { change: string; to: { level: string } }) => `${c.change}:${c.to.level}`),
    ).toEqual(['designate:sealed', 'step_down:controlled']);
    expect(history.json().changes[1]).toMatchObject({
      by: 'huangpu-cmd',
      reason: expect.stringContaining('seven quiet days confirmed'),
    });
  });

  it('designates a place by hand with a reason', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/zones/designations',
      headers: auth(commandA),
      payload: {
        placeId: FIXTURE.buildingA2,
        level: 'controlled',
        reason: 'correction: neighbours share the stairwell',
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      level: 'controlled',
      phase: 'monitoring',
      periodStartDay: '2022-04-21',
    });
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/zones/designations',
      headers: auth(commandA),
      payload: { placeId: FIXTURE.buildingB1, level: 'sealed', reason: 'outside my district' },
    });
    expect(bad.statusCode).toBe(404);
  });

  it('exports the overdue list as CSV for the street', async () => {
    const duty = await app.inject({
      method: 'POST',
      url: '/api/v1/compliance/duties',
      headers: auth(street),
      payload: { kind: 'area', regionId: FIXTURE.streetA1, reason: 'weekly round' },
    });
    expect(duty.statusCode).toBe(201);
    expect(duty.json()).toMatchObject({ rhythm: { kind: 'interval', hours: 168 }, ordersCreated: 3 });
    ctx.clock.set(at('2022-04-29'));
    const csv = await app.inject({
      method: 'GET',
      url: '/api/v1/compliance/overdue.csv?groupBy=household',
      headers: auth(street),
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.replace('\uFEFF', '').trim().split('\n');
    expect(lines[0]).toBe(
      'group,group_id,group_name,person_id,household_id,building_id,street_id,committee_id,employer_id,occupation,overdue_since,open_duties',
    );
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
      'household,1,,1',
      'household,1,,2',
      'household,2,,3',
    ]);
    const forbidden = await app.inject({
      method: 'GET',
      url: `/api/v1/compliance/overdue.csv?regionId=${FIXTURE.streetB1}`,
      headers: auth(street),
    });
    expect(forbidden.statusCode).toBe(404);
    const json = await app.inject({
      method: 'GET',
      url: '/api/v1/compliance/overdue?groupBy=building',
      headers: auth(street),
    });
    expect(json.json().groups).toMatchObject([
      { group: 'building', id: FIXTURE.buildingA1, label: '贵州小区1号楼' },
    ]);
  });
});

describe.each(testDialects())('the daily turn on the rule clock on %s', (dialect) => {
  it('proposes step-downs on the first tick of a day, once, and raises an alert until decided', async () => {
    const ctx = await openTestContext(dialect, {
      now: at('2022-04-13'),
      config: { ruleSet: 'shanghai-2022-05-16' },
    });
    try {
      await loadFixture(ctx);
      await reportCase(ctx, FIXTURE.personB1, FIXTURE.buildingB1, '2022-04-13', FIXTURE.districtB);
      ctx.clock.set(at('2022-04-21', 0) + 60_000);
      await tick(ctx);
      const run = await lastDailyRun(ctx);
      expect(run).toMatchObject({ day: '2022-04-21', proposals: { proposed: 1 } });
      await tick(ctx);
      expect(await lastDailyRun(ctx)).toBe(run);
      await ctx.events.drain();
      const alerts = await ctx.store.db
        .selectFrom('alerts')
        .select(['rule', 'resolved_at'])
        .where('rule', '=', 'zones.step_down_pending')
        .execute();
      expect(alerts).toEqual([{ rule: 'zones.step_down_pending', resolved_at: null }]);
    } finally {
      await ctx.close();
    }
  });

  it('runs the days of a clock set back after a tick on a later day (a simulation started today)', async () => {
    const ctx = await openTestContext(dialect, {
      now: at('2026-11-23', 10),
      config: { ruleSet: 'shanghai-2022-05-16' },
    });
    try {
      await loadFixture(ctx);
      await tick(ctx);
      expect(await lastDailyRun(ctx)).toMatchObject({ day: '2026-11-23' });
      ctx.clock.set(at('2022-04-13'));
      await reportCase(ctx, FIXTURE.personB1, FIXTURE.buildingB1, '2022-04-13', FIXTURE.districtB);
      ctx.clock.set(at('2022-04-21', 0) + 60_000);
      await tick(ctx);
      expect(await lastDailyRun(ctx)).toMatchObject({ day: '2022-04-21', proposals: { proposed: 1 } });
    } finally {
      await ctx.close();
    }
  });
});
