import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CordonApp } from '../../src/api/server.ts';
import { inTransaction } from '../../src/app/context.ts';
import { createTestOrder } from '../../src/app/kernel/test-orders.ts';
import { FIXTURE } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { codeOf, HOUR, loadScreeningWorld, newClientId, S, server, type Headers } from './support.ts';

/** A round end to end: scans → tubes → box → lab → results → members; a positive pool through its retests. */
describe.each(testDialects())('the sample chain on %s', (dialect) => {
  let ctx: TestContext;
  let app: CordonApp;
  let h: Headers;
  let roundId: number;
  const P = (i: number) => S.extraFirst + i;

  const call = async (
    method: 'GET' | 'POST',
    url: string,
    who: keyof Headers,
    payload?: object,
    status = 200,
  ) => {
    const res = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...h[who], 'accept-language': 'en' },
      ...(payload ? { payload } : {}),
    });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
    return res.json();
  };
  const scanInto = (tube: string, people: number[], extra: Record<string, unknown> = {}) =>
    call('POST', '/scans/batch', 'sampler', {
      roundId,
      siteId: S.siteA,
      scans: people.map((p) => ({
        clientId: newClientId(),
        personCode: codeOf(ctx, p),
        tubeCode: tube,
        collectedAt: ctx.clock.now(),
        ...extra,
      })),
    });
  const ship = async (box: string, tubes: string[]) => {
    await call(
      'POST',
      '/screening/boxes',
      'sampler',
      { barcode: box, siteId: S.siteA, labId: FIXTURE.labA, tubeCodes: tubes, location: '贵州路采样点' },
      201,
    );
    ctx.clock.advance(20 * 60_000);
    await call('POST', `/screening/boxes/${box}/dispatch`, 'courier', { courierName: '王师傅' });
    ctx.clock.advance(40 * 60_000);
    await call('POST', `/screening/boxes/${box}/receive`, 'lab', { location: '黄浦检测实验室' });
    ctx.clock.advance(2 * HOUR);
  };
  const events = async (type: string) =>
    (
      await ctx.store.db.selectFrom('events').selectAll().where('type', '=', type).orderBy('id').execute()
    ).map((e) => ({
      ...e,
      payload: JSON.parse(e.payload) as Record<string, unknown>,
      region_ids: JSON.parse(e.region_ids) as number[],
    }));
  const episodes = (personId: number) =>
    ctx.store.db.selectFrom('control_episodes').selectAll().where('person_id', '=', personId).execute();
  const orders = (personId: number) =>
    ctx.store.db
      .selectFrom('test_orders')
      .selectAll()
      .where('person_id', '=', personId)
      .orderBy('id')
      .execute();

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    h = await loadScreeningWorld(ctx);
    app = await server(ctx);
    const now = ctx.clock.now();
    roundId = (
      await call(
        'POST',
        '/screening/rounds',
        'cmdA',
        {
          name: '黄浦区全员核酸',
          startsAt: now - HOUR,
          endsAt: now + 23 * HOUR,
          regionIds: [FIXTURE.districtA],
        },
        201,
      )
    ).id;
    // Person 101 owes a screening duty that the round's negative answers.
    await inTransaction(ctx, (uow) =>
      createTestOrder(uow, {
        personId: P(1),
        reason: 'screening_duty',
        dueAt: now + 24 * HOUR,
        notBefore: now - HOUR,
        source: { type: 'test', id: 'duty' },
      }),
    );
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('walks a round from scans to negative members', async () => {
    expect(
      (await scanInto('NEG-1', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(P), { tubeCapacity: 10 })).accepted,
    ).toBe(10);
    expect(
      (await scanInto('POS-1', [10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map(P), { tubeCapacity: 10 }))
        .accepted,
    ).toBe(10);
    expect((await scanInto('INV-1', [20, 21, 22].map(P), { tubeCapacity: 10 })).accepted).toBe(3);
    await call('POST', '/screening/tubes/INV-1/close', 'sampler');
    expect((await scanInto('SGL-A1', [FIXTURE.personA1], { tubeCapacity: 1 })).accepted).toBe(1);
    ctx.clock.advance(10 * 60_000);
    await ship('BOX-1', ['NEG-1', 'POS-1', 'INV-1', 'SGL-A1']);

    const box = await call('GET', '/screening/boxes/BOX-1', 'cmdA');
    expect(box.custody.map((c: { action: string }) => c.action)).toEqual([
      'sealed',
      'dispatched',
      'received',
    ]);
    expect(box.custody[1]).toMatchObject({ organisationId: S.transportOrg });
    expect(box.tubeCodes).toEqual(['INV-1', 'NEG-1', 'POS-1', 'SGL-A1']);

    const posted = await call('POST', '/screening/results', 'lab', {
      results: [
        { tubeCode: 'NEG-1', outcome: 'negative' },
        { tubeCode: 'POS-1', outcome: 'positive', ct: { orf1ab: 28.1, n: 30.4 } },
        { tubeCode: 'INV-1', outcome: 'invalid' },
        { tubeCode: 'SGL-A1', outcome: 'negative' },
      ],
    });
    expect(posted).toMatchObject({ resulted: 4, negative: 2, poolPositive: 1, invalid: 1, positive: 0 });

    // A member's result is readable as soon as the tube's commits.
    const mine = await call('GET', '/me/results', 'resident1');
    expect(mine.items).toEqual([
      expect.objectContaining({ tubeCode: 'SGL-A1', result: 'negative', pooled: false, roundId }),
    ]);
    const member = await call('GET', `/screening/people/${P(3)}/results`, 'streetA1');
    expect(member.items[0]).toMatchObject({ tubeCode: 'NEG-1', result: 'negative', pooled: true });
    await call('GET', `/screening/people/${P(3)}/results`, 'cmdB', undefined, 404);

    // The follow-up consumer fulfils the negative members' open orders and stamps notification.
    await ctx.events.drain();
    expect((await orders(P(1)))[0]).toMatchObject({ status: 'fulfilled', fulfilled_by: 'tube:NEG-1' });
    const tube = await call('GET', '/screening/tubes/NEG-1', 'lab');
    expect(tube.stamps.notifiedAt).toBe(ctx.clock.now());
    expect(tube.stamps).toMatchObject({
      boxedAt: expect.any(Number),
      dispatchedAt: expect.any(Number),
      receivedAt: expect.any(Number),
      resultedAt: expect.any(Number),
    });

    // Invalid: each member must be resampled.
    expect(await orders(P(20))).toEqual([
      expect.objectContaining({ reason: 'resample', status: 'open', source_type: 'tube' }),
    ]);
  });

  it('holds a positive pool, orders single-tube retests, and releases or reports each member', async () => {
    const pool = await ctx.store.db
      .selectFrom('tubes')
      .select('id')
      .where('barcode', '=', 'POS-1')
      .executeTakeFirstOrThrow();
    for (const i of [10, 11, 19]) {
      expect(await episodes(P(i))).toEqual([
        expect.objectContaining({
          kind: 'pool_hold',
          until_at: null,
          source_type: 'tube',
          source_id: String(pool.id),
        }),
      ]);
      expect(await orders(P(i))).toEqual([
        expect.objectContaining({ reason: 'pool_retest', status: 'open' }),
      ]);
    }
    const [poolEvent] = await events('pool.positive');
    expect(poolEvent.payload).toMatchObject({
      tubeCode: 'POS-1',
      roundId,
      members: 10,
      ct: { orf1ab: 28.1, n: 30.4 },
      regionIds: [FIXTURE.committeeA1],
    });
    expect(poolEvent.region_ids).toEqual(
      expect.arrayContaining([FIXTURE.committeeA1, FIXTURE.streetA1, FIXTURE.districtA, FIXTURE.city]),
    );
    await ctx.events.drain();
    const alerts = await call('GET', '/alerts?rule=screening.pool_positive', 'streetA1');
    expect(alerts.items).toEqual([
      expect.objectContaining({
        rule: 'screening.pool_positive',
        subject: { type: 'tube', id: String(pool.id) },
      }),
    ]);

    // Retests: one single tube each; someone without a retest order cannot go in a retest tube.
    expect((await scanInto('RT-110', [P(10)], { tubePurpose: 'retest' })).accepted).toBe(1);
    expect((await scanInto('RT-111', [P(11)], { tubePurpose: 'retest' })).accepted).toBe(1);
    const refused = await scanInto('RT-130', [P(30)], { tubePurpose: 'retest' });
    expect(refused.results[0]).toMatchObject({ status: 'rejected', code: 'no_retest_order' });
    const retestTube = await call('GET', '/screening/tubes/RT-110', 'sampler');
    expect(retestTube).toMatchObject({ capacity: 1, filled: 1, state: 'closed', purpose: 'retest' });
    await ship('BOX-2', ['RT-110', 'RT-111']);
    const sampledAt = (
      await ctx.store.db
        .selectFrom('scans')
        .select('collected_at')
        .where('person_id', '=', P(11))
        .where('slot', '!=', 0)
        .executeTakeFirstOrThrow()
    ).collected_at;

    const csv = 'tube_code,outcome,ct_orf1ab,ct_n\nRT-110,阴性,,\nRT-111,positive,24.5,26\n';
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/screening/results/csv',
      headers: { ...h.lab, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ resulted: 2, positive: 1, negative: 1 });

    // Negative single tube: the retest order is fulfilled and the pool hold released.
    expect((await episodes(P(10)))[0]).toMatchObject({
      ended_reason: 'single-tube retest negative',
      until_at: ctx.clock.now(),
    });
    expect((await orders(P(10)))[0]).toMatchObject({ status: 'fulfilled', fulfilled_by: 'tube:RT-110' });
    // Positive single tube: result.positive, the hold stays until the case takes over.
    const [positive] = await events('result.positive');
    expect(positive.person_id).toBe(P(11));
    expect(positive.payload).toEqual({
      personId: P(11),
      tubeCode: 'RT-111',
      roundId,
      sampledAt: Number(sampledAt),
      resultedAt: ctx.clock.now(),
      ct: { orf1ab: 24.5, n: 26 },
      regionIds: [FIXTURE.committeeA1],
    });
    expect((await episodes(P(11)))[0]).toMatchObject({ until_at: null });
    // …and the cases capability takes it: one case, with the lower of the two Ct values.
    await ctx.events.drain();
    expect(await events('case.intake_rejected')).toEqual([]);
    const kase = await ctx.store.db
      .selectFrom('cases')
      .select(['person_id', 'ct', 'source_key'])
      .where('person_id', '=', P(11))
      .execute();
    expect(kase).toHaveLength(1);
    expect(Number(kase[0]!.ct)).toBe(24.5);
    const theirs = await call('GET', `/screening/people/${P(11)}/results`, 'cmdA');
    expect(theirs.items.map((i: { result: string }) => i.result)).toEqual(['positive', 'pool_positive']);
  });

  it('takes results all or nothing and names the bad lines', async () => {
    // The positive above sealed its building, whose residents are sampled in single tubes now.
    expect((await scanInto('NEG-2', [P(30)], { tubeCapacity: 1 })).accepted).toBe(1);
    await ship('BOX-3', ['NEG-2']);
    const csv =
      'tube_code,outcome,ct_orf1ab,ct_n\nNEG-2,negative,,\nNOPE-9,negative,,\nNEG-2,negative,,\nNEG-1,positive,,\n';
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/screening/results/csv',
      headers: { ...h.lab, 'content-type': 'text/csv', 'accept-language': 'en' },
      payload: csv,
    });
    expect(res.statusCode).toBe(422);
    const details = res.json().error.details as { line: number; field: string; message: string }[];
    expect(details.map((d) => [d.line, d.field])).toEqual([
      [3, 'tube_code'],
      [4, 'tube_code'],
      [5, 'ct_orf1ab'],
      [5, 'outcome'],
    ]);
    const tube = await call('GET', '/screening/tubes/NEG-2', 'lab');
    expect(tube.state).toBe('received');
    // A post whose only fault is one line's Ct writes nothing either.
    const ctOnly = await app.inject({
      method: 'POST',
      url: '/api/v1/screening/results/csv',
      headers: { ...h.lab, 'content-type': 'text/csv' },
      payload: 'tube_code,outcome,ct_orf1ab,ct_n\nNEG-2,negative,,\nPOS-1,positive,,\n',
    });
    expect(ctOnly.statusCode).toBe(422);
    expect((await call('GET', '/screening/tubes/NEG-2', 'lab')).state).toBe('received');
    const json = await app.inject({
      method: 'POST',
      url: '/api/v1/screening/results',
      headers: h.lab,
      payload: { results: [{ tubeCode: 'NEG-2', outcome: 'positive', ct: { orf1ab: 50 } }] },
    });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.details[0].field).toBe('body.results.0.ct.orf1ab');
    // A lab's retry of a stored result changes nothing.
    await call('POST', '/screening/results', 'lab', {
      results: [{ tubeCode: 'NEG-2', outcome: 'negative' }],
    });
    expect(
      await call('POST', '/screening/results', 'lab', {
        results: [{ tubeCode: 'NEG-2', outcome: 'negative' }],
      }),
    ).toMatchObject({ resulted: 0, unchanged: 1 });
  });
});
