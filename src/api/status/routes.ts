import type { AppContext } from '../../app/context.ts';
import { recordArrival, recordExemption, revokeExemption } from '../../app/status/corrections.ts';
import { statusHistory } from '../../app/status/history.ts';
import { myStatus, onDutyCheck, readPersonStatus } from '../../app/status/status.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { presentExemption, presentOnDuty, presentStatus } from './presenter.ts';
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
      // The hot look-up: the presenter builds exactly this shape (typed against the schema), so
      // the answer is written as is instead of being re-validated per request.
      serializerCompiler: plainJson,
    },
    async (request) => {
      const status = await myStatus(ctx, requirePrincipal(request));
      return presentStatus(status, ctx.clock.now());
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
