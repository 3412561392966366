import type { Principal } from '../../domain/access/principal.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import { chainGraph, type ChainGraph } from '../../domain/tracing/chains.ts';
import { TRACING_EVENTS, type SourceBasis, type SourceCertainty } from '../../domain/tracing/types.ts';
import { findInvestigationByCase } from '../../store/tracing/investigations.ts';
import {
  clusterCases,
  clusterLinks,
  insertSourceLink,
  listClusters,
  type ChainNodeFacts,
  type ClusterRow,
  type SourceLinkRow,
} from '../../store/tracing/links.ts';
import { inTransaction, type AppContext, type UnitOfWork } from '../context.ts';
import { filterCovers, tracingScope } from './access.ts';

export interface SourceLinkInput {
  caseId: number;
  sourceCaseId: number;
  certainty: SourceCertainty;
  basis: SourceBasis;
  contactId?: number | null;
  note?: string | null;
  actorUserId: number | null;
}

/**
 * Records "source infected case" in the caller's unit of work: merges their clusters, marks the
 * case's source as known, and tells both cases' streets. A repeat of an existing link changes
 * nothing and publishes nothing.
 */
export async function linkSource(
  ctx: AppContext,
  uow: UnitOfWork,
  input: SourceLinkInput,
): Promise<SourceLinkRow> {
  if (input.caseId === input.sourceCaseId) {
    throw invalid('sourceCaseId', 'a case cannot be its own source', input.sourceCaseId);
  }
  const infected = await findInvestigationByCase(uow.trx, input.caseId);
  if (!infected) throw invalid('caseId', `case ${input.caseId} has no investigation`, input.caseId);
  const source = await findInvestigationByCase(uow.trx, input.sourceCaseId);
  if (!source) {
    throw invalid('sourceCaseId', `case ${input.sourceCaseId} has no investigation`, input.sourceCaseId);
  }
  const { link, created } = await insertSourceLink(
    ctx.store,
    uow.trx,
    {
      district_id: infected.district_id,
      case_id: input.caseId,
      source_case_id: input.sourceCaseId,
      source_district_id: source.district_id,
      certainty: input.certainty,
      basis: input.basis,
      contact_id: input.contactId ?? null,
      note: input.note ?? null,
      created_by: input.actorUserId,
      created_at: uow.now,
    },
    uow.now,
  );
  if (!created) return link;
  await uow.trx
    .updateTable('tracing_investigations')
    .set({ source_status: 'linked', updated_at: uow.now })
    .where('id', '=', infected.id)
    .execute();
  uow.publish({
    type: TRACING_EVENTS.sourceLinked,
    occurredAt: uow.now,
    regionIds: [...new Set([infected.street_id, source.street_id])],
    payload: {
      linkId: link.id,
      caseId: link.case_id,
      sourceCaseId: link.source_case_id,
      certainty: link.certainty,
      basis: link.basis,
      clusterId: link.cluster_id,
      wasUnknown: infected.source_status === 'unknown',
    },
  });
  return link;
}

/** A user links two cases by hand (the tracer found who infected whom). Both must be in scope. */
export async function linkSourceAs(
  ctx: AppContext,
  principal: Principal,
  input: Omit<SourceLinkInput, 'actorUserId' | 'basis'>,
): Promise<SourceLinkRow> {
  const scope = tracingScope(ctx, principal, 'direct');
  return inTransaction(ctx, async (uow) => {
    for (const [field, caseId] of [
      ['caseId', input.caseId],
      ['sourceCaseId', input.sourceCaseId],
    ] as const) {
      const inv = await findInvestigationByCase(uow.trx, caseId);
      if (!inv || !filterCovers(scope, { districtId: inv.district_id, streetId: inv.street_id })) {
        throw new DomainError('out_of_scope', `${field}: case ${caseId} not found in your area`, [
          { field, message: 'not found in your area', value: caseId },
        ]);
      }
    }
    return linkSource(ctx, uow, { ...input, basis: 'tracer', actorUserId: principal.userId });
  });
}

export interface ChainNodeView {
  caseId: number;
  generation: number;
  isRoot: boolean;
  districtId: number | null;
  streetId: number | null;
  reportedAt: number | null;
  classification: string | null;
  sourceStatus: string | null;
}

export interface ChainView extends Omit<ChainGraph, 'nodes'> {
  clusterId: number;
  nodes: ChainNodeView[];
}

/**
 * The chain through a case as a graph for the dashboard. Two indexed reads by cluster label (the
 * cluster's links, its cases' facts) and a breadth-first walk in memory: no recursive SQL, so
 * the cost follows the chain's size, not the wave's. The asked case must be in the caller's scope;
 * cases elsewhere in the chain appear by id and district only.
 */
export async function chainOf(
  ctx: AppContext,
  principal: Principal,
  caseId: number,
  maxNodes = 5000,
): Promise<ChainView> {
  const scope = tracingScope(ctx, principal, 'read');
  const db = ctx.store.db;
  const inv = await findInvestigationByCase(db, caseId);
  if (!inv || !filterCovers(scope, { districtId: inv.district_id, streetId: inv.street_id })) {
    throw new DomainError('out_of_scope', `case ${caseId} not found in your area`);
  }
  const links = await clusterLinks(db, inv.cluster_id);
  const graph = chainGraph(
    caseId,
    links.map((l) => ({ caseId: l.case_id, sourceCaseId: l.source_case_id, certainty: l.certainty })),
    maxNodes,
  );
  const facts = new Map<number, ChainNodeFacts>();
  for (const r of graph.nodes.length === 1 ? [inv] : await clusterCases(db, inv.cluster_id)) {
    facts.set(r.case_id, r);
  }
  const nodes = graph.nodes.map((n) => {
    const f = facts.get(n.caseId);
    return {
      ...n,
      districtId: f?.district_id ?? null,
      streetId: f?.street_id ?? null,
      reportedAt: f?.reported_at ?? null,
      classification: f?.classification ?? null,
      sourceStatus: f?.source_status ?? null,
    };
  });
  return { ...graph, clusterId: inv.cluster_id, nodes };
}

export async function clustersFor(
  ctx: AppContext,
  principal: Principal,
  q: { minSize: number; limit: number },
): Promise<ClusterRow[]> {
  const scope = tracingScope(ctx, principal, 'read');
  return listClusters(ctx.store.db, { ...q, scope });
}
