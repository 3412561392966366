import type { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { recordArrival, recordExemption, revokeExemption } from '../../app/status/corrections.ts';
import { statusHistory } from '../../app/status/history.ts';
import { myStatus, onDutyCheck, readPersonStatus } from '../../app/status/status.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { presentExemption, presentOnDuty, presentStatus, statusJson } from './presenter.ts';
import {
  ArrivalBody,
  ArrivalView,
  ExemptionBody,
  ExemptionParams,
  ExemptionView,
  HistoryView,
  OnDutyBody,
  OnDutyView,
  PersonParams,
  RevokeBody,
  StatusView,
} from './schema.ts';

/**
 * Status routes: a resident's own status, the employer's on-duty check (the two hot look-ups),
 * and staff reading, correcting (exemptions) and annotating (arrivals) a person's status.
 */
/** JSON as is for 200s; error bodies keep the server's own serializer. */
const plainJson = () => (data: unknown) => JSON.stringify(data);
const JSON_UTF8 = 'application/json; charset=utf-8';

export async function statusRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  const tags = ['status'];

  api.get(
    '/me/status',
    {
      schema: {
        tags: ['me', ...tags],
        summary: 'Your status (green / yellow / red) with every reason and since when',
        response: { 200: StatusView },
      },
    },
    async (request, reply) => {
      const status = await myStatus(ctx, requirePrincipal(request));
      // The hot look-up: the presenter writes exactly this shape (typed against the schema) as
      // JSON text, mostly kept from the last answer, instead of serialising and re-validating
      // per request. A string with a JSON content type is sent as is; its type is the schema's
      // (the text is StatusView's: test/status/my-status-api.test.ts parses it with the schema).
      const body = statusJson(status, ctx.clock.now()) as unknown as z.infer<typeof StatusView>;
      return reply.type(JSON_UTF8).send(body);
    },
  );

  api.post(
    '/status/on-duty-check',
    {
      schema: {
        tags,
        summary: "Employer's check of a worker's code before duty: allowed or not, and why (audited)",
        body: OnDutyBody,
        response: { 200: OnDutyView },
      },
      serializerCompiler: plainJson,
    },
    async (request) =>
      presentOnDuty(await onDutyCheck(ctx, requirePrincipal(request), request.body.code, request.id)),
  );

  api.get(
    '/status/people/:personId',
    {
      schema: {
        tags,
        summary: "A person's status in your area (audited)",
        params: PersonParams,
        response: { 200: StatusView },
      },
    },
    async (request) =>
      presentStatus(
        await readPersonStatus(ctx, requirePrincipal(request), request.params.personId, request.id),
        ctx.clock.now(),
      ),
  );

  api.get(
    '/status/people/:personId/history',
    {
      schema: {
        tags,
        summary: "A person's status changes, newest first",
        params: PersonParams,
        response: { 200: HistoryView },
      },
    },
    async (request) => {
      const result = await statusHistory(ctx, requirePrincipal(request), request.params.personId, request.id);
      return { current: presentStatus(result.current, ctx.clock.now()), history: result.history };
    },
  );

  api.post(
    '/status/people/:personId/exemptions',
    {
      schema: {
        tags,
        summary:
          'Waive one yellow reason for a while (in hospital, away, tested elsewhere, wrong record), with a reason (audited)',
        params: PersonParams,
        body: ExemptionBody,
        response: { 201: ExemptionView },
      },
    },
    async (request, reply) => {
      const row = await recordExemption(
        ctx,
        requirePrincipal(request),
        request.params.personId,
        request.body,
        request.id,
      );
      return reply.status(201).send(presentExemption(row));
    },
  );

  api.post(
    '/status/exemptions/:exemptionId/revoke',
    {
      schema: {
        tags,
        summary: 'Withdraw an exemption, with a reason (audited)',
        params: ExemptionParams,
        body: RevokeBody,
      },
    },
    async (request, reply) => {
      await revokeExemption(
        ctx,
        requirePrincipal(request),
        request.params.exemptionId,
        request.body.reason,
        request.id,
      );
      return reply.status(204).send();
    },
  );

  api.post(
    '/status/people/:personId/arrivals',
    {
      schema: {
        tags,
        summary: 'Record an arrival from a high- or medium-risk area (audited)',
        params: PersonParams,
        body: ArrivalBody,
        response: { 201: ArrivalView },
      },
    },
    async (request, reply) => {
      const row = await recordArrival(
        ctx,
        requirePrincipal(request),
        request.params.personId,
        request.body,
        request.id,
      );
      return reply.status(201).send({
        id: row.id,
        personId: row.person_id,
        arrivedAt: row.arrived_at,
        fromLevel: row.from_level,
        origin: row.origin,
      });
    },
  );
}
