import { sql, type SqlBool } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganisationPeopleLink } from '../../src/app/access/organisation-links.ts';
import { buildServer, type CordonApp } from '../../src/api/server.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { auditRows, createTestUsers, TRANSPORT_ORG, type TestUser } from './support.ts';

// A stand-in for the transfer orders a later issue adds: the transport team's order names person 2.
registerOrganisationPeopleLink({
  name: 'test-transfer-order',
  kind: 'order',
  matches: (eb, organisationId) =>
    organisationId === TRANSPORT_ORG ? eb('people.id', '=', FIXTURE.personA2) : sql<SqlBool>`1 = 0`,
});

describe.each(testDialects())('people API on %s', (dialect) => {
  let ctx: TestContext;
  let app: CordonApp;
  let auth: Record<TestUser, { authorization: string }>;

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    auth = await createTestUsers(ctx);
    app = await buildServer(ctx);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const get = (user: TestUser, url: string) =>
    app.inject({ method: 'GET', url: `/api/v1${url}`, headers: auth[user] });
  const reveal = (user: TestUser, id: number, body: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/api/v1/people/${id}/reveal`, headers: auth[user], payload: body });
  const ids = async (user: TestUser, url: string) => {
    const res = await get(user, url);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: { id: number }[] }).items.map((p) => p.id);
  };
  const csvIds = (body: string) =>
    body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(line.split(',')[0]));

  it('lists only the people in each scope', async () => {
    expect(await ids('admin', '/people')).toEqual([1, 2, 3, 4, 5]);
    expect(await ids('cmdA', '/people')).toEqual([1, 2, 3]);
    expect(await ids('cmdB', '/people')).toEqual([4, 5]);
    expect(await ids('streetA2', '/people')).toEqual([]);
    expect(await ids('employer', '/people')).toEqual([1]);
    expect(await ids('lab', '/people')).toEqual([]);
    expect(await ids('transfer', '/people')).toEqual([2, 3]);
    expect(await ids('resident1', '/people')).toEqual([1]);
  });

  it('a filter never widens the scope, and search stays inside it', async () => {
    expect(await ids('cmdA', `/people?street=${FIXTURE.streetB1}`)).toEqual([]);
    expect(await ids('cmdA', `/people?q=${encodeURIComponent('刘')}`)).toEqual([]);
    expect(await ids('cmdB', `/people?q=${encodeURIComponent('刘')}`)).toEqual([4]);
    expect(await ids('cmdA', '/people?household=3')).toEqual([]);
    expect(await ids('cmdA', '/people?household=1')).toEqual([1, 2]);
    expect(await ids('cmdA', '/people?vulnerable=elderly_alone')).toEqual([3]);
    expect(await ids('admin', '/people?vulnerable=any')).toEqual([3]);
    expect(await ids('admin', '/people?occupation=delivery')).toEqual([1]);
    expect(await ids('admin', `/people?q=${encodeURIComponent('%')}`)).toEqual([]);
  });

  it('pages with cursors in (district, id) order', async () => {
    const seen: number[][] = [];
    let cursor: string | null = null;
    do {
      const res = await get('admin', `/people?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const page = res.json() as { items: { id: number }[]; nextCursor: string | null };
      seen.push(page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([[1, 2], [3, 4], [5]]);
    const bad = await get('admin', '/people?cursor=nonsense');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('cursor');
  });

  it('answers a person outside the scope exactly like a missing one', async () => {
    const outside = await get('cmdA', `/people/${FIXTURE.personB1}`);
    const missing = await get('cmdA', '/people/999');
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error.code).toBe('out_of_scope');
    expect(missing.json().error.code).toBe('out_of_scope');
    expect((await get('cmdB', `/people/${FIXTURE.personB1}`)).statusCode).toBe(200);
    expect((await get('employer', `/people/${FIXTURE.personA2}`)).statusCode).toBe(404);
    expect((await get('resident1', `/people/${FIXTURE.personA2}`)).statusCode).toBe(404);
  });

  it('masks personal fields by default', async () => {
    const res = await get('cmdA', `/people/${FIXTURE.personA1}`);
    expect(res.json()).toMatchObject({
      id: 1,
      name: '张*',
      phone: '138****0001',
      address: '贵州路1弄1号',
      masked: true,
      purged: false,
    });
    expect(res.body).not.toContain('张伟');
    expect(res.body).not.toContain('hash-1');
  });

  it('exports CSV inside the scope only, masked', async () => {
    const a = await get('cmdA', '/people/export.csv');
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-type']).toContain('text/csv');
    expect(csvIds(a.body)).toEqual([1, 2, 3]);
    expect(a.body).toContain('张*');
    expect(a.body).not.toContain('张伟');
    expect(csvIds((await get('cmdB', '/people/export.csv')).body)).toEqual([4, 5]);
    expect(csvIds((await get('cmdA', `/people/export.csv?q=${encodeURIComponent('刘')}`)).body)).toEqual([]);
    expect(csvIds((await get('employer', '/people/export.csv')).body)).toEqual([1]);
  });

  it('reveals only with a permitted role and a reason, and records the reason', async () => {
    const none = await reveal('cmdA', 1, { fields: ['name', 'phone', 'address'] });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('reason_required');
    expect((await reveal('cmdA', 1, { fields: ['name'], reason: 'ok' })).json().error.code).toBe(
      'reason_required',
    );

    const ok = await reveal('cmdA', 1, { fields: ['name', 'phone', 'address'], reason: '密接电话通知' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({
      id: 1,
      fields: { name: '张伟', phone: '13800000001', address: '贵州路1弄1号301室' },
      reason: '密接电话通知',
    });
    const last = (await auditRows(ctx)).at(-1)!;
    expect(last).toMatchObject({
      action: 'person.reveal',
      username: 'cmdA',
      role: 'district_command',
      reason: '密接电话通知',
    });
    expect(JSON.parse(last.subject_ids)).toEqual([1]);
    expect(JSON.parse(last.fields)).toEqual(['name', 'phone', 'address']);

    expect(
      (await reveal('cmdA', FIXTURE.personB1, { fields: ['name'], reason: '密接电话通知' })).statusCode,
    ).toBe(404);
  });

  it('refuses reveals to labs, employers, and transfer staff outside their orders', async () => {
    for (const user of ['lab', 'employer'] as const) {
      const res = await reveal(user, 1, { fields: ['name'], reason: 'need to know' });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    expect(
      (await reveal('transfer', FIXTURE.personA3, { fields: ['name'], reason: 'pick-up call' })).json().error
        .code,
    ).toBe('forbidden');
    const order = await reveal('transfer', FIXTURE.personA2, {
      fields: ['name', 'phone'],
      reason: 'pick-up call',
    });
    expect(order.json()).toMatchObject({ fields: { name: '王芳', phone: '13800000002' } });
    expect(
      (await reveal('transfer', FIXTURE.personA2, { fields: ['address'], reason: 'pick-up call' }))
        .statusCode,
    ).toBe(403);
  });

  it('records every refused reveal: who tried, whom, which fields, with what reason', async () => {
    const before = (await auditRows(ctx)).length;
    expect((await reveal('lab', 1, { fields: ['name'], reason: 'need to know' })).statusCode).toBe(403);
    expect((await reveal('cmdA', 1, { fields: ['phone'] })).statusCode).toBe(400);
    expect((await reveal('cmdA', FIXTURE.personB1, { fields: ['name'], reason: '核实' })).statusCode).toBe(
      404,
    );
    const refused = (await auditRows(ctx)).slice(before);
    expect(refused.map((r) => [r.action, r.username, JSON.parse(r.subject_ids), r.reason])).toEqual([
      ['person.reveal_refused', 'lab', [1], 'need to know'],
      ['person.reveal_refused', 'cmdA', [1], null],
      ['person.reveal_refused', 'cmdA', [FIXTURE.personB1], '核实'],
    ]);
    expect(refused.map((r) => JSON.parse(r.fields))).toEqual([['name'], ['phone'], ['name']]);
  });

  it("gives residents their own record in clear and nobody else's", async () => {
    const me = await get('resident1', '/me/person');
    expect(me.json()).toMatchObject({ id: 1, name: '张伟', phone: '13800000001', masked: false });
    expect((await reveal('resident1', 1, { fields: ['phone'] })).json()).toMatchObject({
      fields: { phone: '13800000001' },
    });
    expect((await get('cmdA', '/me/person')).statusCode).toBe(403);
    const code = await get('resident4', '/me/code');
    expect(code.json()).toMatchObject({ expiresAt: ctx.clock.now() + 24 * 3600_000 });
    expect(code.body).not.toContain('hash-4');
  });

  it('audits every read of personal data, one record per request', async () => {
    const requests: [TestUser, string, string, number[]][] = [
      ['cmdA', '/people', 'people.list', [1, 2, 3]],
      ['cmdA', `/people/${FIXTURE.personA2}`, 'person.read', [2]],
      ['cmdA', `/people?q=${encodeURIComponent('张')}`, 'people.list', [1]],
      ['cmdB', '/people/export.csv', 'people.export', []],
      ['resident1', '/me/person', 'person.read', [1]],
    ];
    for (const [user, url, action, subjects] of requests) {
      const before = (await auditRows(ctx)).length;
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1${url}`,
        headers: { ...auth[user], 'x-request-id': `req-${action}-${user}` },
      });
      expect(res.statusCode).toBe(200);
      const after = await auditRows(ctx);
      expect(after.length).toBe(before + 1);
      const record = after.at(-1)!;
      expect(record).toMatchObject({ action, username: user, request_id: `req-${action}-${user}` });
      expect(JSON.parse(record.subject_ids)).toEqual(subjects);
    }
    // The name searched for is personal data and is not kept; that a search happened is.
    const search = (await auditRows(ctx)).find(
      (r) => r.request_id === 'req-people.list-cmdA' && r.subject_ids === '[1]',
    )!;
    expect(JSON.stringify(search)).not.toContain('张');
  });

  it('refuses anonymous callers', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/people' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthenticated');
  });
});
