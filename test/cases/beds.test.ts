import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserveBed } from '../../src/store/cases/beds.ts';
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
    if (dialect === 'sqlite') {
      // One connection, serial writers: the second sees the first's commit.
      const a = await ctx.store.db.transaction().execute((trx) => reserveBed(trx, claim(11)));
      const b = await ctx.store.db.transaction().execute((trx) => reserveBed(trx, claim(12)));
      expect([a, b]).toEqual([1, null]);
      return;
    }
    // PostgreSQL: A reserves and stays open; B's conditional update waits on A's row lock and,
    // once A commits, re-checks the condition and updates nothing.
    let releaseA!: () => void;
    const aHolds = new Promise<void>((resolve) => (releaseA = resolve));
    let aReserved!: () => void;
    const aDidReserve = new Promise<void>((resolve) => (aReserved = resolve));
    const a = ctx.store.db.transaction().execute(async (trx) => {
      const bed = await reserveBed(trx, claim(21));
      aReserved();
      await aHolds;
      return bed;
    });
    await aDidReserve;
    const b = ctx.store.db.transaction().execute((trx) => reserveBed(trx, claim(22)));
    await new Promise((r) => setTimeout(r, 150));
    releaseA();
    expect(await a).toBe(1);
    expect(await b).toBeNull();
    const live = await ctx.store.db
      .selectFrom('bed_assignments')
      .selectAll()
      .where('facility_id', '=', f.id)
      .where('released_at', 'is', null)
      .execute();
    expect(live.map((x) => x.order_id)).toEqual([21]);
  });
});
