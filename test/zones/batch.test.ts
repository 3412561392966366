import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/app/access/tokens.ts';
import { buildServer, type CordonApp } from '../../src/api/server.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { at, commandA, zoneEpisodes } from './helpers.ts';

/**
 * POST /zones/designations/batch: a district's places at once, all or nothing, with the same
 * outcome per place as the single route, and nothing changed by a retry.
 */
const city: Principal = {
  userId: 921,
  username: 'city',
  role: 'city_command',
  scope: { kind: 'region', regionId: FIXTURE.city },
};
const ITEMS = [
  { placeId: FIXTURE.compoundA, level: 'sealed', reason: '全域静态管理 lockdown of the district' },
  { placeId: FIXTURE.buildingB1, level: 'controlled', reason: '全域静态管理 lockdown of the district' },
];

interface Server {
  ctx: TestContext;
  app: CordonApp;
}

async function open(dialect: Parameters<typeof openTestContext>[0]): Promise<Server> {
  const ctx = await openTestContext(dialect, {
    now: at('2022-04-13'),
    config: { ruleSet: 'shanghai-2022-04-11' },
  });
  await loadFixture(ctx);
  return { ctx, app: await buildServer(ctx) };
}

function post(s: Server, who: Principal, url: string, payload: unknown) {
  return s.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: { authorization: `Bearer ${issueToken(s.ctx.secrets.tokenKey, who, s.ctx.clock.now())}` },
    payload: payload as object,
  });
}

/** What a designation leaves behind, without ids: places, episodes, orders, history and events. */
async function footprint(ctx: TestContext) {
  await ctx.events.drain();
  const db = ctx.store.db;
  const designations = await db
    .selectFrom('zone_designations')
    .select(['place_id', 'level', 'phase', 'period_start_day', 'level_since_at'])
    .orderBy('place_id')
    .execute();
  const orders = await db
    .selectFrom('test_orders')
    .select(['person_id', 'reason', 'due_at', 'source_type', 'source_id', 'status'])
    .orderBy('person_id')
    .orderBy('source_id')
    .execute();
  const changes = await db
    .selectFrom('zone_changes')
    .select(['place_id', 'change', 'to_level', 'reason', 'username'])
    .orderBy('place_id')
    .execute();
  const events = await db.selectFrom('events').select(['type', 'person_id']).execute();
  const eventCounts: Record<string, number> = {};
  for (const e of events) {
    const key = `${e.type}:${e.person_id ?? ''}`;
    eventCounts[key] = (eventCounts[key] ?? 0) + 1;
  }
  return { designations, episodes: await zoneEpisodes(ctx), orders, changes, eventCounts };
}

describe.each(testDialects())('batch designations on %s', (dialect) => {
  let batch: Server;
  let single: Server;

  beforeAll(async () => {
    batch = await open(dialect);
    single = await open(dialect);
  });
  afterAll(async () => {
    for (const s of [batch, single]) {
      await s.app.close();
      await s.ctx.close();
    }
  });

  it('refuses a batch with one bad item, naming it, and writes nothing', async () => {
    const empty = await footprint(batch.ctx);
    const unknown = await post(batch, city, '/zones/designations/batch', {
      items: [...ITEMS, { placeId: 987654, level: 'sealed', reason: 'no such place here' }],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].field).toBe('items.2.placeId');
    const badLevel = await post(batch, city, '/zones/designations/batch', {
      items: [ITEMS[0], { ...ITEMS[1], level: 'locked' }],
    });
    expect(badLevel.statusCode).toBe(400);
    expect(badLevel.json().error.details[0].field).toContain('items.1.level');
    const badPhase = await post(batch, city, '/zones/designations/batch', {
      items: [ITEMS[0], { ...ITEMS[1], phase: 'closed' }],
    });
    expect(badPhase.statusCode).toBe(400);
    expect(badPhase.json().error.details[0].field).toBe('items.1.phase');
    expect(await footprint(batch.ctx)).toEqual(empty);
  });

  it('refuses a district user a place outside its district, and writes nothing', async () => {
    const empty = await footprint(batch.ctx);
    const res = await post(batch, commandA, '/zones/designations/batch', { items: ITEMS });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.details[0].field).toBe('items.1.placeId');
    expect(await footprint(batch.ctx)).toEqual(empty);
  });

  it('designates every place, and residents get what the single route gives them', async () => {
    const res = await post(batch, city, '/zones/designations/batch', { items: ITEMS });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ changed: 2, unchanged: 0 });
    for (const item of ITEMS) {
      expect((await post(single, city, '/zones/designations', item)).statusCode).toBe(201);
    }
    const got = await footprint(batch.ctx);
    expect(got).toEqual(await footprint(single.ctx));
    expect(got.episodes).toEqual({
      [FIXTURE.personA1]: 'sealed_residence',
      [FIXTURE.personA2]: 'sealed_residence',
      [FIXTURE.personA3]: 'sealed_residence',
      [FIXTURE.personB1]: 'controlled_residence',
      [FIXTURE.personB2]: 'controlled_residence',
    });
    // 04-11's controlled way out needs everyone negative on day 6: the controlled place's residents.
    expect(got.orders.map((o) => [o.person_id, o.source_type])).toEqual([
      [FIXTURE.personB1, 'zone.day_test'],
      [FIXTURE.personB2, 'zone.day_test'],
    ]);
  });

  it('changes nothing when the same batch is sent again', async () => {
    const before = await footprint(batch.ctx);
    batch.ctx.clock.set(at('2022-04-14'));
    const res = await post(batch, city, '/zones/designations/batch', { items: ITEMS });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ changed: 0, unchanged: 2 });
    expect(res.json().items.map((i: { changed: boolean }) => i.changed)).toEqual([false, false]);
    expect(await footprint(batch.ctx)).toEqual(before);
  });
});
