import type { FastifyRequest } from 'fastify';
import { actorOf, audit } from '../../app/access/audit.ts';
import type { AppContext } from '../../app/context.ts';
import {
  admissionDetailFor,
  admitFor,
  createFacilityFor,
  dischargeFor,
  facilityDetailFor,
  forecastFor,
  listAdmissionsFor,
  listFacilitiesFor,
  recordTestFor,
  setBedsFor,
} from '../../app/cases/facility-commands.ts';
import { page } from '../cases/presenter.ts';
import { idParams } from '../cases/schema.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { presentAdmission, presentFacility, presentStayTest } from './presenter.ts';
import {
  admissionDetailResponse,
  admissionListQuery,
  admissionListResponse,
  admissionsResponse,
  admitBody,
  bedsBody,
  dischargeBody,
  dischargeResponse,
  facilityBody,
  facilityListQuery,
  facilityListResponse,
  facilitySchema,
  forecastQuery,
  forecastResponse,
  stayTestBody,
  stayTestSchema,
} from './schema.ts';

/**
 * Facilities (隔离酒店 / 健康驿站 / 方舱 / 定点医院) with live beds, the days-to-full forecast,
 * admissions (收治) and stays: tests during the stay and discharge by the rule set's criteria.
 */
export async function facilityRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  const tags = ['facilities'];
  const record = (
    request: FastifyRequest,
    action: string,
    personIds: number[],
    details?: Record<string, unknown>,
  ) =>
    audit(ctx, {
      actor: actorOf(requirePrincipal(request)),
      action,
      subjectType: 'person',
      subjectIds: personIds,
      fields: [],
      requestId: request.id,
      details,
    });

  api.get(
    '/facilities',
    {
      schema: {
        tags,
        summary: 'Facilities you may see, with beds by kind: total, reserved, occupied, free',
        querystring: facilityListQuery,
        response: { 200: facilityListResponse },
      },
    },
    async (request) => ({
      items: (await listFacilitiesFor(ctx, requirePrincipal(request), request.query)).map(presentFacility),
    }),
  );

  api.post(
    '/facilities',
    {
      schema: {
        tags,
        summary: 'Open a facility with its beds',
        body: facilityBody,
        response: { 201: facilitySchema },
      },
    },
    async (request, reply) => {
      void reply.status(201);
      return presentFacility(await createFacilityFor(ctx, requirePrincipal(request), request.body));
    },
  );

  api.get(
    '/facilities/forecast',
    {
      schema: {
        tags,
        summary: 'Days until beds run out, per district, facility kind and bed kind, from the recent trend',
        querystring: forecastQuery,
        response: { 200: forecastResponse },
      },
    },
    async (request) => ({
      items: await forecastFor(ctx, requirePrincipal(request), request.query.windowDays),
    }),
  );

  api.get(
    '/facilities/:id',
    {
      schema: {
        tags,
        summary: 'A facility with its live beds',
        params: idParams,
        response: { 200: facilitySchema },
      },
    },
    async (request) =>
      presentFacility(await facilityDetailFor(ctx, requirePrincipal(request), request.params.id)),
  );

  api.put(
    '/facilities/:id/beds',
    {
      schema: {
        tags,
        summary: 'Set bed totals by kind (never below the beds in use)',
        params: idParams,
        body: bedsBody,
        response: { 200: facilitySchema },
      },
    },
    async (request) =>
      presentFacility(await setBedsFor(ctx, requirePrincipal(request), request.params.id, request.body.beds)),
  );

  api.post(
    '/facilities/:id/admissions',
    {
      schema: {
        tags,
        summary:
          'Confirm the hand-off of arrived orders: admission with a bed, opening isolation or quarantine',
        params: idParams,
        body: admitBody,
        response: { 201: admissionsResponse },
      },
    },
    async (request, reply) => {
      const admitted = await admitFor(ctx, requirePrincipal(request), request.params.id, request.body.orders);
      await record(
        request,
        'facilities.admit',
        admitted.map((a) => a.person_id),
        { facilityId: request.params.id },
      );
      void reply.status(201);
      return { items: admitted.map(presentAdmission) };
    },
  );

  api.get(
    '/facilities/:id/admissions',
    {
      schema: {
        tags,
        summary: "A facility's stays, newest first",
        params: idParams,
        querystring: admissionListQuery,
        response: { 200: admissionListResponse },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listAdmissionsFor(ctx, requirePrincipal(request), request.params.id, {
        live: q.live === undefined ? undefined : q.live === 'true',
        beforeId: q.cursor,
        limit: q.limit + 1,
      });
      await record(
        request,
        'facilities.admissions.list',
        rows.slice(0, q.limit).map((a) => a.person_id),
        { facilityId: request.params.id },
      );
      return page(rows, q.limit, presentAdmission);
    },
  );

  api.get(
    '/admissions/:id',
    {
      schema: {
        tags,
        summary: 'A stay with its tests and whether the discharge criteria are met',
        params: idParams,
        response: { 200: admissionDetailResponse },
      },
    },
    async (request) => {
      const d = await admissionDetailFor(ctx, requirePrincipal(request), request.params.id);
      await record(request, 'facilities.admission.read', [d.admission.person_id]);
      return {
        admission: presentAdmission(d.admission),
        tests: d.tests.map(presentStayTest),
        discharge: d.verdict ? { eligible: d.verdict.eligible, reason: d.verdict.reason } : null,
      };
    },
  );

  api.post(
    '/admissions/:id/tests',
    {
      schema: {
        tags,
        summary: 'Record a test taken during the stay',
        params: idParams,
        body: stayTestBody,
        response: { 201: stayTestSchema },
      },
    },
    async (request, reply) => {
      const { test, admission } = await recordTestFor(
        ctx,
        requirePrincipal(request),
        request.params.id,
        request.body,
      );
      await record(request, 'facilities.test', [admission.person_id], {
        admissionId: admission.id,
        testId: test.id,
      });
      void reply.status(201);
      return presentStayTest(test);
    },
  );

  api.post(
    '/admissions/:id/discharge',
    {
      schema: {
        tags,
        summary: 'Discharge by the criteria, or before them only with an override reason',
        params: idParams,
        body: dischargeBody,
        response: { 200: dischargeResponse },
      },
    },
    async (request) => {
      const { admission, verdict } = await dischargeFor(
        ctx,
        requirePrincipal(request),
        request.params.id,
        request.body.overrideReason,
      );
      await record(request, 'facilities.discharge', [admission.person_id], {
        admissionId: admission.id,
        override: admission.override_reason != null,
      });
      return {
        admission: presentAdmission(admission),
        criteria: { eligible: verdict.eligible, reason: verdict.reason },
      };
    },
  );
}
