import type { AppContext } from '../../app/context.ts';
import { acknowledgeAlert, getAlert, listAlerts, resolveAlert } from '../../app/kernel/alerts.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { presentAlert } from './presenter.ts';
import {
  acknowledgeBody,
  alertListQuery,
  alertListResponse,
  alertParams,
  alertSchema,
  resolveBody,
} from './schema.ts';

/**
 * Alerts from the monitoring rules, scoped: a region-scoped user sees every alert that concerns
 * their region or anything under it (an alert appears at each level it concerns). Command and
 * street staff acknowledge and resolve; others read.
 */
export async function alertRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  api.get(
    '/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Alerts concerning your area, newest first (cursor = the last id of the previous page)',
        querystring: alertListQuery,
        response: { 200: alertListResponse },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { state, rule, cursor, limit } = request.query;
      const page = await listAlerts(ctx, principal, { state, rule, cursor, limit });
      return { items: page.items.map(presentAlert), nextCursor: page.nextCursor };
    },
  );

  api.get(
    '/alerts/:id',
    {
      schema: { tags: ['alerts'], summary: 'One alert', params: alertParams, response: { 200: alertSchema } },
    },
    async (request) => presentAlert(await getAlert(ctx, requirePrincipal(request), request.params.id)),
  );

  api.post(
    '/alerts/:id/acknowledge',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Take an alert on: you (or the named owner) own it from now',
        params: alertParams,
        body: acknowledgeBody,
        response: { 200: alertSchema },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return presentAlert(
        await acknowledgeAlert(ctx, principal, request.params.id, { owner: request.body?.owner }),
      );
    },
  );

  api.post(
    '/alerts/:id/resolve',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Close an alert with what was done about it',
        params: alertParams,
        body: resolveBody,
        response: { 200: alertSchema },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return presentAlert(await resolveAlert(ctx, principal, request.params.id, request.body.resolution));
    },
  );
}
