import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app/context.ts';
import {
  activeEpisodes,
  endEpisode,
  endEpisodesBySource,
  openEpisode,
  openEpisodes,
  peopleUnderControl,
} from '../../src/app/kernel/control-episodes.ts';
import {
  controlKindsAt,
  isUnderControlAt,
  type ControlEpisode,
} from '../../src/domain/kernel/control-episodes.ts';
import { COMMUNITY_APRIL_2022, COMMUNITY_MAY_2022 } from '../../src/domain/rules/sets/common.ts';
import { FIXTURE } from '../support/fixture.ts';
import { loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

const H = 3600_000;

describe('control episodes (pure)', () => {
  const t0 = Date.parse('2022-04-13T02:00:00Z');
  const ep = (kind: ControlEpisode['kind'], from: number, until: number | null) => ({ kind, from, until });

  it('is under control in [from, until) for the kinds that count', () => {
    const episodes = [ep('controlled_residence', t0, null), ep('pool_hold', t0, t0 + 24 * H)];
    expect(isUnderControlAt(episodes, t0 - 1)).toBe(false);
    expect(isUnderControlAt(episodes, t0)).toBe(true);
    expect(controlKindsAt(episodes, t0 + H)).toEqual(['controlled_residence', 'pool_hold']);
    // After the pool hold ends, only controlled residence remains: inside control in April, community in May.
    expect(isUnderControlAt(episodes, t0 + 24 * H, COMMUNITY_APRIL_2022.insideControlKinds)).toBe(true);
    expect(isUnderControlAt(episodes, t0 + 24 * H, COMMUNITY_MAY_2022.insideControlKinds)).toBe(false);
  });
});

describe.each(testDialects())('control episodes on %s', (dialect) => {
  let ctx: TestContext;
  const pool = { type: 'pool', id: 'T-0001' };
  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
  });
  afterAll(async () => {
    await ctx.close();
  });

  const eventsOf = async (type: string) =>
    (
      await ctx.store.db.selectFrom('events').selectAll().where('type', '=', type).orderBy('id').execute()
    ).map((e) => ({
      personId: e.person_id,
      regionIds: (JSON.parse(e.region_ids) as number[]).sort((a, b) => a - b),
      payload: JSON.parse(e.payload) as Record<string, unknown>,
    }));

  it('opens once per (person, kind, source) and publishes control.started to the person’s regions', async () => {
    const first = await inTransaction(ctx, (uow) =>
      openEpisodes(uow, [
        { personId: FIXTURE.personA1, kind: 'pool_hold', source: pool },
        { personId: FIXTURE.personA2, kind: 'pool_hold', source: pool },
        { personId: FIXTURE.personA2, kind: 'pool_hold', source: pool },
      ]),
    );
    expect(first.map((o) => o.created)).toEqual([true, true, false]);
    expect(first[1].episode.id).toBe(first[2].episode.id);
    const again = await inTransaction(ctx, (uow) =>
      openEpisode(uow, { personId: FIXTURE.personA1, kind: 'pool_hold', source: pool }),
    );
    expect(again).toMatchObject({ created: false, episode: { id: first[0].episode.id } });
    const started = await eventsOf('control.started');
    expect(started).toHaveLength(2);
    expect(started[0]).toMatchObject({
      personId: FIXTURE.personA1,
      payload: { kind: 'pool_hold', source: pool, streetId: FIXTURE.streetA1 },
    });
    expect(started[0].regionIds).toEqual([
      FIXTURE.city,
      FIXTURE.districtA,
      FIXTURE.streetA1,
      FIXTURE.committeeA1,
    ]);
  });

  it('publishes nothing and keeps nothing from a rolled-back transaction', async () => {
    const before = (await eventsOf('control.started')).length;
    await expect(
      inTransaction(ctx, async (uow) => {
        await openEpisode(uow, {
          personId: FIXTURE.personB1,
          kind: 'quarantine',
          source: { type: 'contact', id: 'C-9' },
        });
        throw new Error('transfer failed');
      }),
    ).rejects.toThrow('transfer failed');
    expect((await eventsOf('control.started')).length).toBe(before);
    expect(await activeEpisodes(ctx.store.db, FIXTURE.personB1, ctx.clock.now())).toEqual([]);
  });

  it('lists who is under control in a region, at an instant', async () => {
    const now = ctx.clock.now();
    await inTransaction(ctx, (uow) =>
      openEpisode(uow, {
        personId: FIXTURE.personB1,
        kind: 'quarantine',
        from: now,
        until: now + 7 * 24 * H,
        source: { type: 'contact', id: 'C-1' },
      }),
    );
    expect(await peopleUnderControl(ctx.store.db, ctx.regions, FIXTURE.districtA, now)).toEqual([
      { personId: FIXTURE.personA1, kinds: ['pool_hold'] },
      { personId: FIXTURE.personA2, kinds: ['pool_hold'] },
    ]);
    expect(await peopleUnderControl(ctx.store.db, ctx.regions, FIXTURE.committeeB1, now)).toEqual([
      { personId: FIXTURE.personB1, kinds: ['quarantine'] },
    ]);
    expect(
      await peopleUnderControl(ctx.store.db, ctx.regions, FIXTURE.city, now, ['quarantine']),
    ).toHaveLength(1);
    expect(await peopleUnderControl(ctx.store.db, ctx.regions, FIXTURE.city, now + 8 * 24 * H)).toEqual([
      { personId: FIXTURE.personA1, kinds: ['pool_hold'] },
      { personId: FIXTURE.personA2, kinds: ['pool_hold'] },
    ]);
  });

  it('ends by source with a reason, once: ending again publishes nothing', async () => {
    ctx.clock.advance(6 * H);
    const ended = await inTransaction(ctx, (uow) =>
      endEpisodesBySource(uow, pool, 'single-tube retest negative'),
    );
    expect(ended.map((e) => e.personId).sort()).toEqual([FIXTURE.personA1, FIXTURE.personA2]);
    expect(ended[0]).toMatchObject({ until: ctx.clock.now(), endedReason: 'single-tube retest negative' });
    const twice = await inTransaction(ctx, (uow) => endEpisodesBySource(uow, pool, 'again'));
    expect(twice).toEqual([]);
    const endedEvents = await eventsOf('control.ended');
    expect(endedEvents).toHaveLength(2);
    expect(endedEvents[0].payload).toMatchObject({
      kind: 'pool_hold',
      reason: 'single-tube retest negative',
    });
    expect(await activeEpisodes(ctx.store.db, FIXTURE.personA1, ctx.clock.now())).toEqual([]);
    // Still on record as active during the hold.
    expect(await activeEpisodes(ctx.store.db, FIXTURE.personA1, ctx.clock.now() - H)).toHaveLength(1);
    // Re-opening from the same source does not start a second hold.
    const reopened = await inTransaction(ctx, (uow) =>
      openEpisode(uow, { personId: FIXTURE.personA1, kind: 'pool_hold', source: pool }),
    );
    expect(reopened.created).toBe(false);
  });

  it('ends one episode by id; a planned end already past is left alone', async () => {
    const [q] = await activeEpisodes(ctx.store.db, FIXTURE.personB1, ctx.clock.now());
    const ended = await inTransaction(ctx, (uow) =>
      endEpisode(uow, q.id, 'transferred to a quarantine hotel'),
    );
    expect(ended?.endedReason).toBe('transferred to a quarantine hotel');
    const short = await inTransaction(ctx, (uow) =>
      openEpisode(uow, {
        personId: FIXTURE.personB2,
        kind: 'home_monitoring',
        from: ctx.clock.now() - 4 * H,
        until: ctx.clock.now() - H,
        source: { type: 'contact', id: 'C-2' },
      }),
    );
    expect(await inTransaction(ctx, (uow) => endEpisode(uow, short.episode.id, 'late'))).toBeNull();
    await expect(inTransaction(ctx, (uow) => endEpisode(uow, 999_999, 'x'))).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('refuses an unknown person and a backwards period', async () => {
    await expect(
      inTransaction(ctx, (uow) =>
        openEpisode(uow, { personId: 424242, kind: 'quarantine', source: { type: 'x', id: '1' } }),
      ),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    const now = ctx.clock.now();
    await expect(
      inTransaction(ctx, (uow) =>
        openEpisode(uow, {
          personId: FIXTURE.personA3,
          kind: 'quarantine',
          from: now,
          until: now - 1,
          source: { type: 'x', id: '1' },
        }),
      ),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
