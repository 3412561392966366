import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inTransaction } from '../../src/app/context.ts';
import type { OverviewArea, SectionSource } from '../../src/api/overview/area.ts';
import { cached } from '../../src/api/overview/sections/cache.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, type TestContext } from '../support/harness.ts';

/** The overview's per-region section cache: events that concern a region and section, and time. */
describe('overview section cache', () => {
  let ctx: TestContext;
  let counted = 0;
  const source: SectionSource<'zones'> = {
    key: 'zones',
    async compute() {
      counted++;
      return { data: { sealed: counted, controlled: 0, precaution: 0 } };
    },
  };
  const section = cached(source, { changedBy: ['zone.'], maxAgeMs: 10_000 });
  const area = (regionId: number): OverviewArea => ({
    region: ctx.regions.get(regionId)!,
    children: ctx.regions.childrenOf(regionId),
    filterColumn: null,
    childColumn: null,
    now: ctx.clock.now(),
    today: '2022-04-13',
  });
  const publish = async (type: string, regionIds: number[]) => {
    await inTransaction(ctx, async (uow) =>
      uow.publish({ type, occurredAt: uow.now, regionIds, payload: {} }),
    );
    await ctx.events.drain();
  };

  beforeAll(async () => {
    ctx = await openTestContext('sqlite');
    await loadFixture(ctx);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('serves the kept answer until an event concerning the region and the section arrives', async () => {
    expect((await section.compute(ctx, area(FIXTURE.districtA))).data.sealed).toBe(1);
    expect((await section.compute(ctx, area(FIXTURE.districtA))).data.sealed).toBe(1);
    await publish('alert.opened', [FIXTURE.streetA1]);
    expect((await section.compute(ctx, area(FIXTURE.districtA))).data.sealed).toBe(1);
    await publish('zone.changed', [FIXTURE.streetB1]);
    expect((await section.compute(ctx, area(FIXTURE.districtA))).data.sealed).toBe(1);
    await publish('zone.changed', [FIXTURE.streetA1]);
    expect((await section.compute(ctx, area(FIXTURE.districtA))).data.sealed).toBe(2);
  });

  it('recounts for everyone on an event addressed to the city alone (clock, rule set)', async () => {
    const before = (await section.compute(ctx, area(FIXTURE.districtB))).data.sealed;
    await publish('zone.changed', [FIXTURE.city]);
    expect((await section.compute(ctx, area(FIXTURE.districtB))).data.sealed).toBeGreaterThan(before);
  });

  it('keeps a heavy section off the request path: the kept answer, marked, while it recounts', async () => {
    let heavyCounts = 0;
    const heavy = cached(
      {
        key: 'coverage',
        compute: async () => ({ data: { round: null, expected: ++heavyCounts, sampled: 0 } }),
      },
      { changedBy: ['round.'], maxAgeMs: 60_000, minRecountMs: 5_000 },
    );
    expect((await heavy.compute(ctx, area(FIXTURE.districtA))).data.expected).toBe(1);
    await publish('round.created', [FIXTURE.districtA]);
    const marked = await heavy.compute(ctx, area(FIXTURE.districtA));
    expect(marked).toMatchObject({ refreshing: true, data: { expected: 1 } });
    ctx.clock.advance(6_000);
    expect((await heavy.compute(ctx, area(FIXTURE.districtA))).refreshing).toBe(true);
    await vi.waitFor(async () =>
      expect((await heavy.compute(ctx, area(FIXTURE.districtA))).refreshing).toBeUndefined(),
    );
    expect((await heavy.compute(ctx, area(FIXTURE.districtA))).data.expected).toBe(2);
    // A clock jump drops everything kept: the next request counts afresh.
    await publish('clock.set', [FIXTURE.city]);
    expect((await heavy.compute(ctx, area(FIXTURE.districtA))).data.expected).toBe(3);
  });

  it('refreshes a light section in the background while a heavy recount is still running', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let heavyCounts = 0;
    const heavy = cached(
      {
        key: 'stages',
        async compute() {
          if (++heavyCounts > 1) await gate;
          return { data: { stages: [] } };
        },
      },
      { changedBy: ['box.'], maxAgeMs: 60_000, minRecountMs: 1_000 },
    );
    let lightCounts = 0;
    const light = cached(
      {
        key: 'transfers',
        compute: async () => ({
          data: {
            waiting: ++lightCounts,
            confirmedToday: 0,
            admittedSameDay: 0,
            sameDayShare: null,
            waitP90Minutes: null,
          },
        }),
      },
      { changedBy: ['transfer.'], maxAgeMs: 10_000 },
    );
    await heavy.compute(ctx, area(FIXTURE.streetB1));
    expect((await light.compute(ctx, area(FIXTURE.streetB1))).data.waiting).toBe(1);
    await publish('box.dispatched', [FIXTURE.streetB1]);
    ctx.clock.advance(15_000);
    // The heavy section's recount starts in the background and does not finish (the gate).
    expect((await heavy.compute(ctx, area(FIXTURE.streetB1))).refreshing).toBe(true);
    // The light one is old: its kept answer now, and its own recount is not queued behind the heavy one.
    expect((await light.compute(ctx, area(FIXTURE.streetB1))).data.waiting).toBe(1);
    // Polled, not slept on: a loaded machine may take longer than any fixed wait.
    await vi.waitFor(async () =>
      expect((await light.compute(ctx, area(FIXTURE.streetB1))).data.waiting).toBe(2),
    );
    expect(heavyCounts).toBe(2);
    release();
    await vi.waitFor(async () =>
      expect((await heavy.compute(ctx, area(FIXTURE.streetB1))).refreshing).toBeUndefined(),
    );
  });

  it('refreshes in the background once old, and waits for a fresh count once far too old', async () => {
    const first = (await section.compute(ctx, area(FIXTURE.districtA))).data.sealed;
    ctx.clock.advance(15_000);
    // Old: the kept answer now, a recount behind it.
    expect((await section.compute(ctx, area(FIXTURE.districtA))).data.sealed).toBe(first);
    await vi.waitFor(async () =>
      expect((await section.compute(ctx, area(FIXTURE.districtA))).data.sealed).toBe(first + 1),
    );
    const refreshed = first + 1;
    ctx.clock.advance(3_600_000);
    expect((await section.compute(ctx, area(FIXTURE.districtA))).data.sealed).toBe(refreshed + 1);
  });
});
