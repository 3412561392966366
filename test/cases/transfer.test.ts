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

describe.each(testDialects())('transfer and admission on %s', (dialect) => {
  let ctx: TestContext;
  const TEAM = 900;
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

  it('walks an order from allocation to admission, opening an isolation episode', async () => {
    const shelter = await addFacility(ctx, {
      kind: 'shelter_hospital',
      name: '世博方舱',
      beds: [{ bedKind: 'standard', total: 10 }],
    });
    const [order] = await newCases(1);
    expect(order.proposed_facility_id).toBe(shelter.id);
    const detail = await orderDetailFor(ctx, P.districtA, order.id);
    expect(detail.proposals[0]).toMatchObject({
      facilityId: shelter.id,
      bedKind: 'standard',
      sameDistrict: true,
      free: 10,
    });

    const allocated = await allocateFor(ctx, P.districtA, order.id, {});
    expect(allocated).toMatchObject({ status: 'allocated', facility_id: shelter.id, bed_no: 1 });
    ctx.clock.advance(HOUR);
    await dispatchFor(ctx, P.districtA, [order.id], { transportOrgId: TEAM, vehicle: '沪A·12345' });
    const crew = transportCrew(TEAM);
    ctx.clock.advance(HOUR / 2);
    await pickUpFor(ctx, crew, [order.id]);
    ctx.clock.advance(HOUR / 2);
    await arriveFor(ctx, crew, [order.id]);
    const [admission] = await admitFor(ctx, facilityStaff(shelter.organisationId), shelter.id, [
      { orderId: order.id },
    ]);
    expect(admission).toMatchObject({ bed_kind: 'standard', bed_no: 1, kind: 'case' });

    const stored = await ctx.store.db
      .selectFrom('transfer_orders')
      .selectAll()
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'admitted', vehicle: '沪A·12345', transport_org_id: TEAM });
    expect(
      stored.dispatched_at! < stored.picked_up_at! &&
        stored.picked_up_at! < stored.arrived_at! &&
        stored.arrived_at! <= stored.admitted_at!,
    ).toBe(true);
    const c = await ctx.store.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', order.case_id!)
      .executeTakeFirstOrThrow();
    expect(c).toMatchObject({ state: 'admitted', facility_id: shelter.id });
    const episode = await ctx.store.db
      .selectFrom('control_episodes')
      .selectAll()
      .where('id', '=', admission.episode_id!)
      .executeTakeFirstOrThrow();
    expect(episode).toMatchObject({
      kind: 'isolation',
      person_id: order.person_id,
      source_type: 'admission',
      until_at: null,
    });
    const steps = await ctx.store.db
      .selectFrom('state_transitions')
      .select(['to_state', 'actor'])
      .where('subject_type', '=', 'transfer')
      .where('subject_id', '=', order.id)
      .orderBy('id')
      .execute();
    expect(steps.map((s) => s.to_state)).toEqual([
      'waiting',
      'allocated',
      'dispatched',
      'picked_up',
      'arrived',
      'admitted',
    ]);
    expect(steps.map((s) => s.actor)).toEqual([
      'system',
      'huangpu',
      'huangpu',
      `crew-${TEAM}`,
      `crew-${TEAM}`,
      `facility-${shelter.organisationId}`,
    ]);
    const caseSteps = await ctx.store.db
      .selectFrom('state_transitions')
      .select('to_state')
      .where('subject_type', '=', 'case')
      .where('subject_id', '=', c.id)
      .orderBy('id')
      .execute();
    expect(caseSteps.map((s) => s.to_state)).toEqual([
      'reported',
      'awaiting_transfer',
      'in_transfer',
      'admitted',
    ]);
  });

  it('never assigns a bed that is taken, and marks orders unplaced when beds run out', async () => {
    const small = await addFacility(ctx, {
      kind: 'shelter_hospital',
      name: '小方舱',
      districtId: FIXTURE.districtB,
      beds: [{ bedKind: 'standard', total: 3 }],
      lng: 121.0,
      lat: 31.0,
    });
    // Fill the first shelter (9 beds left) and the small one: 12 beds for 14 cases.
    const orders = await newCases(14);
    const result = await allocateManyFor(ctx, P.city, { orderIds: orders.map((o) => o.id) });
    expect(result.allocated).toHaveLength(12);
    expect(result.unplaced).toHaveLength(2);
    const beds = [...(await liveBeds(small.id)), ...(await liveBeds(orders[0].proposed_facility_id!))];
    const keys = beds.map((b) => `${b.order_id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect((await liveBeds(small.id)).map((b) => b.bed_no)).toEqual([1, 2, 3]);
    // Same district first: the district-A shelter filled before the one in district B.
    expect(result.allocated.slice(0, 9).every((o) => o.facility_id === orders[0].proposed_facility_id)).toBe(
      true,
    );
    const unplaced = await ctx.store.db
      .selectFrom('transfer_orders')
      .selectAll()
      .where(
        'id',
        'in',
        result.unplaced.map((o) => o.id),
      )
      .execute();
    expect(unplaced.every((o) => o.status === 'waiting' && o.unplaced_at != null)).toBe(true);
    await expect(allocateFor(ctx, P.districtA, unplaced[0].id, {})).rejects.toMatchObject({
      code: 'no_free_bed',
    });
  });

  it('gives the last bed to one of two concurrent allocations only', async () => {
    const last = await addFacility(ctx, {
      kind: 'observation_point',
      name: '最后一间',
      beds: [{ bedKind: 'standard', total: 1 }],
    });
    const contacts = await addPeople(ctx, 2, PEOPLE_A);
    const { inTransaction } = await import('../../src/app/context.ts');
    const { createTransferOrder } = await import('../../src/app/cases/transfer-orders.ts');
    const ids: number[] = [];
    for (const p of contacts) {
      const { order } = await inTransaction(ctx, (uow) =>
        createTransferOrder(uow, {
          personId: p,
          need: 'close_contact',
          source: { type: 'contact', id: `c-${p}` },
        }),
      );
      ids.push(order.id);
    }
    const results = await Promise.allSettled(
      ids.map((id) => allocateFor(ctx, P.districtA, id, { facilityId: last.id })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toMatchObject({ code: 'no_free_bed' });
    const beds = await liveBeds(last.id);
    expect(beds).toHaveLength(1);
    const occupancy = await ctx.store.db
      .selectFrom('bed_occupancy')
      .selectAll()
      .where('facility_id', '=', last.id)
      .executeTakeFirstOrThrow();
    expect(occupancy.reserved).toBe(1);
    const loser = await ctx.store.db
      .selectFrom('transfer_orders')
      .selectAll()
      .where('id', 'in', ids)
      .where('status', '=', 'waiting')
      .execute();
    expect(loser).toHaveLength(1);
  });

  it('cancelling a case order frees its bed and issues a fresh order with the same confirmation time', async () => {
    await addFacility(ctx, {
      kind: 'shelter_hospital',
      name: '备用方舱',
      beds: [{ bedKind: 'standard', total: 5 }],
    });
    const [order] = await newCases(1);
    const allocated = await allocateFor(ctx, P.districtA, order.id, {});
    const { cancelled, replacement } = await cancelFor(ctx, P.districtA, order.id, '地址有误，重新派单');
    expect(cancelled.status).toBe('cancelled');
    expect(replacement).toMatchObject({
      status: 'waiting',
      case_id: order.case_id,
      found_at: order.found_at,
    });
    expect((await liveBeds(allocated.facility_id!)).some((b) => b.order_id === order.id)).toBe(false);
    await expect(cancelFor(ctx, P.districtA, order.id, 'again please')).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(cancelFor(ctx, P.districtA, replacement!.id, 'x')).rejects.toMatchObject({
      details: [{ field: 'reason' }],
    });
  });
});
