import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admitFor } from '../../src/app/cases/facility-commands.ts';
import {
  allocateFor,
  allocateManyFor,
  arriveFor,
  cancelFor,
  dispatchFor,
  orderDetailFor,
  pickUpFor,
} from '../../src/app/cases/transfer-commands.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import {
  addFacility,
  addPeople,
  addTransportTeam,
  facilityStaff,
  HOUR,
  P,
  PEOPLE_A,
  publishPositive,
  transportCrew,
} from './support.ts';

describe.each(testDialects())('transfer refusals on %s', (dialect) => {
  let ctx: TestContext;
  const TEAM = 905;
  const now = () => ctx.clock.now();
  const orderOf = async (personId: number) =>
    ctx.store.db
      .selectFrom('transfer_orders')
      .selectAll()
      .where('person_id', '=', personId)
      .where('status', '!=', 'cancelled')
      .executeTakeFirstOrThrow();
  const newCases = async (n: number) => {
    const people = await addPeople(ctx, n, PEOPLE_A);
    for (const p of people) {
      await publishPositive(ctx, {
        personId: p,
        tubeCode: `T${p}`,
        sampledAt: now() - 3 * HOUR,
        resultedAt: now() - HOUR,
      });
    }
    return Promise.all(people.map(orderOf));
  };
  const liveBeds = (facilityId: number) =>
    ctx.store.db
      .selectFrom('bed_assignments')
      .select(['bed_no', 'order_id', 'status'])
      .where('facility_id', '=', facilityId)
      .where('released_at', 'is', null)
      .orderBy('bed_no')
      .execute();

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    await addTransportTeam(ctx, TEAM);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('refuses bad input and changes nothing', async () => {
    const hotel = await addFacility(ctx, {
      kind: 'quarantine_hotel',
      name: '锦江隔离酒店',
      beds: [{ bedKind: 'standard', total: 5 }],
    });
    const shelter = await addFacility(ctx, {
      kind: 'shelter_hospital',
      name: '新方舱',
      beds: [{ bedKind: 'standard', total: 5 }],
    });
    const [a, b] = await newCases(2);
    const snapshot = async () =>
      JSON.stringify(
        await ctx.store.db
          .selectFrom('transfer_orders')
          .selectAll()
          .where('id', 'in', [a.id, b.id])
          .orderBy('id')
          .execute(),
      );
    const before = await snapshot();
    // Unknown facility.
    await expect(allocateFor(ctx, P.districtA, a.id, { facilityId: 424242 })).rejects.toMatchObject({
      code: 'not_found',
      details: [{ field: 'facilityId' }],
    });
    // A facility that does not admit cases, without a reason.
    await expect(allocateFor(ctx, P.districtA, a.id, { facilityId: hotel.id })).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'overrideReason' }],
    });
    // Admission without a transfer order, and of an order that has not arrived.
    const staff = facilityStaff(shelter.organisationId);
    await expect(admitFor(ctx, staff, shelter.id, [{ orderId: 987654 }])).rejects.toMatchObject({
      code: 'not_found',
      details: [{ field: 'orders.0.orderId' }],
    });
    await allocateFor(ctx, P.districtA, a.id, { facilityId: shelter.id });
    await allocateFor(ctx, P.districtA, b.id, { facilityId: shelter.id });
    await expect(admitFor(ctx, staff, shelter.id, [{ orderId: a.id }])).rejects.toMatchObject({
      code: 'conflict',
      details: [{ field: 'orders.0.orderId' }],
    });
    // Dispatch with an unknown team, or a missing vehicle.
    await expect(
      dispatchFor(ctx, P.districtA, [a.id], { transportOrgId: 5555, vehicle: 'X' }),
    ).rejects.toMatchObject({ details: [{ field: 'transportOrgId' }] });
    await expect(
      dispatchFor(ctx, P.districtA, [a.id], { transportOrgId: TEAM, vehicle: ' ' }),
    ).rejects.toMatchObject({ details: [{ field: 'vehicle' }] });
    // Out of scope: another district's user, another team's crew.
    await expect(allocateFor(ctx, P.districtB, a.id, {})).rejects.toMatchObject({ code: 'out_of_scope' });
    await expect(pickUpFor(ctx, transportCrew(TEAM), [a.id])).rejects.toMatchObject({ code: 'out_of_scope' });
    const afterAllocation = await snapshot();
    expect(afterAllocation).not.toBe(before);

    // Bed already taken: both arrive, the second asks for the first one's bed.
    await dispatchFor(ctx, P.districtA, [a.id, b.id], { transportOrgId: TEAM, vehicle: '沪B·1' });
    await pickUpFor(ctx, transportCrew(TEAM), [a.id, b.id]);
    await arriveFor(ctx, transportCrew(TEAM), [a.id, b.id]);
    const orders = await ctx.store.db
      .selectFrom('transfer_orders')
      .selectAll()
      .where('id', 'in', [a.id, b.id])
      .orderBy('id')
      .execute();
    const beforeAdmission = await snapshot();
    await expect(
      admitFor(ctx, staff, shelter.id, [{ orderId: a.id }, { orderId: b.id, bedNo: orders[0].bed_no! }]),
    ).rejects.toMatchObject({ code: 'bed_taken', details: [{ field: 'orders.1.bedNo' }] });
    await expect(admitFor(ctx, staff, shelter.id, [{ orderId: a.id, bedNo: 99 }])).rejects.toMatchObject({
      details: [{ field: 'orders.0.bedNo' }],
    });
    expect(await snapshot()).toBe(beforeAdmission);
    expect(
      await ctx.store.db.selectFrom('admissions').selectAll().where('order_id', 'in', [a.id, b.id]).execute(),
    ).toHaveLength(0);
    // Another free bed may be named.
    const admitted = await admitFor(ctx, staff, shelter.id, [{ orderId: a.id }, { orderId: b.id, bedNo: 5 }]);
    expect(admitted.map((x) => x.bed_no)).toEqual([orders[0].bed_no, 5]);
    const stored = await ctx.store.db
      .selectFrom('transfer_orders')
      .select('bed_no')
      .where('id', '=', b.id)
      .executeTakeFirstOrThrow();
    expect(stored.bed_no).toBe(5);
  });
});
