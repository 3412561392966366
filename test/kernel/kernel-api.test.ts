import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/app/access/tokens.ts';
import { inTransaction } from '../../src/app/context.ts';
import { applyAlertActions } from '../../src/app/kernel/alerts.ts';
import { openEpisode } from '../../src/app/kernel/control-episodes.ts';
import { buildServer, type CordonApp } from '../../src/api/server.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

const PRINCIPALS = {
  admin: { userId: 1, username: 'admin', role: 'admin', scope: { kind: 'region', regionId: FIXTURE.city } },
  cmdA: {
    userId: 2,
    username: 'cmd-a',
    role: 'district_command',
    scope: { kind: 'region', regionId: FIXTURE.districtA },
  },
  cmdB: {
    userId: 3,
    username: 'cmd-b',
    role: 'district_command',
    scope: { kind: 'region', regionId: FIXTURE.districtB },
  },
  lab: {
    userId: 4,
    username: 'lab',
    role: 'lab',
    scope: { kind: 'organisation', organisationId: FIXTURE.labA },
  },
  resident1: {
    userId: 5,
    username: 'res-1',
    role: 'resident',
    scope: { kind: 'self', personId: FIXTURE.personA1 },
  },
} satisfies Record<string, Principal>;

describe.each(testDialects())('kernel HTTP API on %s', (dialect) => {
  let ctx: TestContext;
  let app: CordonApp;
  const as = (who: keyof typeof PRINCIPALS) => ({
    authorization: `Bearer ${issueToken(ctx.secrets.tokenKey, PRINCIPALS[who], ctx.clock.now())}`,
  });

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    app = await buildServer(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('clock: an admin reads and sets it; anyone else gets 403, no token 401', async () => {
    const read = await app.inject({ method: 'GET', url: '/api/v1/admin/clock', headers: as('admin') });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({
      now: ctx.clock.now(),
      day: '2022-04-13',
      timeZone: 'Asia/Shanghai',
      controllable: true,
    });

    const set = await app.inject({
      method: 'PUT',
      url: '/api/v1/admin/clock',
      headers: as('admin'),
      payload: { now: '2022-04-13T23:30:00+08:00' },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ iso: '2022-04-13T15:30:00.000Z', day: '2022-04-13' });
    expect(ctx.clock.now()).toBe(Date.parse('2022-04-13T15:30:00Z'));
    const epoch = Date.parse('2022-04-14T00:30:00+08:00');
    const byMs = await app.inject({
      method: 'PUT',
      url: '/api/v1/admin/clock',
      headers: as('admin'),
      payload: { now: epoch },
    });
    expect(byMs.json()).toMatchObject({ now: epoch, day: '2022-04-14' });

    const events = await ctx.store.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'clock.set')
      .orderBy('id')
      .execute();
    expect(events).toHaveLength(2);
    expect(JSON.parse(events[1].payload)).toMatchObject({ now: epoch, by: { userId: 1 } });

    for (const who of ['cmdA', 'lab', 'resident1'] as const) {
      expect(
        (
          await app.inject({
            method: 'PUT',
            url: '/api/v1/admin/clock',
            headers: as(who),
            payload: { now: 0 },
          })
        ).statusCode,
      ).toBe(403);
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/admin/clock', headers: as(who) })).statusCode,
      ).toBe(403);
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/admin/clock' })).statusCode).toBe(401);
    expect(ctx.clock.now()).toBe(epoch);
  });

  it('drain: an admin waits until every committed event has reached the consumers; anyone else gets 403', async () => {
    const seen: number[] = [];
    ctx.events.register({
      name: 'test.drain-probe',
      types: ['probe.written'],
      async handle(event) {
        seen.push(event.id);
      },
    });
    await inTransaction(ctx, async (uow) => {
      uow.publish({
        type: 'probe.written',
        occurredAt: uow.now,
        regionIds: [FIXTURE.districtA],
        payload: {},
      });
    });
    expect(seen).toEqual([]);
    const drained = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/events/drain',
      headers: as('admin'),
    });
    expect(drained.statusCode).toBe(200);
    expect(seen).toHaveLength(1);
    expect(drained.json().throughEventId).toBeGreaterThanOrEqual(seen[0]);
    for (const who of ['cmdA', 'lab', 'resident1'] as const) {
      const refused = await app.inject({
        method: 'POST',
        url: '/api/v1/admin/events/drain',
        headers: as(who),
      });
      expect(refused.statusCode).toBe(403);
    }
  });

  it('clock: a bad instant or speed is a 400 that names the field', async () => {
    const bad = await app.inject({
      method: 'PUT',
      url: '/api/v1/admin/clock?lang=en',
      headers: as('admin'),
      payload: { now: 'next tuesday' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({
      code: 'validation_failed',
      details: [expect.objectContaining({ field: 'now' })],
    });
    const speed = await app.inject({
      method: 'PUT',
      url: '/api/v1/admin/clock',
      headers: as('admin'),
      payload: { now: 0, speed: -1 },
    });
    expect(speed.statusCode).toBe(400);
    expect(speed.json().error.details[0].field).toMatch(/speed/);
    // A ManualClock cannot run.
    const running = await app.inject({
      method: 'PUT',
      url: '/api/v1/admin/clock',
      headers: as('admin'),
      payload: { now: 0, speed: 60 },
    });
    expect(running.statusCode).toBe(409);
  });

  it('rule sets: anyone signed in reads; only an admin switches', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/v1/rule-sets', headers: as('lab') });
    expect(list.statusCode).toBe(200);
    expect(
      list.json().items.map((s: { name: string; active: boolean }) => `${s.name}${s.active ? '*' : ''}`),
    ).toEqual(['shanghai-2022-04-11', 'shanghai-2022-05-16*', 'national-9th']);
    const active = await app.inject({ method: 'GET', url: '/api/v1/rule-sets/active', headers: as('cmdA') });
    expect(active.json()).toMatchObject({
      name: 'shanghai-2022-05-16',
      contacts: { close: { quarantine: { testDays: [1, 2, 3, 5, 7] } } },
    });

    const denied = await app.inject({
      method: 'PUT',
      url: '/api/v1/rule-sets/active',
      headers: as('cmdA'),
      payload: { name: 'national-9th' },
    });
    expect(denied.statusCode).toBe(403);
    const unknown = await app.inject({
      method: 'PUT',
      url: '/api/v1/rule-sets/active',
      headers: as('admin'),
      payload: { name: 'wuhan-2020' },
    });
    expect(unknown.statusCode).toBe(404);
    const switched = await app.inject({
      method: 'PUT',
      url: '/api/v1/rule-sets/active',
      headers: as('admin'),
      payload: { name: 'national-9th' },
    });
    expect(switched.statusCode).toBe(200);
    const now = await app.inject({ method: 'GET', url: '/api/v1/rule-sets/active', headers: as('cmdB') });
    expect(now.json()).toMatchObject({ name: 'national-9th', zones: { model: 'risk_areas' } });
    const one = await app.inject({
      method: 'GET',
      url: '/api/v1/rule-sets/shanghai-2022-04-11',
      headers: as('cmdB'),
    });
    expect(one.json().zones.buildingStaysSealed.untilPeriodDay).toBe(14);
  });

  it('alerts: listed by state in scope, acknowledged and resolved over HTTP', async () => {
    await inTransaction(ctx, (uow) =>
      applyAlertActions(ctx, uow, [
        {
          kind: 'open',
          rule: 'test.api',
          level: 'warning',
          subject: { type: 'region', id: String(FIXTURE.streetA1) },
          regionIds: [FIXTURE.streetA1],
        },
      ]),
    );
    const mine = await app.inject({ method: 'GET', url: '/api/v1/alerts?state=open', headers: as('cmdA') });
    expect(mine.statusCode).toBe(200);
    const [alert] = mine.json().items;
    expect(alert).toMatchObject({
      rule: 'test.api',
      state: 'open',
      subject: { type: 'region', id: String(FIXTURE.streetA1) },
    });
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/alerts', headers: as('cmdB') })).json().items,
    ).toEqual([]);
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/alerts/${alert.id}`, headers: as('cmdB') }))
        .statusCode,
    ).toBe(404);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/alerts?state=later', headers: as('cmdA') }))
        .statusCode,
    ).toBe(400);

    const ack = await app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${alert.id}/acknowledge`,
      headers: as('cmdA'),
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ state: 'acknowledged', owner: 2 });
    const noText = await app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${alert.id}/resolve`,
      headers: as('cmdA'),
      payload: {},
    });
    expect(noText.statusCode).toBe(400);
    expect(noText.json().error.details[0].field).toMatch(/resolution/);
    const done = await app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${alert.id}/resolve`,
      headers: as('cmdA'),
      payload: { resolution: 'street team sampled the building' },
    });
    expect(done.json()).toMatchObject({ state: 'resolved', resolution: 'street team sampled the building' });
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/alerts?state=resolved', headers: as('admin') })).json()
        .items,
    ).toHaveLength(1);
    expect((await app.inject({ method: 'GET', url: '/api/v1/alerts', headers: as('lab') })).statusCode).toBe(
      403,
    );
  });

  it('control episodes: by person, in the caller’s region or their own; others cannot', async () => {
    await inTransaction(ctx, (uow) =>
      openEpisode(uow, {
        personId: FIXTURE.personA1,
        kind: 'pool_hold',
        source: { type: 'pool', id: 'P-1' },
      }),
    );
    const url = `/api/v1/control-episodes?personId=${FIXTURE.personA1}`;
    const inScope = await app.inject({ method: 'GET', url, headers: as('cmdA') });
    expect(inScope.statusCode).toBe(200);
    expect(inScope.json()).toMatchObject({
      personId: FIXTURE.personA1,
      items: [{ kind: 'pool_hold', activeNow: true, source: { type: 'pool', id: 'P-1' } }],
    });
    expect((await app.inject({ method: 'GET', url, headers: as('resident1') })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url, headers: as('cmdB') })).statusCode).toBe(404);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/v1/control-episodes?personId=${FIXTURE.personA2}`,
          headers: as('resident1'),
        })
      ).statusCode,
    ).toBe(404);
    expect((await app.inject({ method: 'GET', url, headers: as('lab') })).statusCode).toBe(403);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/api/v1/control-episodes?personId=999999',
          headers: as('admin'),
        })
      ).statusCode,
    ).toBe(404);
    const before = await app.inject({
      method: 'GET',
      url: `${url}&activeAt=${ctx.clock.now() - 3600_000}`,
      headers: as('cmdA'),
    });
    expect(before.json().items).toEqual([]);
    const audited = await ctx.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'control_episodes.read')
      .execute();
    expect(audited.length).toBeGreaterThanOrEqual(3);
  });
});
