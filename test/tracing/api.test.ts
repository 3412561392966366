import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { issueToken } from '../../src/app/access/tokens.ts';
import { buildServer, type CordonApp } from '../../src/api/server.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { SseClient } from '../support/sse.ts';
import { addVenues, announceCase, CITY_ADMIN, TRACER_A, TRACER_B, VENUE_A, VENUE_B } from './support.ts';

const MIN = 60_000;
const T0 = Date.parse('2022-04-12T02:00:00Z'); // 10:00 the day before the case is reported
const LAB: Principal = {
  userId: 903,
  username: 'lab',
  role: 'lab',
  scope: { kind: 'organisation', organisationId: FIXTURE.labA },
};

describe.each(testDialects())('tracing API on %s', (dialect) => {
  let ctx: TestContext;
  let app: CordonApp;
  let base: string;
  const auth = (p: Principal) => ({
    authorization: `Bearer ${issueToken(ctx.secrets.tokenKey, p, ctx.clock.now())}`,
  });
  const call = (
    p: Principal,
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...auth(p), ...headers },
      payload: payload as string | object | undefined,
    });
  // Every stream a test opens is closed after it, also when it fails: an open one holds app.close().
  const streams: SseClient[] = [];
  const stream = (p: Principal) => {
    const client = new SseClient(
      `${base}?access_token=${issueToken(ctx.secrets.tokenKey, p, ctx.clock.now())}`,
    );
    streams.push(client);
    return client;
  };
  afterEach(() => {
    for (const client of streams.splice(0)) client.close();
  });

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    await addVenues(ctx);
    // Two more residents of district A without household or floor ties to the case.
    const person = (id: number) => ({
      id,
      district_id: FIXTURE.districtA,
      street_id: FIXTURE.streetA2,
      committee_id: null,
      household_id: null,
      place_id: null,
      ref: `ref-${id}`,
      id_hash: null,
      name: null,
      phone: null,
      birth_year: 1990,
      sex: null,
      floor: null,
      workplace_org_id: null,
      occupation: null,
      vulnerable: '',
      created_at: ctx.clock.now(),
      last_activity_at: null,
      purged_at: null,
    });
    await ctx.store.db
      .insertInto('people')
      .values([person(6), person(7)])
      .execute();
    await ctx.events.start();
    app = await buildServer(ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/events`;
    await announceCase(ctx, { caseId: 301, personId: FIXTURE.personA1 });
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('ingests check-ins in bulk and ignores an exact repeat', async () => {
    const checkins = [
      { venueId: VENUE_A, personId: FIXTURE.personA1, at: T0 }, // the case
      { venueId: VENUE_A, personId: FIXTURE.personB1, at: T0 + 20 * MIN }, // inside the window, lives in district B
      { venueId: VENUE_A, personId: 6, at: T0 + 45 * MIN }, // outside the 30-minute window
      { venueId: VENUE_B, personId: 7, at: T0 }, // same time, another venue
    ];
    const res = await call(CITY_ADMIN, 'POST', '/checkins/batch', { checkins });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: 4, inserted: 4 });
    const again = await call(CITY_ADMIN, 'POST', '/checkins/batch', { checkins: checkins.slice(0, 1) });
    expect(again.json()).toEqual({ received: 1, inserted: 0 });
  });

  it('refuses a CSV with a bad line, naming the line and column, and stores nothing', async () => {
    const csv = `venue_id,person_id,at\n${VENUE_A},6,${T0}\n\n${VENUE_A},abc,${T0}\n${VENUE_A},99999,${T0}\n`;
    const res = await call(CITY_ADMIN, 'POST', '/checkins/batch', csv, { 'content-type': 'text/csv' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([
      { line: 4, field: 'person_id', message: 'must be a positive integer id', value: 'abc' },
    ]);
    const unknown = await call(
      CITY_ADMIN,
      'POST',
      '/checkins/batch',
      `venue_id,person_id,at\n${VENUE_A},99999,${T0}\n`,
      { 'content-type': 'text/csv' },
    );
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.details[0]).toMatchObject({ line: 2, field: 'person_id' });
    const ok = await call(
      CITY_ADMIN,
      'POST',
      '/checkins/batch',
      `venue_id,person_id,at\n${VENUE_B},6,2022-04-12T12:00:00+08:00\n`,
      { 'content-type': 'text/csv' },
    );
    expect(ok.json()).toEqual({ received: 1, inserted: 1 });
  });

  it('proposes who was at the venue inside the window, and pushes the other district its own contact only', async () => {
    const a = stream(TRACER_A);
    const b = stream(TRACER_B);
    await a.status();
    await b.status();
    const res = await call(TRACER_A, 'POST', '/tracing/match', { day: '2022-04-13' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ cases: 1, proposed: 1, pushed: 1 });
    await vi.waitFor(
      () => {
        expect(b.messages.map((m) => m.event)).toContain('tracing.contacts.pushed');
        expect(a.messages.map((m) => m.event)).toContain('tracing.contacts.proposed');
      },
      { timeout: 5000 },
    );
    // Anything that should not come would have come with them.
    await new Promise((r) => setTimeout(r, 150));
    const pushed = b.messages.filter((m) => m.event === 'tracing.contacts.pushed');
    expect(pushed).toHaveLength(1);
    expect(
      (pushed[0].data.payload as { contacts: { personId: number }[] }).contacts.map((c) => c.personId),
    ).toEqual([FIXTURE.personB1]);
    expect(b.messages.map((m) => m.event)).not.toContain('tracing.contacts.proposed');
    expect(a.messages.map((m) => m.event)).toContain('tracing.contacts.proposed');
    expect(a.messages.map((m) => m.event)).not.toContain('tracing.contacts.pushed');
    a.close();
    b.close();
  });

  it('lists contacts by scope: the other district sees only its own resident', async () => {
    const b = (await call(TRACER_B, 'GET', '/tracing/contacts')).json();
    expect(
      b.items.map((c: { personId: number; status: string; crossDistrict: boolean }) => [
        c.personId,
        c.status,
        c.crossDistrict,
      ]),
    ).toEqual([[FIXTURE.personB1, 'proposed', true]]);
    const a = (await call(TRACER_A, 'GET', '/tracing/contacts?caseId=301')).json();
    expect(a.items.map((c: { personId: number }) => c.personId).sort()).toEqual([
      FIXTURE.personA2,
      FIXTURE.personA3,
      FIXTURE.personB1,
    ]);
  });

  it('the other district confirms its contact, which starts the quarantine plan', async () => {
    const contact = (await call(TRACER_B, 'GET', '/tracing/contacts')).json().items[0];
    const res = await call(TRACER_B, 'POST', `/tracing/contacts/${contact.id}/confirm`, {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'confirmed', degree: 'close', plan: { edition: '9th' } });
    const orders = await ctx.store.db
      .selectFrom('test_orders')
      .select('id')
      .where('person_id', '=', FIXTURE.personB1)
      .where('source_type', '=', 'tracing.close_contact')
      .execute();
    expect(orders).toHaveLength(6);
    const again = await call(TRACER_B, 'POST', `/tracing/contacts/${contact.id}/confirm`, {});
    expect(again.statusCode).toBe(409);
  });

  it('keeps investigations in scope and refuses roles without tracing rights', async () => {
    expect((await call(TRACER_B, 'GET', '/tracing/investigations')).json().items).toEqual([]);
    const list = (await call(TRACER_A, 'GET', '/tracing/investigations')).json();
    expect(list.items.map((i: { caseId: number }) => i.caseId)).toEqual([301]);
    expect((await call(TRACER_B, 'GET', `/tracing/investigations/${list.items[0].id}`)).statusCode).toBe(404);
    expect((await call(LAB, 'GET', '/tracing/investigations')).statusCode).toBe(403);
  });

  it('adds timeline entries with field-named errors; a stay in another district is pushed there', async () => {
    const b = stream(TRACER_B);
    await b.status();
    const inv = (await call(TRACER_A, 'GET', '/tracing/investigations')).json().items[0];
    const bad = await call(TRACER_A, 'POST', `/tracing/investigations/${inv.id}/timeline`, {
      entries: [{ placeId: 424242, fromAt: T0, untilAt: T0 + MIN }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('entries.0.placeId');
    const ok = await call(TRACER_A, 'POST', `/tracing/investigations/${inv.id}/timeline`, {
      entries: [{ placeId: VENUE_B, fromAt: T0 + 60 * MIN, untilAt: T0 + 90 * MIN }],
    });
    expect(ok.statusCode).toBe(200);
    const detail = (await call(TRACER_A, 'GET', `/tracing/investigations/${inv.id}`)).json();
    expect(detail.timeline).toHaveLength(1);
    // Other events of district B may come first.
    await vi.waitFor(() => expect(b.messages.map((m) => m.event)).toContain('tracing.trail.pushed'), {
      timeout: 5000,
    });
    const trail = b.messages.find((m) => m.event === 'tracing.trail.pushed');
    expect(trail?.data.payload).toMatchObject({
      caseId: 301,
      toDistrictId: FIXTURE.districtB,
      stays: [{ placeId: VENUE_B }],
    });
    b.close();
  });

  it('dismisses a confirmed contact with its reason, ending the plan', async () => {
    const contacts = (await call(TRACER_A, 'GET', '/tracing/contacts?caseId=301&degree=secondary')).json()
      .items;
    const a3 = contacts.find((c: { personId: number }) => c.personId === FIXTURE.personA3);
    const short = await call(TRACER_A, 'POST', `/tracing/contacts/${a3.id}/dismiss`, { reason: 'no' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details[0].field).toBe('body.reason');
    const res = await call(TRACER_A, 'POST', `/tracing/contacts/${a3.id}/dismiss`, {
      reason: 'lives on floor 4 but was away all week',
    });
    expect(res.json()).toMatchObject({
      status: 'dismissed',
      decisionReason: 'lives on floor 4 but was away all week',
    });
    const open = await ctx.store.db
      .selectFrom('test_orders')
      .select('id')
      .where('person_id', '=', FIXTURE.personA3)
      .where('status', '=', 'open')
      .execute();
    expect(open).toEqual([]);
  });

  it('draws the chain as a graph and flags only the unknown-source case', async () => {
    await announceCase(ctx, { caseId: 302, personId: FIXTURE.personB1 }); // the confirmed contact tests positive
    await announceCase(ctx, { caseId: 303, personId: 6 });
    const link = await call(TRACER_A, 'POST', '/tracing/source-links', {
      caseId: 303,
      sourceCaseId: 301,
      certainty: 'possible',
    });
    expect(link.statusCode).toBe(200);
    const chain = (await call(CITY_ADMIN, 'GET', '/tracing/chains/302')).json();
    expect(chain.roots).toEqual([301]);
    expect(
      chain.nodes.map((n: { caseId: number; generation: number; unknownSource: boolean }) => [
        n.caseId,
        n.generation,
        n.unknownSource,
      ]),
    ).toEqual([
      [301, 0, true],
      [302, 1, false],
      [303, 1, false],
    ]);
    expect(chain.edges).toEqual([
      { from: 301, to: 302, certainty: 'probable' },
      { from: 301, to: 303, certainty: 'possible' },
    ]);
    expect((await call(TRACER_B, 'GET', '/tracing/chains/301')).statusCode).toBe(404);
    const unknown = (await call(TRACER_A, 'GET', '/tracing/unknown-source')).json();
    expect(unknown.items.map((i: { caseId: number }) => i.caseId)).toEqual([301]);
    const clusters = (await call(CITY_ADMIN, 'GET', '/tracing/clusters')).json();
    expect(clusters.items).toEqual([expect.objectContaining({ size: 3 })]);
  });
});
