import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CordonApp } from '../../src/api/server.ts';
import { FIXTURE } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { codeOf, HOUR, loadScreeningWorld, newClientId, S, server, type Headers } from './support.ts';

/** Rounds: scope inside the planner's area, a sane window, pooling frozen from the rule set, places as scope. */
describe.each(testDialects())('screening rounds on %s', (dialect) => {
  let ctx: TestContext;
  let app: CordonApp;
  let h: Headers;
  const req = (method: 'GET' | 'POST', url: string, who: keyof Headers, payload?: object) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...h[who], 'accept-language': 'en' },
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    h = await loadScreeningWorld(ctx);
    app = await server(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('refuses a scope outside the planner’s area and a window that ends before it starts, naming the field', async () => {
    const now = ctx.clock.now();
    const outside = await req('POST', '/screening/rounds', 'cmdB', {
      name: 'x',
      startsAt: now,
      endsAt: now + HOUR,
      regionIds: [FIXTURE.districtA],
    });
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error.details[0].field).toBe('regionIds.0');
    const backwards = await req('POST', '/screening/rounds', 'cmdA', {
      name: 'x',
      startsAt: now,
      endsAt: now - HOUR,
      regionIds: [FIXTURE.districtA],
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.details[0].field).toBe('endsAt');
    const sampler = await req('POST', '/screening/rounds', 'sampler', {
      name: 'x',
      startsAt: now,
      endsAt: now + HOUR,
      regionIds: [FIXTURE.districtA],
    });
    expect(sampler.statusCode).toBe(403);
  });

  it('freezes the rule set’s pooling (10-in-1 in a first round, single tubes for antigen) and lists rounds by area', async () => {
    const now = ctx.clock.now();
    const first = await req('POST', '/screening/rounds', 'cmdA', {
      name: 'first',
      startsAt: now - HOUR,
      endsAt: now + HOUR,
      regionIds: [FIXTURE.streetA1],
      firstRound: true,
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      status: 'open',
      pooling: {
        firstRound: true,
        firstRoundSize: 10,
        byZone: { controlled: { size: 10 }, elsewhere: { size: 20 } },
      },
    });
    const antigen = await req('POST', '/screening/rounds', 'cmdB', {
      name: 'antigen',
      kind: 'antigen',
      startsAt: now + HOUR,
      endsAt: now + 2 * HOUR,
      regionIds: [FIXTURE.districtB],
    });
    expect(antigen.json()).toMatchObject({
      status: 'planned',
      pooling: { allowedSizes: [1], byZone: { elsewhere: { size: 1 } } },
    });
    const seenByA = (await req('GET', '/screening/rounds', 'streetA1'))
      .json()
      .items.map((r: { name: string }) => r.name);
    expect(seenByA).toContain('first');
    expect(seenByA).not.toContain('antigen');
  });

  it('scopes a round to places: only that building is due, and a closed round takes no scans', async () => {
    const now = ctx.clock.now();
    const res = await req('POST', '/screening/rounds', 'cmdA', {
      name: 'building A2',
      startsAt: now - HOUR,
      endsAt: now + HOUR,
      placeIds: [FIXTURE.buildingA2],
    });
    expect(res.statusCode, res.body).toBe(201);
    const roundId = res.json().id;
    const coverage = (await req('GET', `/screening/rounds/${roundId}/coverage`, 'cmdA')).json();
    expect(coverage).toMatchObject({ expected: S.extraCount, tested: 0 });
    expect(
      (await req('GET', '/screening/rounds', 'streetA1')).json().items.map((r: { id: number }) => r.id),
    ).toContain(roundId);
    expect((await req('POST', `/screening/rounds/${roundId}/close`, 'cmdA')).json().status).toBe('ended');
    const scan = await req('POST', '/scans', 'sampler', {
      roundId,
      siteId: S.siteA,
      clientId: newClientId(),
      personCode: codeOf(ctx, S.extraFirst),
      tubeCode: 'CLOSED-1',
      collectedAt: ctx.clock.now(),
    });
    expect(scan.statusCode).toBe(409);
    expect(scan.json().error).toMatchObject({ code: 'round_not_open', details: [{ field: 'body.roundId' }] });
  });
});
