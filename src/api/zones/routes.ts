import type { AppContext } from '../../app/context.ts';
import { decideZoneProposal, designatePlace } from '../../app/zones/decisions.ts';
import { designatePlaces } from '../../app/zones/batch.ts';
import { proposeStepDowns } from '../../app/zones/proposals.ts';
import { designationHistory, listDesignations, listProposals, zoneCounts } from '../../app/zones/queries.ts';
import { assertMayDecideZones } from '../../domain/zones/policy.ts';
import { proposalById } from '../../store/zones/changes.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { presentChange, presentDesignation, presentProposal } from './presenter.ts';
import {
  BatchDesignateBody,
  BatchDesignateResult,
  CountsView,
  DecisionBody,
  DesignateBody,
  DesignationHistory,
  DesignationListQuery,
  DesignationPage,
  DesignationParams,
  DesignationView,
  ProposalParams,
  ProposalQuery,
  ProposalView,
  RunReport,
} from './schema.ts';

/** Zones (三区): designations in your area, their history, the step-down proposals and decisions. */
export async function zoneRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  const tags = ['zones'];

  api.get(
    '/zones/designations',
    {
      schema: {
        tags,
        summary: 'Sealed, controlled and held places in your area',
        querystring: DesignationListQuery,
        response: { 200: DesignationPage },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await listDesignations(ctx, requirePrincipal(request), {
        level: q.level,
        includeReleased: q.includeReleased,
        afterId: q.cursor,
        limit: q.limit,
      });
      return { items: page.items.map(presentDesignation), nextCursor: page.nextCursor };
    },
  );

  api.post(
    '/zones/designations',
    {
      schema: {
        tags,
        summary: 'Designate a place by hand (a correction, or a place a case stayed at), with a reason',
        body: DesignateBody,
        response: { 201: DesignationView },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(presentDesignation(await designatePlace(ctx, requirePrincipal(request), request.body))),
  );

  api.post(
    '/zones/designations/batch',
    {
      schema: {
        tags,
        summary:
          'Designate many places at once (a district under static management), all or nothing; a place already at the level is left as it is',
        body: BatchDesignateBody,
        response: { 200: BatchDesignateResult },
      },
    },
    async (request) => designatePlaces(ctx, requirePrincipal(request), request.body.items),
  );

  api.get(
    '/zones/designations/:designationId',
    {
      schema: {
        tags,
        summary: 'One designation and its full history with reasons',
        params: DesignationParams,
        response: { 200: DesignationHistory },
      },
    },
    async (request) => {
      const result = await designationHistory(ctx, requirePrincipal(request), request.params.designationId);
      return {
        designation: presentDesignation(result.designation),
        changes: result.changes.map(presentChange),
      };
    },
  );

  api.get(
    '/zones/counts',
    {
      schema: {
        tags,
        summary: 'Places and residents by zone, per region one level below yours',
        response: { 200: CountsView },
      },
    },
    async (request) => zoneCounts(ctx, requirePrincipal(request)),
  );

  api.get(
    '/zones/proposals',
    {
      schema: {
        tags,
        summary: 'Step-down proposals in your area',
        querystring: ProposalQuery,
        response: { 200: ProposalView.array() },
      },
    },
    async (request) =>
      (await listProposals(ctx, requirePrincipal(request), request.query.status)).map(presentProposal),
  );

  api.post(
    '/zones/proposals/run',
    {
      schema: {
        tags,
        summary: "Run today's step-down proposals now (they also run on the first tick of each day)",
        response: { 200: RunReport },
      },
    },
    async (request) => {
      assertMayDecideZones(requirePrincipal(request).role);
      return proposeStepDowns(ctx);
    },
  );

  api.post(
    '/zones/proposals/:proposalId/decision',
    {
      schema: {
        tags,
        summary: 'Approve or reject a proposal, with a reason; approval re-checks the rules first',
        params: ProposalParams,
        body: DecisionBody,
        response: { 200: ProposalView },
      },
    },
    async (request) => {
      await decideZoneProposal(ctx, requirePrincipal(request), request.params.proposalId, request.body);
      return presentProposal((await proposalById(ctx.store.db, request.params.proposalId))!);
    },
  );
}
