import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/app/access/tokens.ts';
import { inTransaction } from '../../src/app/context.ts';
import { applyAlertActions } from '../../src/app/kernel/alerts.ts';
import { buildServer, type CordonApp } from '../../src/api/server.ts';
import type { Overview } from '../../src/api/overview/contract.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import type { AlertAction } from '../../src/domain/kernel/alerts.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

const HOUR = 3600_000;

describe.each(testDialects())('GET /api/v1/overview on %s', (dialect) => {
  let ctx: TestContext;
  let app: CordonApp;
  const city: Principal = {
    userId: 1,
    username: 'city',
    role: 'city_command',
    scope: { kind: 'region', regionId: FIXTURE.city },
  };
  const districtA: Principal = {
    userId: 2,
    username: 'a',
    role: 'district_command',
    scope: { kind: 'region', regionId: FIXTURE.districtA },
  };
  const lab: Principal = {
    userId: 3,
    username: 'lab',
    role: 'lab',
    scope: { kind: 'organisation', organisationId: FIXTURE.labA },
  };

  const get = (principal: Principal, query = '') =>
    app.inject({
      method: 'GET',
      url: `/api/v1/overview${query}`,
      headers: { authorization: `Bearer ${issueToken(ctx.secrets.tokenKey, principal, ctx.clock.now())}` },
    });

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    const now = ctx.clock.now();
    const db = ctx.store.db;
    const episode = (
      person: number,
      district: number,
      kind: 'quarantine' | 'sealed_residence',
      from: number,
      until: number | null,
    ) => ({
      district_id: district,
      person_id: person,
      kind,
      from_at: from,
      until_at: until,
      source_type: 'test',
      source_id: `${person}-${kind}`,
      ended_reason: null,
      created_at: now,
    });
    await db
      .insertInto('control_episodes')
      .values([
        episode(FIXTURE.personA1, FIXTURE.districtA, 'quarantine', now - HOUR, null),
        episode(FIXTURE.personA1, FIXTURE.districtA, 'sealed_residence', now - HOUR, now + HOUR),
        episode(FIXTURE.personA2, FIXTURE.districtA, 'sealed_residence', now - 2 * HOUR, now + HOUR),
        // Ended: must not count.
        episode(FIXTURE.personA3, FIXTURE.districtA, 'quarantine', now - 5 * HOUR, now - HOUR),
        episode(FIXTURE.personB1, FIXTURE.districtB, 'quarantine', now - HOUR, null),
      ])
      .execute();
    const order = (person: number, district: number, due: number, status: 'open' | 'fulfilled') => ({
      district_id: district,
      person_id: person,
      reason: 'pool_retest' as const,
      due_at: due,
      source_type: 'test',
      source_id: String(person),
      status,
      fulfilled_at: null,
      created_at: now,
    });
    await db
      .insertInto('test_orders')
      .values([
        order(FIXTURE.personA1, FIXTURE.districtA, now - HOUR, 'open'),
        order(FIXTURE.personA2, FIXTURE.districtA, now + HOUR, 'open'),
        order(FIXTURE.personB1, FIXTURE.districtB, now + HOUR, 'fulfilled'),
      ])
      .execute();
    // Alerts through the kernel's own service, so alert_regions is written as in production.
    const open = (rule: string, level: 'warning' | 'critical', region: number): AlertAction => ({
      kind: 'open',
      rule,
      level,
      subject: { type: 'region', id: String(region) },
      regionIds: [region],
    });
    await inTransaction(ctx, (uow) =>
      applyAlertActions(ctx, uow, [
        open('community_case', 'critical', FIXTURE.streetA1),
        open('lab_backlog', 'warning', FIXTURE.districtB),
        open('old', 'warning', FIXTURE.streetA1),
      ]),
    );
    await inTransaction(ctx, (uow) =>
      applyAlertActions(ctx, uow, [
        {
          kind: 'resolve',
          rule: 'old',
          subject: { type: 'region', id: String(FIXTURE.streetA1) },
          resolution: 'done',
        },
      ]),
    );
    app = await buildServer(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('gives the city its districts with real counts from each section', async () => {
    const res = await get(city);
    expect(res.statusCode).toBe(200);
    const body = res.json<Overview>();
    expect(body.region).toMatchObject({ id: FIXTURE.city, level: 'city', name: '上海市' });
    expect(body.today).toBe('2022-04-13');
    expect(body.path.map((r) => r.id)).toEqual([FIXTURE.city]);
    expect(body.children.map((c) => c.id)).toEqual([FIXTURE.districtA, FIXTURE.districtB]);
    expect(body.children[0].measures).toMatchObject({
      population: 3,
      people: 3,
      underControl: 2,
      openTestOrders: 2,
      overdueTestOrders: 1,
      openAlerts: 1,
    });
    expect(body.children[1].measures).toMatchObject({
      population: 2,
      people: 2,
      underControl: 1,
      openTestOrders: 0,
      openAlerts: 1,
    });
    expect(body.sections.registry).toEqual({ population: 5, people: 5 });
    expect(body.sections.control?.active).toMatchObject({ quarantine: 2, sealed_residence: 2, pool_hold: 0 });
    expect(body.sections.control?.total).toBe(3);
    expect(body.sections.testOrders).toEqual({ open: 2, overdue: 1 });
    expect(body.sections.alerts?.open).toEqual({ info: 0, warning: 1, critical: 1 });
    expect(body.sections.alerts?.latest.map((a) => a.rule)).toEqual(['community_case', 'lab_backlog']);
    expect(body.sections.alerts?.latest[0].region).toMatchObject({
      id: FIXTURE.streetA1,
      name: '南京东路街道',
    });
    // Every capability's section is there, counted from its tables (no case in this fixture).
    expect(body.sections.cases?.today).toEqual({ insideControl: 0, community: 0 });
    expect(body.sections.coverage).toEqual({ round: null, expected: 0, sampled: 0 });
    expect(body.refreshing).toEqual([]);
  });

  it('drills into a district: its streets only', async () => {
    const body = (await get(city, `?regionId=${FIXTURE.districtA}`)).json<Overview>();
    expect(body.path.map((r) => r.id)).toEqual([FIXTURE.city, FIXTURE.districtA]);
    expect(body.children.map((c) => c.id)).toEqual([FIXTURE.streetA1, FIXTURE.streetA2]);
    expect(body.children[0].measures).toMatchObject({ people: 3, underControl: 2, openAlerts: 1 });
    expect(body.sections.alerts?.total).toBe(1);
    expect(body.sections.control?.total).toBe(2);
  });

  it('a district user sees its own district by default and never the city', async () => {
    const own = (await get(districtA)).json<Overview>();
    expect(own.region.id).toBe(FIXTURE.districtA);
    expect(own.path.map((r) => r.id)).toEqual([FIXTURE.districtA]);
    const cityRes = await get(districtA, `?regionId=${FIXTURE.city}`);
    expect(cityRes.statusCode).toBe(404);
    expect(cityRes.json().error.code).toBe('out_of_scope');
    const other = await get(districtA, `?regionId=${FIXTURE.streetB1}`);
    expect(other.json().error.code).toBe('out_of_scope');
    const missing = await get(districtA, '?regionId=999999');
    expect(missing.json().error.code).toBe('out_of_scope');
  });

  it('goes down to streets and committees (a street user; a committee has no children)', async () => {
    const street: Principal = {
      userId: 4,
      username: 's',
      role: 'street_staff',
      scope: { kind: 'region', regionId: FIXTURE.streetA1 },
    };
    const own = (await get(street)).json<Overview>();
    expect(own.children.map((c) => c.id)).toEqual([FIXTURE.committeeA1]);
    expect(own.children[0].measures).toMatchObject({ people: 3, underControl: 2, openTestOrders: 2 });
    expect(own.sections.alerts?.total).toBe(1);
    const committee = (await get(street, `?regionId=${FIXTURE.committeeA1}`)).json<Overview>();
    expect(committee.path.map((r) => r.id)).toEqual([FIXTURE.streetA1, FIXTURE.committeeA1]);
    expect(committee.children).toEqual([]);
    expect(committee.sections.registry?.people).toBe(3);
    expect(committee.sections.testOrders).toEqual({ open: 2, overdue: 1 });
  });

  it('is refused without a login and to organisation-scoped users', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/overview' })).statusCode).toBe(401);
    const res = await get(lab);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
  });
});
