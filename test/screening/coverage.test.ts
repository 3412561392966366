import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CordonApp } from '../../src/api/server.ts';
import { inTransaction } from '../../src/app/context.ts';
import { openEpisode } from '../../src/app/kernel/control-episodes.ts';
import { FIXTURE } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { codeOf, HOUR, loadScreeningWorld, newClientId, S, server, type Headers } from './support.ts';

/** 应检 / 未检 down to the household, and stage timing, on a round over street A1. */
describe.each(testDialects())('coverage and stage timing on %s', (dialect) => {
  let ctx: TestContext;
  let app: CordonApp;
  let h: Headers;
  let roundId: number;
  const P = (i: number) => S.extraFirst + i;
  const get = async (url: string, who: keyof Headers, status = 200) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1${url}`, headers: h[who] });
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };
  const post = async (url: string, who: keyof Headers, payload: object, status = 200) => {
    const res = await app.inject({ method: 'POST', url: `/api/v1${url}`, headers: h[who], payload });
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    h = await loadScreeningWorld(ctx);
    app = await server(ctx);
    const now = ctx.clock.now();
    roundId = (
      await post(
        '/screening/rounds',
        'cmdA',
        {
          name: '南京东路街道筛查',
          startsAt: now - HOUR,
          endsAt: now + 12 * HOUR,
          regionIds: [FIXTURE.streetA1],
          firstRound: true,
        },
        201,
      )
    ).id;
    // Person A3 is in hospital: not due.
    await inTransaction(ctx, (uow) =>
      openEpisode(uow, {
        personId: FIXTURE.personA3,
        kind: 'isolation',
        from: now - HOUR,
        source: { type: 'case', id: '1' },
      }),
    );
    const scans = (tube: string, people: number[], capacity: number) => ({
      roundId,
      siteId: S.siteA,
      scans: people.map((p) => ({
        clientId: newClientId(),
        personCode: codeOf(ctx, p),
        tubeCode: tube,
        collectedAt: ctx.clock.now(),
        tubeCapacity: capacity,
      })),
    });
    expect(
      (await post('/scans/batch', 'sampler', scans('C-1', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(P), 10)))
        .accepted,
    ).toBe(10);
    expect((await post('/scans/batch', 'sampler', scans('C-A1', [FIXTURE.personA1], 1))).accepted).toBe(1);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('counts 应检 (residents minus isolated), tested and untested by child region down to the building', async () => {
    const district = await get(`/screening/rounds/${roundId}/coverage`, 'cmdA');
    expect(district).toMatchObject({
      regionId: FIXTURE.districtA,
      expected: 42,
      tested: 11,
      untested: 31,
      isolated: 1,
    });
    expect(district.children).toEqual([
      expect.objectContaining({ kind: 'region', id: FIXTURE.streetA1, expected: 42, untested: 31 }),
    ]);
    const committee = await get(
      `/screening/rounds/${roundId}/coverage?regionId=${FIXTURE.committeeA1}`,
      'streetA1',
    );
    expect(committee.children).toEqual([
      expect.objectContaining({
        kind: 'place',
        id: FIXTURE.buildingA2,
        name: '贵州小区2号楼',
        expected: 40,
        tested: 10,
        untested: 30,
      }),
      expect.objectContaining({
        kind: 'place',
        id: FIXTURE.buildingA1,
        expected: 2,
        tested: 1,
        untested: 1,
        isolated: 1,
      }),
    ]);
    const other = await get(`/screening/rounds/${roundId}/coverage`, 'cmdB');
    expect(other).toMatchObject({ expected: 0, tested: 0 });
    await get(`/screening/rounds/${roundId}/coverage?regionId=${FIXTURE.streetA1}`, 'cmdB', 404);
    await get(`/screening/rounds/${roundId}/coverage`, 'sampler', 403);
  });

  it('lists untested households building by building, a page at a time, and audits the read', async () => {
    const first = await get(`/screening/rounds/${roundId}/untested?limit=5`, 'streetA1');
    expect(first.items).toHaveLength(5);
    expect(first.items[0]).toMatchObject({
      householdId: 1,
      building: '贵州小区1号楼',
      room: '301',
      personIds: [FIXTURE.personA2],
    });
    expect(first.items[1]).toMatchObject({ householdId: 15, personIds: [P(10), P(11)] });
    const all = [...first.items];
    let cursor = first.nextCursor;
    while (cursor != null) {
      const page = await get(`/screening/rounds/${roundId}/untested?limit=5&cursor=${cursor}`, 'streetA1');
      all.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(all.map((i: { householdId: number }) => i.householdId)).toEqual([
      1,
      ...Array.from({ length: 15 }, (_, i) => 15 + i),
    ]);
    expect(all.flatMap((i: { personIds: number[] }) => i.personIds)).toHaveLength(31);
    const audited = await ctx.store.db
      .selectFrom('audit_log')
      .select(['action'])
      .where('action', '=', 'screening.untested.list')
      .execute();
    expect(audited.length).toBeGreaterThanOrEqual(4);
  });

  it('times every stage and counts the backlog per street and lab', async () => {
    await post('/screening/tubes/C-A1/close', 'sampler', {}, 409);
    ctx.clock.advance(5 * 60_000);
    await post(
      '/screening/boxes',
      'sampler',
      { barcode: 'CB-1', siteId: S.siteA, tubeCodes: ['C-1', 'C-A1'] },
      201,
    );
    ctx.clock.advance(15 * 60_000);
    await post('/screening/boxes/CB-1/dispatch', 'sampler', { courierOrgId: S.transportOrg });
    ctx.clock.advance(40 * 60_000);
    await post('/screening/boxes/CB-1/receive', 'lab', {});
    const waiting = await get(`/screening/stages?roundId=${roundId}&by=lab`, 'cmdA');
    expect(waiting.total.find((s: { stage: string }) => s.stage === 'test')).toMatchObject({
      backlog: 2,
      done: 0,
      p50Ms: null,
    });
    ctx.clock.advance(3 * HOUR);
    await post('/screening/results', 'lab', {
      results: [
        { tubeCode: 'C-1', outcome: 'negative' },
        { tubeCode: 'C-A1', outcome: 'negative' },
      ],
    });
    const timing = await get(`/screening/stages?roundId=${roundId}`, 'cmdA');
    expect(timing.by).toBe('street');
    expect(timing.groups.map((g: { id: number }) => g.id)).toEqual([FIXTURE.streetA1]);
    const stage = (name: string) => timing.total.find((s: { stage: string }) => s.stage === name);
    expect(stage('box')).toMatchObject({ done: 2, backlog: 0, p50Ms: 6 * 60_000 });
    expect(stage('dispatch')).toMatchObject({ done: 2, p90Ms: 16 * 60_000 });
    expect(stage('transport')).toMatchObject({ done: 2, p50Ms: 41 * 60_000 });
    expect(stage('test')).toMatchObject({ done: 2, p50Ms: 181 * 60_000 });
    expect(stage('notify').backlog + stage('notify').done).toBe(2);
    const byLab = await get(
      `/screening/stages?roundId=${roundId}&by=lab&regionId=${FIXTURE.streetA1}`,
      'streetA1',
    );
    expect(byLab.groups.map((g: { id: number }) => g.id)).toEqual([FIXTURE.labA]);
  });

  it('plans pooling from a prevalence or from recent tubes', async () => {
    const plan = await get('/screening/pooling-plan?prevalence=0.02', 'cmdA');
    expect(plan).toMatchObject({ prevalence: 0.02, unconstrained: { size: 8 }, bestAllowed: { size: 10 } });
    const recent = await get('/screening/pooling-plan', 'cmdA');
    expect(recent).toMatchObject({ prevalence: 0, basis: { tubes: 2, people: 11 } });
  });
});
