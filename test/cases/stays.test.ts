import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCaseDeath } from '../../src/app/cases/case-commands.ts';
import {
  admissionDetailFor,
  admitFor,
  dischargeFor,
  recordTestFor,
} from '../../src/app/cases/facility-commands.ts';
import { allocateFor, arriveFor, dispatchFor, pickUpFor } from '../../src/app/cases/transfer-commands.ts';
import { inTransaction } from '../../src/app/context.ts';
import { createTransferOrder } from '../../src/app/cases/transfer-orders.ts';
import { activeEpisodes } from '../../src/app/kernel/control-episodes.ts';
import { loadFixture } from '../support/fixture.ts';
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
  putUnderControl,
} from './support.ts';

const DAY = 24 * HOUR;

describe.each(testDialects())('stays and discharge on %s', (dialect) => {
  let ctx: TestContext;
  const TEAM = 901;
  const now = () => ctx.clock.now();
  let shelterStaff: ReturnType<typeof facilityStaff>;
  let hotelStaff: ReturnType<typeof facilityStaff>;
  let shelterId: number;
  let hotelId: number;

  /** Takes an order all the way to admission and returns the admission. */
  async function admit(orderId: number, facilityId: number, staff: ReturnType<typeof facilityStaff>) {
    await allocateFor(ctx, P.districtA, orderId, { facilityId });
    await dispatchFor(ctx, P.districtA, [orderId], { transportOrgId: TEAM, vehicle: '沪C·9' });
    await pickUpFor(ctx, P.districtA, [orderId]);
    await arriveFor(ctx, P.districtA, [orderId]);
    const [a] = await admitFor(ctx, staff, facilityId, [{ orderId }]);
    return a;
  }

  /** A close contact's transfer order taken to admission in the quarantine hotel. */
  async function admitContact(contact: number) {
    const { order } = await inTransaction(ctx, (uow) =>
      createTransferOrder(uow, {
        personId: contact,
        need: 'close_contact',
        source: { type: 'contact', id: `k-${contact}` },
      }),
    );
    return admit(order.id, hotelId, hotelStaff);
  }

  async function admittedCase() {
    const [person] = await addPeople(ctx, 1, PEOPLE_A);
    await publishPositive(ctx, {
      personId: person,
      tubeCode: `S${person}`,
      sampledAt: now() - 3 * HOUR,
      resultedAt: now() - HOUR,
    });
    const order = await ctx.store.db
      .selectFrom('transfer_orders')
      .selectAll()
      .where('person_id', '=', person)
      .executeTakeFirstOrThrow();
    return admit(order.id, shelterId, shelterStaff);
  }

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    await addTransportTeam(ctx, TEAM);
    const shelter = await addFacility(ctx, {
      kind: 'shelter_hospital',
      beds: [{ bedKind: 'standard', total: 20 }],
    });
    const hotel = await addFacility(ctx, {
      kind: 'quarantine_hotel',
      beds: [{ bedKind: 'standard', total: 20 }],
    });
    shelterId = shelter.id;
    hotelId = hotel.id;
    shelterStaff = facilityStaff(shelter.organisationId);
    hotelStaff = facilityStaff(hotel.organisationId);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('discharges a shelter case after two negatives with Ct ≥ 35, 24 h apart', async () => {
    const a = await admittedCase();
    const test = (offset: number, result: 'negative' | 'positive', ct: number | null) =>
      recordTestFor(ctx, shelterStaff, a.id, { sampledAt: a.admitted_at + offset, result, ct });
    ctx.clock.set(a.admitted_at + 5 * DAY);
    await test(1 * DAY, 'positive', 28);
    await test(2 * DAY, 'positive', 36); // counts: Ct ≥ 35
    await test(2 * DAY + 12 * HOUR, 'negative', null); // too close to the previous one
    let detail = await admissionDetailFor(ctx, shelterStaff, a.id);
    expect(detail.verdict).toMatchObject({ eligible: false });
    await expect(dischargeFor(ctx, shelterStaff, a.id)).rejects.toMatchObject({
      code: 'discharge_criteria_not_met',
      details: [{ field: 'overrideReason' }],
    });
    await test(3 * DAY + HOUR, 'negative', null);
    detail = await admissionDetailFor(ctx, shelterStaff, a.id);
    expect(detail.verdict).toMatchObject({ eligible: true });
    const { admission } = await dischargeFor(ctx, shelterStaff, a.id);
    expect(admission).toMatchObject({ outcome: 'discharged', override_reason: null });
    const c = await ctx.store.db
      .selectFrom('cases')
      .select('state')
      .where('id', '=', a.case_id!)
      .executeTakeFirstOrThrow();
    expect(c.state).toBe('discharged');
    // The isolation the admission opened has ended (a sealed residence from zones may go on).
    expect(
      (await activeEpisodes(ctx.store.db, a.person_id, now())).filter((e) => e.kind === 'isolation'),
    ).toHaveLength(0);
    const bed = await ctx.store.db
      .selectFrom('bed_occupancy')
      .selectAll()
      .where('facility_id', '=', shelterId)
      .executeTakeFirstOrThrow();
    expect(bed.occupied).toBe(0);
    await expect(dischargeFor(ctx, shelterStaff, a.id)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses a discharge before the criteria without a reason, and allows it with one', async () => {
    const a = await admittedCase();
    const before = await ctx.store.db
      .selectFrom('admissions')
      .selectAll()
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    await expect(dischargeFor(ctx, shelterStaff, a.id)).rejects.toMatchObject({
      code: 'discharge_criteria_not_met',
    });
    await expect(dischargeFor(ctx, shelterStaff, a.id, 'ok')).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'overrideReason' }],
    });
    expect(
      await ctx.store.db
        .selectFrom('admissions')
        .selectAll()
        .where('id', '=', a.id)
        .executeTakeFirstOrThrow(),
    ).toEqual(before);
    const { admission } = await dischargeFor(
      ctx,
      shelterStaff,
      a.id,
      '转定点医院进一步治疗 (clinical decision)',
    );
    expect(admission.override_reason).toMatch(/clinical decision/);
  });

  it('refuses stay tests that are out of order', async () => {
    const a = await admittedCase();
    await expect(
      recordTestFor(ctx, shelterStaff, a.id, { sampledAt: a.admitted_at - HOUR, result: 'negative' }),
    ).rejects.toMatchObject({ details: [{ field: 'sampledAt' }] });
    await expect(
      recordTestFor(ctx, shelterStaff, a.id, { sampledAt: now() + HOUR, result: 'negative' }),
    ).rejects.toMatchObject({ details: [{ field: 'sampledAt' }] });
    await expect(
      recordTestFor(ctx, hotelStaff, a.id, { sampledAt: now(), result: 'negative' }),
    ).rejects.toMatchObject({ code: 'out_of_scope' });
  });

  it('releases a close contact when the quarantine days have run, into home monitoring', async () => {
    const [contact] = await addPeople(ctx, 1, PEOPLE_A);
    const a = await admitContact(contact);
    const episode = (await activeEpisodes(ctx.store.db, contact, now())).find(
      (e) => e.kind === 'quarantine',
    )!;
    expect(episode.until).not.toBeNull();
    ctx.clock.set(a.admitted_at + 3 * DAY);
    await expect(dischargeFor(ctx, hotelStaff, a.id)).rejects.toMatchObject({
      code: 'discharge_criteria_not_met',
    });
    ctx.clock.set(episode.until!);
    await dischargeFor(ctx, hotelStaff, a.id);
    const active = await activeEpisodes(ctx.store.db, contact, now());
    expect(active.map((e) => e.kind)).toEqual(['home_monitoring']);
  });

  it("adopts tracing's quarantine for a contact it admits: one quarantine, one home monitoring", async () => {
    const [contact] = await addPeople(ctx, 1, PEOPLE_A);
    // Tracing's plan: quarantine from the exposure, then home monitoring after it.
    const quarantineEnd = now() + 6 * DAY;
    await putUnderControl(ctx, contact, 'quarantine', now() - DAY, quarantineEnd, `plan-${contact}`);
    await putUnderControl(
      ctx,
      contact,
      'home_monitoring',
      quarantineEnd,
      quarantineEnd + 7 * DAY,
      `plan-${contact}`,
    );
    const a = await admitContact(contact);
    const episodes = () =>
      ctx.store.db
        .selectFrom('control_episodes')
        .select(['id', 'kind', 'source_type', 'until_at'])
        .where('person_id', '=', contact)
        .orderBy('id')
        .execute();
    const quarantines = (await episodes()).filter((e) => e.kind === 'quarantine');
    expect(quarantines).toHaveLength(1);
    expect(quarantines[0].source_type).toBe('test');
    expect(a.episode_id).toBe(quarantines[0].id);

    ctx.clock.set(a.admitted_at + 7 * DAY);
    await dischargeFor(ctx, hotelStaff, a.id);
    const after = await episodes();
    expect(after.filter((e) => e.kind === 'quarantine')).toHaveLength(1);
    expect(after.filter((e) => e.kind === 'home_monitoring')).toHaveLength(1);
    expect((await activeEpisodes(ctx.store.db, contact, now())).map((e) => e.kind)).toEqual([
      'home_monitoring',
    ]);
  });

  it('records a death: the stay ends, the bed is freed, the case is closed', async () => {
    const a = await admittedCase();
    await expect(recordCaseDeath(ctx, P.districtA, a.case_id!, '')).rejects.toMatchObject({
      details: [{ field: 'reason' }],
    });
    await recordCaseDeath(ctx, shelterStaff, a.case_id!, '多器官衰竭 multi-organ failure');
    const c = await ctx.store.db
      .selectFrom('cases')
      .select('state')
      .where('id', '=', a.case_id!)
      .executeTakeFirstOrThrow();
    expect(c.state).toBe('died');
    const stay = await ctx.store.db
      .selectFrom('admissions')
      .selectAll()
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(stay.outcome).toBe('died');
  });
});
