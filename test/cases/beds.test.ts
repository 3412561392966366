import type { Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveAssignments, releaseAssignments } from '../../src/store/cases/bed-assignments.ts';
import { takeBedNumbersMany } from '../../src/store/cases/bed-batches.ts';
import { reserveBed, reserveBeds } from '../../src/store/cases/beds.ts';
import type { Database } from '../../src/store/schema.ts';
import { loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { addFacility } from './support.ts';

/**
 * The database's own guarantee, below the services: a reservation is a conditional update, so
 * two transactions racing for the last bed cannot both win, whatever the application read before.
 */
describe.each(testDialects())('bed reservation on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
  });
  afterAll(async () => {
    await ctx.close();
  });

  /**
   * Two transactions racing for the same bed, their results in order. SQLite has one connection
   * and serial writers: the second runs after the first's commit. PostgreSQL: A takes its bed and
   * stays open; B starts meanwhile and waits on A's row lock; A commits 150 ms later, and B then
   * re-checks its condition.
   */
  async function race<T>(take: (trx: Transaction<Database>) => Promise<T>): Promise<[T, T]> {
    if (dialect === 'sqlite') {
      const a = await ctx.store.db.transaction().execute(take);
      const b = await ctx.store.db.transaction().execute(take);
      return [a, b];
    }
    let releaseA!: () => void;
    const aHolds = new Promise<void>((resolve) => (releaseA = resolve));
    let aTook!: () => void;
    const aDidTake = new Promise<void>((resolve) => (aTook = resolve));
    const a = ctx.store.db.transaction().execute(async (trx) => {
      const taken = await take(trx);
      aTook();
      await aHolds;
      return taken;
    });
    await aDidTake;
    const b = ctx.store.db.transaction().execute(take);
    await new Promise((r) => setTimeout(r, 150));
    releaseA();
    return [await a, await b];
  }

  it('numbers beds from 1 and skips the ones held', async () => {
    const f = await addFacility(ctx, { kind: 'quarantine_hotel', beds: [{ bedKind: 'standard', total: 3 }] });
    const claim = (orderId: number) => ({
      facilityId: f.id,
      bedKind: 'standard',
      districtId: f.districtId,
      orderId,
      personId: orderId,
      now: ctx.clock.now(),
    });
    const got = [];
    for (const order of [1, 2, 3, 4]) got.push(await reserveBed(ctx.store.db, claim(order)));
    expect(got).toEqual([1, 2, 3, null]);
    const occupancy = await ctx.store.db
      .selectFrom('bed_occupancy')
      .selectAll()
      .where('facility_id', '=', f.id)
      .executeTakeFirstOrThrow();
    expect(occupancy).toMatchObject({ reserved: 3, occupied: 0 });
    expect(await reserveBed(ctx.store.db, { ...claim(5), bedKind: 'icu' })).toBeNull();
  });

  it('lets only one of two open transactions take the last bed', async () => {
    const f = await addFacility(ctx, { kind: 'quarantine_hotel', beds: [{ bedKind: 'standard', total: 1 }] });
    const claim = (orderId: number) => ({
      facilityId: f.id,
      bedKind: 'standard',
      districtId: f.districtId,
      orderId,
      personId: orderId,
      now: ctx.clock.now(),
    });
    let next = 21;
    expect(await race((trx) => reserveBed(trx, claim(next++)))).toEqual([1, null]);
    const live = await ctx.store.db
      .selectFrom('bed_assignments')
      .selectAll()
      .where('facility_id', '=', f.id)
      .where('released_at', 'is', null)
      .execute();
    expect(live.map((x) => x.order_id)).toEqual([21]);
  });

  it('takes the beds of many pools at once, each pool all or none', async () => {
    const f = await addFacility(ctx, {
      kind: 'designated_hospital',
      beds: [
        { bedKind: 'standard', total: 70 },
        { bedKind: 'icu', total: 2 },
        { bedKind: 'negative_pressure', total: 5 },
      ],
    });
    const pool = (bedKind: string) => ({ facilityId: f.id, bedKind, districtId: f.districtId });
    const counters = async () =>
      ctx.store.db
        .selectFrom('bed_occupancy')
        .select(['bed_kind', 'reserved'])
        .where('facility_id', '=', f.id)
        .orderBy('bed_kind')
        .execute();
    // Standard beds 1–66 held, then 1 and 2 freed: the next six wrap past the last bed.
    const held = Array.from({ length: 66 }, (_, i) => ({ orderId: 1000 + i, personId: 1000 + i }));
    expect(await reserveBeds(ctx.store.db, pool('standard'), held, ctx.clock.now())).toHaveLength(66);
    await releaseAssignments(
      ctx.store.db,
      await liveAssignments(ctx.store.db, [1000, 1001]),
      ctx.clock.now(),
    );
    expect(await reserveBed(ctx.store.db, { ...pool('icu'), orderId: 2000, personId: 2000, now: 0 })).toBe(1);

    const got = await takeBedNumbersMany(ctx.store.db, [
      { ...pool('standard'), count: 6 },
      // One icu bed is left: two wanted, so none taken and the counter stays.
      { ...pool('icu'), count: 2 },
      // No counter row yet: made on first use.
      { ...pool('negative_pressure'), count: 2 },
      { ...pool('ward'), count: 1 },
    ]);
    expect(got).toEqual([[67, 68, 69, 70, 1, 2], null, [1, 2], null]);
    expect(await counters()).toEqual([
      { bed_kind: 'icu', reserved: 1 },
      { bed_kind: 'negative_pressure', reserved: 2 },
      { bed_kind: 'standard', reserved: 70 },
    ]);
    // Each pool's cursor moved past its last number: the next numbers follow on.
    expect(await takeBedNumbersMany(ctx.store.db, [{ ...pool('negative_pressure'), count: 1 }])).toEqual([
      [3],
    ]);
  });

  it('lets only one of two open batches take the last bed of a pool', async () => {
    const f = await addFacility(ctx, { kind: 'quarantine_hotel', beds: [{ bedKind: 'standard', total: 1 }] });
    const want = [{ facilityId: f.id, bedKind: 'standard', districtId: f.districtId, count: 1 }];
    // A counter row to race on (a first reservation makes it), the bed free again.
    expect(await reserveBed(ctx.store.db, { ...want[0], orderId: 30, personId: 30, now: 0 })).toBe(1);
    await releaseAssignments(ctx.store.db, await liveAssignments(ctx.store.db, [30]), 0);
    expect(await race((trx) => takeBedNumbersMany(trx, want))).toEqual([[[1]], [null]]);
  });
});
