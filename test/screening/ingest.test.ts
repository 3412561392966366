import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, openTestContext, type TestContext } from '../support/harness.ts';
import { FIXTURE } from '../support/fixture.ts';
import { codeOf, HOUR, loadScreeningWorld, newClientId, S, server, type Headers } from './support.ts';
import type { CordonApp } from '../../src/api/server.ts';
import { verifyAuditLog } from '../../src/app/access/audit.ts';

describe.each(testDialects())('scan ingest on %s', (dialect) => {
  let ctx: TestContext;
  let app: CordonApp;
  let h: Headers;
  let roundId: number;
  let otherRoundId: number;

  const post = (body: unknown, who: keyof Headers = 'sampler', lang = 'en') =>
    app.inject({
      method: 'POST',
      url: '/api/v1/scans/batch',
      headers: { ...h[who], 'accept-language': lang },
      payload: body as object,
    });
  const scan = (personId: number, tubeCode: string, extra: Record<string, unknown> = {}) => ({
    clientId: newClientId(),
    personCode: codeOf(ctx, personId),
    tubeCode,
    collectedAt: ctx.clock.now(),
    ...extra,
  });
  const scanCount = async () =>
    Number(
      (
        await ctx.store.db
          .selectFrom('scans')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    h = await loadScreeningWorld(ctx);
    app = await server(ctx);
    const now = ctx.clock.now();
    const create = async (name: string) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/screening/rounds',
        headers: h.cmdA,
        payload: { name, startsAt: now - HOUR, endsAt: now + 23 * HOUR, regionIds: [FIXTURE.districtA] },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as number;
    };
    roundId = await create('4月13日全员核酸');
    otherRoundId = await create('4月13日第二轮');
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('fills a tube from a batch, closes it when full, and a retried batch changes nothing', async () => {
    const scans = Array.from({ length: 10 }, (_, i) =>
      scan(S.extraFirst + i, 'T-FULL', { tubeCapacity: 10 }),
    );
    const body = { roundId, siteId: S.siteA, scans };
    const first = await post(body);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ accepted: 10, duplicates: 0, rejected: 0 });
    const tube = await ctx.store.db
      .selectFrom('tubes')
      .selectAll()
      .where('barcode', '=', 'T-FULL')
      .executeTakeFirstOrThrow();
    expect(tube).toMatchObject({
      filled: 10,
      capacity: 10,
      state: 'closed',
      round_id: roundId,
      district_id: FIXTURE.districtA,
    });
    expect(Number(tube.closed_at)).toBe(ctx.clock.now());
    const before = await scanCount();
    const rows = async () => ({
      scans: await ctx.store.db.selectFrom('scans').selectAll().orderBy('id').execute(),
      tubes: await ctx.store.db.selectFrom('tubes').selectAll().orderBy('id').execute(),
    });
    const stored = await rows();
    ctx.clock.advance(60_000);
    const retry = await post(body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ accepted: 0, duplicates: 10, rejected: 0 });
    expect(retry.json().results.every((r: { tubeCode: string }) => r.tubeCode === 'T-FULL')).toBe(true);
    expect(await scanCount()).toBe(before);
    // Not a row changed: no scan, no tube count, no timestamp.
    expect(await rows()).toEqual(stored);
  });

  it('answers a retried batch with mixed outcomes the same way, writing nothing', async () => {
    const scans = [
      scan(S.extraFirst + 38, 'T-MIXED', { tubeCapacity: 10 }),
      scan(S.extraFirst + 0, 'T-MIXED', { tubeCapacity: 10 }),
      { ...scan(S.extraFirst + 39, 'T-MIXED'), personCode: 'forged' },
    ];
    const body = { roundId, siteId: S.siteA, scans };
    const first = await post(body);
    const answer = (r: { json(): { results: { status: string; code?: string; tubeCode?: string }[] } }) =>
      r.json().results.map((x) => [x.status, x.code ?? x.tubeCode]);
    expect(answer(first)).toEqual([
      ['accepted', 'T-MIXED'],
      ['rejected', 'already_sampled'],
      ['rejected', 'invalid_person_code'],
    ]);
    const before = await scanCount();
    const retry = await post(body);
    expect(answer(retry)).toEqual([
      ['duplicate', 'T-MIXED'],
      ['rejected', 'already_sampled'],
      ['rejected', 'invalid_person_code'],
    ]);
    expect(await scanCount()).toBe(before);
  });

  it('tells the sampler the other reasons a scan is refused, opening no tube', async () => {
    const now = ctx.clock.now();
    const refusedHere = await post({
      roundId,
      siteId: S.siteA,
      scans: [
        { ...scan(S.extraFirst + 10, 'T-WHY'), personCode: codeOf(ctx, 99_999, FIXTURE.districtA) },
        scan(S.extraFirst + 11, 'T-WHY', { collectedAt: now - 2 * HOUR }),
        scan(S.extraFirst + 12, 'T-WHY', { collectedAt: now + 10 * 60_000 }),
      ],
    });
    expect(refusedHere.statusCode, refusedHere.body).toBe(200);
    expect(refusedHere.json().results.map((r: { code: string }) => r.code)).toEqual([
      'unknown_person',
      'round_not_open',
      'collected_in_future',
    ]);
    const unknownRound = await post({
      roundId: 987_654,
      siteId: S.siteA,
      scans: [scan(S.extraFirst + 13, 'T-WHY')],
    });
    expect(unknownRound.json().results[0]).toMatchObject({ status: 'rejected', code: 'unknown_round' });
    expect(unknownRound.json().results[0].message).toContain('987654');
    expect(
      await ctx.store.db.selectFrom('tubes').select('id').where('barcode', '=', 'T-WHY').execute(),
    ).toHaveLength(0);

    // Door to door, one tube per household (一户一管): 110 and 111 share a household, 112 does not.
    const door = await post(
      {
        roundId,
        siteId: S.siteDoor,
        scans: [10, 11, 12].map((i) => scan(S.extraFirst + i, 'T-HOME')),
      },
      'sampler',
      'zh-CN',
    );
    expect(door.json().results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual([
      'accepted',
      'accepted',
      'other_household',
    ]);
    expect(door.json().results[2].message).toContain('一户一管');
    const home = await ctx.store.db
      .selectFrom('tubes')
      .select(['purpose', 'filled', 'household_id'])
      .where('barcode', '=', 'T-HOME')
      .executeTakeFirstOrThrow();
    expect(home).toMatchObject({ purpose: 'household', filled: 2, household_id: 15 });
  });

  it('tells the sampler which tube a person was already sampled in this round', async () => {
    const res = await post({
      roundId,
      siteId: S.siteA,
      scans: [scan(S.extraFirst, 'T-OTHER', { tubeCapacity: 10 })],
    });
    expect(res.json().results[0]).toMatchObject({ status: 'rejected', code: 'already_sampled' });
    expect(res.json().results[0].message).toContain('T-FULL');
    const zh = await post(
      { roundId, siteId: S.siteA, scans: [scan(S.extraFirst, 'T-OTHER', { tubeCapacity: 10 })] },
      'sampler',
      'zh-CN',
    );
    expect(zh.json().results[0].message).toContain('本轮已在试管 T-FULL');
  });

  it('decides a batch against itself: one person twice, one client id twice', async () => {
    const first = scan(S.extraFirst + 25, 'T-SELF', { tubeCapacity: 10 });
    const again = scan(S.extraFirst + 25, 'T-SELF2', { tubeCapacity: 10 });
    const res = await post({ roundId, siteId: S.siteA, scans: [first, again, { ...first }] });
    expect(res.json().results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual([
      'accepted',
      'already_sampled',
      'duplicate',
    ]);
    expect(res.json().results[1].message).toContain('T-SELF');
    // The refused scan opened no tube and filled none.
    expect(
      await ctx.store.db.selectFrom('tubes').select('id').where('barcode', '=', 'T-SELF2').execute(),
    ).toHaveLength(0);
    const tube = await ctx.store.db
      .selectFrom('tubes')
      .select(['filled', 'state'])
      .where('barcode', '=', 'T-SELF')
      .executeTakeFirstOrThrow();
    expect(tube).toMatchObject({ filled: 1, state: 'open' });
  });

  it('takes concurrent batches into the same tube without overfilling it', async () => {
    const batches = [0, 1, 2, 3].map((b) => ({
      roundId,
      siteId: S.siteA,
      scans: [0, 1, 2].map((i) => scan(S.extraFirst + 26 + b * 3 + i, 'T-RACE', { tubeCapacity: 10 })),
    }));
    const results = await Promise.all(batches.map((b) => post(b)));
    const statuses = results.flatMap((r) =>
      r.json().results.map((x: { status: string; code?: string }) => x.code ?? x.status),
    );
    expect(statuses.filter((x) => x === 'accepted')).toHaveLength(10);
    expect(statuses.filter((x) => x === 'tube_full' || x === 'tube_closed')).toHaveLength(2);
    const tube = await ctx.store.db
      .selectFrom('tubes')
      .select(['filled', 'state', 'id'])
      .where('barcode', '=', 'T-RACE')
      .executeTakeFirstOrThrow();
    expect(tube).toMatchObject({ filled: 10, state: 'closed' });
    const members = await ctx.store.db
      .selectFrom('scans')
      .select('id')
      .where('tube_id', '=', tube.id)
      .execute();
    expect(members).toHaveLength(10);
  });

  it('opens a new barcode once when sites of two districts send it at the same moment', async () => {
    const [a, b] = await Promise.all([
      post({ roundId, siteId: S.siteA, scans: [scan(S.extraFirst + 14, 'T-SHARED', { tubeCapacity: 10 })] }),
      post(
        { roundId, siteId: S.siteB, scans: [scan(FIXTURE.personB1, 'T-SHARED', { tubeCapacity: 10 })] },
        'samplerB',
      ),
    ]);
    const accepted = [a, b].filter((r) => r.json().accepted === 1).length;
    const tubes = await ctx.store.db
      .selectFrom('tubes')
      .select(['id', 'filled'])
      .where('barcode', '=', 'T-SHARED')
      .execute();
    expect(tubes).toHaveLength(1);
    expect(tubes[0].filled).toBe(accepted);
  });

  it('samples a person scanned at two sites at the same moment once, and names the tube to the other', async () => {
    const person = S.extraFirst + 17;
    const [a, b] = await Promise.all([
      post({ roundId, siteId: S.siteA, scans: [scan(person, 'T-TWICE-A', { tubeCapacity: 10 })] }),
      post(
        { roundId, siteId: S.siteB, scans: [scan(person, 'T-TWICE-B', { tubeCapacity: 10 })] },
        'samplerB',
      ),
    ]);
    const results = [a, b].map(
      (r) => r.json().results[0] as { status: string; code?: string; message?: string },
    );
    expect(results.map((r) => r.code ?? r.status).sort()).toEqual(['accepted', 'already_sampled']);
    const acceptedTube = results[0].status === 'accepted' ? 'T-TWICE-A' : 'T-TWICE-B';
    expect(results.find((r) => r.code === 'already_sampled')!.message).toContain(acceptedTube);
    const stored = await ctx.store.db
      .selectFrom('scans')
      .select('id')
      .where('person_id', '=', person)
      .where('round_id', '=', roundId)
      .execute();
    expect(stored).toHaveLength(1);
  });

  it('refuses a full tube and a closed tube', async () => {
    const full = await post({ roundId, siteId: S.siteA, scans: [scan(S.extraFirst + 20, 'T-FULL')] });
    expect(full.json().results[0]).toMatchObject({ status: 'rejected', code: 'tube_closed' });
    // A tube that is full but still open (closing is a separate step when the tube was filled by hand) says "full".
    await ctx.store.db.updateTable('tubes').set({ state: 'open' }).where('barcode', '=', 'T-FULL').execute();
    const stillFull = await post({ roundId, siteId: S.siteA, scans: [scan(S.extraFirst + 20, 'T-FULL')] });
    expect(stillFull.json().results[0]).toMatchObject({ status: 'rejected', code: 'tube_full' });
    expect(stillFull.json().results[0].message).toContain('full (10 people)');
    await ctx.store.db
      .updateTable('tubes')
      .set({ state: 'closed' })
      .where('barcode', '=', 'T-FULL')
      .execute();
  });

  it('refuses a tube of another round', async () => {
    const res = await post({
      roundId: otherRoundId,
      siteId: S.siteA,
      scans: [scan(S.extraFirst + 21, 'T-FULL')],
    });
    expect(res.json().results[0]).toMatchObject({ status: 'rejected', code: 'wrong_round' });
    expect(res.json().results[0].message).toContain(`another round (${roundId})`);
  });

  it('refuses invalid and expired person codes before looking anything up', async () => {
    const forged = scan(S.extraFirst + 22, 'T-CODES');
    forged.personCode = forged.personCode.slice(0, -4) + 'AAAA';
    const expired = {
      ...scan(S.extraFirst + 23, 'T-CODES'),
      personCode: codeOf(ctx, S.extraFirst + 23, FIXTURE.districtA, -1000),
    };
    const garbage = { ...scan(S.extraFirst + 24, 'T-CODES'), personCode: 'hello' };
    const res = await post({ roundId, siteId: S.siteA, scans: [forged, expired, garbage] });
    expect(res.json().results.map((r: { code: string }) => r.code)).toEqual([
      'invalid_person_code',
      'expired_person_code',
      'invalid_person_code',
    ]);
    expect(
      await ctx.store.db.selectFrom('tubes').select('id').where('barcode', '=', 'T-CODES').execute(),
    ).toHaveLength(0);
  });

  it('keeps couriers out of pools (single tube), and a single scan route answers with the error code', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/scans',
      headers: { ...h.sampler, 'accept-language': 'en' },
      payload: { roundId, siteId: S.siteA, ...scan(FIXTURE.personA1, 'T-POOL20') },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('pool_too_large');
    expect(res.json().error.message).toContain('single tube');
    const single = await app.inject({
      method: 'POST',
      url: '/api/v1/scans',
      headers: h.sampler,
      payload: { roundId, siteId: S.siteA, ...scan(FIXTURE.personA1, 'T-SINGLE', { tubeCapacity: 1 }) },
    });
    expect(single.statusCode, single.body).toBe(201);
    expect(single.json()).toMatchObject({ status: 'accepted', tubeCode: 'T-SINGLE' });
  });

  it('audits every batch in the scans’ own commit, on an intact chain', async () => {
    const records = await ctx.store.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'scans.record')
      .execute();
    expect(records.length).toBeGreaterThanOrEqual(8);
    expect(JSON.parse(records[0].details!)).toMatchObject({ roundId, siteId: S.siteA });
    expect(await verifyAuditLog(ctx)).toMatchObject({ ok: true });
  });

  it('validates the batch and names the field', async () => {
    const res = await post({
      roundId,
      siteId: S.siteA,
      scans: [{ clientId: 'x', personCode: '', tubeCode: 'T', collectedAt: 'now' }],
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.scans.0.clientId', 'body.scans.0.collectedAt']));
  });

  it('lets samplers scan only at their own sites', async () => {
    const res = await post({ roundId, siteId: S.siteB, scans: [scan(S.extraFirst + 30, 'T-B')] });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.details[0].field).toBe('siteId');
    const lab = await post({ roundId, siteId: S.siteA, scans: [scan(S.extraFirst + 30, 'T-B')] }, 'lab');
    expect(lab.statusCode).toBe(403);
  });
});
