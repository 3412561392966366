import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateManyFor, dispatchFor } from '../../src/app/cases/transfer-commands.ts';
import { idChunks } from '../../src/store/cases/db.ts';
import { loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { addFacility, addPeople, addTransportTeam, HOUR, P, PEOPLE_A, publishPositive } from './support.ts';

/**
 * The set-based writes of a batch: every pool's bed rows and every order's placement go out in
 * one statement per chunk (CASE on the id), with id lists padded to a few statement shapes.
 */
describe('idChunks', () => {
  it('pads each chunk to a power of two by repeating its last id, once per distinct id', () => {
    expect(idChunks([3, 1, 3, 2])).toEqual([[3, 1, 2, 2, 2, 2, 2, 2]]);
    const chunks = idChunks(Array.from({ length: 600 }, (_, i) => i + 1));
    expect(chunks.map((c) => c.length)).toEqual([512, 128]);
    expect(new Set(chunks.flat()).size).toBe(600);
    expect(idChunks([])).toEqual([]);
  });
});

describe.each(testDialects())('batch writes on %s', (dialect) => {
  let ctx: TestContext;
  const TEAM = 907;
  const now = () => ctx.clock.now();
  const newOrders = async (n: number) => {
    const people = await addPeople(ctx, n, PEOPLE_A);
    for (const p of people) {
      await publishPositive(ctx, {
        personId: p,
        tubeCode: `B${p}`,
        sampledAt: now() - 3 * HOUR,
        resultedAt: now() - HOUR,
      });
    }
    return ctx.store.db
      .selectFrom('transfer_orders')
      .selectAll()
      .where('person_id', 'in', people)
      .orderBy('id')
      .execute();
  };
  const state = async () =>
    JSON.stringify([
      await ctx.store.db.selectFrom('transfer_orders').selectAll().orderBy('id').execute(),
      await ctx.store.db.selectFrom('bed_assignments').selectAll().orderBy('id').execute(),
      await ctx.store.db.selectFrom('bed_occupancy').selectAll().orderBy('facility_id').execute(),
      await ctx.store.db.selectFrom('cases').select(['id', 'state']).orderBy('id').execute(),
    ]);

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    await addTransportTeam(ctx, TEAM);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('writes each order the bed reserved for it when a batch spreads over several pools', async () => {
    const first = await addFacility(ctx, {
      kind: 'shelter_hospital',
      name: '批量方舱一',
      beds: [{ bedKind: 'standard', total: 4 }],
    });
    const second = await addFacility(ctx, {
      kind: 'shelter_hospital',
      name: '批量方舱二',
      beds: [{ bedKind: 'standard', total: 20 }],
      lng: 121.9,
      lat: 31.9,
    });
    const orders = await newOrders(11);
    const result = await allocateManyFor(ctx, P.city, { orderIds: orders.map((o) => o.id) });
    expect(result.allocated).toHaveLength(11);
    const rows = await ctx.store.db
      .selectFrom('transfer_orders as o')
      .innerJoin('bed_assignments as a', (j) => j.onRef('a.order_id', '=', 'o.id'))
      .select([
        'o.id',
        'o.status',
        'o.facility_id',
        'o.proposed_facility_id',
        'o.facility_district_id',
        'o.bed_kind',
        'o.bed_no',
        'a.facility_id as held_facility',
        'a.district_id as held_district',
        'a.bed_kind as held_kind',
        'a.bed_no as held_no',
      ])
      .where('a.released_at', 'is', null)
      .where(
        'o.id',
        'in',
        orders.map((o) => o.id),
      )
      .execute();
    expect(rows).toHaveLength(11);
    for (const r of rows) {
      expect(r).toMatchObject({
        status: 'allocated',
        facility_id: r.held_facility,
        proposed_facility_id: r.held_facility,
        facility_district_id: r.held_district,
        bed_kind: r.held_kind,
        bed_no: r.held_no,
      });
    }
    const used = new Set(rows.map((r) => r.facility_id));
    expect(used).toEqual(new Set([first.id, second.id]));
    const held = rows.map((r) => `${r.held_facility}:${r.held_no}`);
    expect(new Set(held).size).toBe(held.length);
    // The returned rows say the same as the database.
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const o of result.allocated) expect(o.bed_no).toBe(byId.get(o.id)!.bed_no);
  });

  it('refuses a batch that names an order out of step, and changes nothing', async () => {
    await addFacility(ctx, {
      kind: 'shelter_hospital',
      name: '批量方舱三',
      beds: [{ bedKind: 'standard', total: 10 }],
    });
    const orders = await newOrders(3);
    const [moved] = (await allocateManyFor(ctx, P.city, { orderIds: [orders[0].id] })).allocated;
    await dispatchFor(ctx, P.city, [moved.id], { transportOrgId: TEAM, vehicle: '沪B·00001' });
    const before = await state();
    await expect(
      allocateManyFor(ctx, P.city, { orderIds: [orders[1].id, orders[0].id, orders[2].id] }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      allocateManyFor(ctx, P.city, { orderIds: [orders[1].id, orders[1].id] }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await state()).toBe(before);
  });
});
