import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeSeverity } from '../../src/app/cases/case-commands.ts';
import { setBedsFor } from '../../src/app/cases/facility-commands.ts';
import { BED_SHORTAGE_RULE } from '../../src/app/cases/monitoring.ts';
import { allocateFor, allocateManyFor, dispatchFor } from '../../src/app/cases/transfer-commands.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { addFacility, addPeople, addTransportTeam, HOUR, P, PEOPLE_A, publishPositive } from './support.ts';

describe.each(testDialects())('shortage alerts, fleets and severity on %s', (dialect) => {
  let ctx: TestContext;
  const TEAM = 904;
  const now = () => ctx.clock.now();
  const newOrders = async (n: number) => {
    const people = await addPeople(ctx, n, PEOPLE_A);
    for (const p of people) {
      await publishPositive(ctx, {
        personId: p,
        tubeCode: `F${p}`,
        sampledAt: now() - 3 * HOUR,
        resultedAt: now() - HOUR,
      });
    }
    return Promise.all(
      people.map((p) =>
        ctx.store.db
          .selectFrom('transfer_orders')
          .selectAll()
          .where('person_id', '=', p)
          .executeTakeFirstOrThrow(),
      ),
    );
  };
  const shortage = () =>
    ctx.store.db.selectFrom('alerts').selectAll().where('rule', '=', BED_SHORTAGE_RULE).execute();

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    await addTransportTeam(ctx, TEAM);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('raises a bed-shortage alert for orders nobody can place, and resolves it once they have beds', async () => {
    const orders = await newOrders(2);
    expect(orders.every((o) => o.unplaced_at != null)).toBe(true);
    await ctx.events.drain();
    let alerts = await shortage();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      subject_id: `${FIXTURE.districtA}:case_asymptomatic`,
      level: 'critical',
      resolved_at: null,
      district_id: FIXTURE.districtA,
    });
    expect(JSON.parse(alerts[0].details)).toMatchObject({ unplacedOrders: 2 });

    const shelter = await addFacility(ctx, {
      kind: 'shelter_hospital',
      beds: [{ bedKind: 'standard', total: 0 }],
    });
    await setBedsFor(ctx, P.districtA, shelter.id, [{ bedKind: 'standard', total: 1 }]);
    const first = await allocateManyFor(ctx, P.districtA, { orderIds: orders.map((o) => o.id) });
    expect([first.allocated.length, first.unplaced.length]).toEqual([1, 1]);
    await ctx.events.drain();
    alerts = await shortage();
    expect(alerts[0].resolved_at).toBeNull();
    expect(JSON.parse(alerts[0].details)).toMatchObject({ unplacedOrders: 1 });

    await expect(
      setBedsFor(ctx, P.districtA, shelter.id, [{ bedKind: 'standard', total: 0 }]),
    ).rejects.toMatchObject({ code: 'conflict', details: [{ field: 'beds.0.total' }] });
    await setBedsFor(ctx, P.districtA, shelter.id, [{ bedKind: 'standard', total: 4 }]);
    await allocateManyFor(ctx, P.districtA, { orderIds: first.unplaced.map((o) => o.id) });
    await ctx.events.drain();
    alerts = await shortage();
    expect(alerts[0].resolved_at).not.toBeNull();
  });

  it('dispatches a fleet at once, each order in its own vehicle', async () => {
    await addFacility(ctx, { kind: 'shelter_hospital', beds: [{ bedKind: 'standard', total: 10 }] });
    const orders = await newOrders(3);
    await allocateManyFor(ctx, P.districtA, { orderIds: orders.map((o) => o.id) });
    const [a, b, c] = orders.map((o) => o.id);
    await expect(
      dispatchFor(ctx, P.districtA, [a, b, c], {
        transportOrgId: TEAM,
        vehicles: [
          { vehicle: 'V1', orderIds: [a, b] },
          { vehicle: 'V2', orderIds: [b, c] },
        ],
      }),
    ).rejects.toMatchObject({
      details: [{ field: 'vehicles.1.orderIds' }],
    });
    await expect(
      dispatchFor(ctx, P.districtA, [a, b, c], {
        transportOrgId: TEAM,
        vehicles: [{ vehicle: 'V1', orderIds: [a] }],
      }),
    ).rejects.toMatchObject({ details: [{ field: 'vehicles' }] });
    await expect(dispatchFor(ctx, P.districtA, [a], { transportOrgId: TEAM })).rejects.toMatchObject({
      details: [{ field: 'vehicle' }],
    });
    const moved = await dispatchFor(ctx, P.districtA, [a, b, c], {
      transportOrgId: TEAM,
      vehicles: [
        { vehicle: 'V1', orderIds: [a, b] },
        { vehicle: 'V2', orderIds: [c] },
      ],
    });
    expect(moved.map((o) => [o.id, o.vehicle, o.status])).toEqual([
      [a, 'V1', 'dispatched'],
      [b, 'V1', 'dispatched'],
      [c, 'V2', 'dispatched'],
    ]);
  });

  it('moves a case to a hospital need when assessed severe, giving back a shelter bed already reserved', async () => {
    await addFacility(ctx, {
      kind: 'designated_hospital',
      beds: [
        { bedKind: 'ward', total: 2 },
        { bedKind: 'icu', total: 1 },
      ],
    });
    const [waiting, allocated] = await newOrders(2);
    await allocateFor(ctx, P.districtA, allocated.id, {});
    await changeSeverity(ctx, P.districtA, waiting.case_id!, 'severe', '呼吸困难 dyspnoea');
    await changeSeverity(ctx, P.districtA, allocated.case_id!, 'critical', '需要呼吸机 ventilation');
    const after = await ctx.store.db
      .selectFrom('transfer_orders')
      .selectAll()
      .where('id', 'in', [waiting.id, allocated.id])
      .orderBy('id')
      .execute();
    expect(after.map((o) => [o.need, o.status, o.bed_no])).toEqual([
      ['case_severe', 'waiting', null],
      ['case_critical', 'waiting', null],
    ]);
    const reallocated = await allocateFor(ctx, P.districtA, allocated.id, {});
    expect(reallocated.bed_kind).toBe('icu');
    await expect(changeSeverity(ctx, P.districtA, waiting.case_id!, 'severe', '')).rejects.toMatchObject({
      details: [{ field: 'reason' }],
    });
    await expect(
      changeSeverity(ctx, P.districtB, waiting.case_id!, 'mild', 'wrong district'),
    ).rejects.toMatchObject({ code: 'out_of_scope' });
  });
});
