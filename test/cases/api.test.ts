import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/app/access/tokens.ts';
import { getAuditWriter } from '../../src/app/access/audit.ts';
import { buildServer, type CordonApp } from '../../src/api/server.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { addTransportTeam, facilityStaff, HOUR, P, transportCrew } from './support.ts';

describe.each(testDialects())('cases, transfers and facilities over HTTP on %s', (dialect) => {
  let ctx: TestContext;
  let app: CordonApp;
  const TEAM = 903;
  const call = (principal: Principal, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: {
        authorization: `Bearer ${issueToken(ctx.secrets.tokenKey, principal, ctx.clock.now())}`,
        'accept-language': 'en',
      },
      payload: payload as object,
    });

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    await addTransportTeam(ctx, TEAM);
    app = await buildServer(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  let facility: { id: number; organisationId: number };
  let caseId: number;
  let orderId: number;

  it('opens a facility and shows its live beds to those who may see it', async () => {
    const res = await call(P.districtA, 'POST', '/facilities', {
      name: '黄浦方舱',
      kind: 'shelter_hospital',
      districtId: FIXTURE.districtA,
      streetId: FIXTURE.streetA1,
      staff: 120,
      admits: ['case_asymptomatic', 'case_mild'],
      lng: 121.49,
      lat: 31.23,
      beds: [{ bedKind: 'standard', total: 50 }],
    });
    expect(res.statusCode).toBe(201);
    facility = res.json();
    expect(res.json().beds).toEqual([{ bedKind: 'standard', total: 50, reserved: 0, occupied: 0, free: 50 }]);
    expect(
      (
        await call(P.districtB, 'POST', '/facilities', {
          ...(res.json() as object),
          districtId: FIXTURE.districtA,
          beds: [],
        })
      ).statusCode,
    ).toBe(403);
    expect((await call(P.districtB, 'GET', '/facilities')).json().items).toEqual([]);
    expect(
      (await call(facilityStaff(facility.organisationId), 'GET', '/facilities'))
        .json()
        .items.map((f: { id: number }) => f.id),
    ).toEqual([facility.id]);
    expect((await call(P.districtB, 'GET', `/facilities/${facility.id}`)).statusCode).toBe(404);
    expect((await call(P.districtA, 'GET', '/facilities/999')).json().error.code).toBe('not_found');
  });

  it('takes a clinic report, idempotently, and scopes the case to its district', async () => {
    const body = {
      personId: FIXTURE.personA2,
      sourceRef: 'RJ-2022-0413-17',
      sampledAt: ctx.clock.now() - 5 * HOUR,
      reportedAt: ctx.clock.now() - HOUR,
      severity: 'mild',
    };
    const first = await call(P.streetA1, 'POST', '/cases', body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      created: true,
      case: {
        personId: FIXTURE.personA2,
        classification: 'community',
        state: 'awaiting_transfer',
        severity: 'mild',
      },
    });
    caseId = first.json().case.id;
    orderId = first.json().orderId;
    const again = await call(P.streetA1, 'POST', '/cases', body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, case: { id: caseId } });

    const bad = await call(P.streetA1, 'POST', '/cases', {
      ...body,
      sourceRef: 'X',
      reportedAt: body.sampledAt - 1,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'validation_failed', details: [{ field: 'reportedAt' }] });

    expect(
      (await call(P.districtA, 'GET', '/cases')).json().items.map((c: { id: number }) => c.id),
    ).toContain(caseId);
    expect((await call(P.districtB, 'GET', '/cases')).json().items).toEqual([]);
    expect((await call(P.districtB, 'GET', `/cases/${caseId}`)).statusCode).toBe(404);
    const detail = await call(P.districtA, 'GET', `/cases/${caseId}`);
    expect(detail.json().transitions.map((t: { to: string }) => t.to)).toEqual([
      'reported',
      'awaiting_transfer',
    ]);
    expect(detail.json().orders).toEqual([
      expect.objectContaining({ id: orderId, status: 'waiting', need: 'case_mild' }),
    ]);
    await getAuditWriter(ctx).drain();
    const audited = await ctx.store.db
      .selectFrom('audit_log')
      .select(['action', 'subject_ids'])
      .where('action', '=', 'cases.read')
      .execute();
    expect(audited.map((a) => JSON.parse(a.subject_ids))).toContainEqual([FIXTURE.personA2]);
  });

  it('moves the order from proposal to admission, each step by the one entitled to it', async () => {
    const detail = await call(P.districtA, 'GET', `/transfers/${orderId}`);
    expect(detail.json().proposals[0]).toMatchObject({ facilityId: facility.id, sameDistrict: true });
    expect((await call(P.districtA, 'POST', `/transfers/${orderId}/allocate`, {})).json()).toMatchObject({
      status: 'allocated',
      facilityId: facility.id,
      bedNo: 1,
    });

    const noVehicle = await call(P.districtA, 'POST', '/transfers/dispatch', {
      orderIds: [orderId],
      transportOrgId: TEAM,
    });
    expect(noVehicle.statusCode).toBe(400);
    expect(noVehicle.json().error.details[0].field).toBe('vehicle');
    expect(
      (
        await call(transportCrew(TEAM), 'POST', '/transfers/dispatch', {
          orderIds: [orderId],
          transportOrgId: TEAM,
          vehicle: 'A1',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await call(P.districtA, 'POST', '/transfers/dispatch', {
          orderIds: [orderId],
          transportOrgId: TEAM,
          vehicle: '沪A·00001',
        })
      ).statusCode,
    ).toBe(200);

    const crew = transportCrew(TEAM);
    expect((await call(crew, 'GET', '/transfers')).json().items.map((o: { id: number }) => o.id)).toEqual([
      orderId,
    ]);
    expect(
      (await call(transportCrew(TEAM + 1), 'POST', '/transfers/pickup', { orderIds: [orderId] })).statusCode,
    ).toBe(404);
    expect(
      (await call(crew, 'POST', '/transfers/pickup', { orderIds: [orderId] })).json().items[0].status,
    ).toBe('picked_up');
    expect(
      (await call(crew, 'POST', '/transfers/arrive', { orderIds: [orderId] })).json().items[0].status,
    ).toBe('arrived');

    const staff = facilityStaff(facility.organisationId);
    const withoutOrder = await call(staff, 'POST', `/facilities/${facility.id}/admissions`, {
      orders: [{ orderId: 424242 }],
    });
    expect(withoutOrder.statusCode).toBe(404);
    expect(withoutOrder.json().error.message).toMatch(/admission needs a transfer order/);
    const admitted = await call(staff, 'POST', `/facilities/${facility.id}/admissions`, {
      orders: [{ orderId }],
    });
    expect(admitted.statusCode).toBe(201);
    const admission = admitted.json().items[0];
    expect(admission).toMatchObject({ kind: 'case', bedNo: 1, personId: FIXTURE.personA2 });
    expect((await call(staff, 'GET', `/facilities/${facility.id}`)).json().beds[0]).toMatchObject({
      occupied: 1,
      reserved: 0,
      free: 49,
    });

    const early = await call(staff, 'POST', `/admissions/${admission.id}/discharge`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({
      code: 'discharge_criteria_not_met',
      details: [{ field: 'overrideReason' }],
    });
    const stay = await call(staff, 'GET', `/admissions/${admission.id}`);
    expect(stay.json().discharge).toMatchObject({ eligible: false });
    expect((await call(P.districtA, 'GET', `/cases/${caseId}`)).json().case).toMatchObject({
      state: 'admitted',
      facilityId: facility.id,
    });
  });

  it('serves 社会面清零, 日清日结 and the bed forecast', async () => {
    const clearing = await call(P.city, 'GET', '/cases/clearing');
    expect(clearing.statusCode).toBe(200);
    expect(clearing.json().units.map((u: { regionId: number }) => u.regionId)).toEqual([
      FIXTURE.districtA,
      FIXTURE.districtB,
    ]);
    const sameDay = await call(P.districtA, 'GET', '/cases/same-day');
    expect(sameDay.statusCode).toBe(200);
    // The case, and its household contact that tracing ordered into quarantine (not yet moved).
    const total = sameDay.json().total;
    expect(total).toMatchObject({ cases: 1, admitted: 1, admittedSameDay: 1 });
    expect(total.sameDayShare).toBeCloseTo(1 / total.found);
    const forecast = await call(P.districtA, 'GET', '/facilities/forecast');
    expect(forecast.json().items).toEqual([
      expect.objectContaining({
        districtId: FIXTURE.districtA,
        facilityKind: 'shelter_hospital',
        bedKind: 'standard',
        free: 49,
      }),
    ]);
    expect((await call(P.lab, 'GET', '/cases/clearing')).statusCode).toBe(403);
  });
});
