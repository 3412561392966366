import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import { mergeClusters } from '../../domain/tracing/chains.ts';
import type { Store } from '../database.ts';
import type { Database } from '../schema.ts';
import { regionCondition, type RegionFilter } from './scope.ts';
import type { TracingClusterTable, TracingSourceLinkTable } from './tables.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type SourceLinkRow = Selectable<TracingSourceLinkTable>;
export type ClusterRow = Selectable<TracingClusterTable>;

/**
 * Source links and clusters, kept incrementally: every case carries its cluster label
 * (investigations.cluster_id, also copied onto its links), so a chain query is two indexed reads
 * by label and never a graph walk in SQL. A new link that joins two clusters relabels the smaller
 * one (union by size: each case is relabelled O(log n) times over the whole wave).
 */

interface ClusterFacts {
  id: number;
  size: number;
  districtId: number;
  firstReportedAt: number;
  lastReportedAt: number;
}

/** Cluster label, size and span of a case; a case in no cluster row is a cluster of one labelled by itself. */
async function clusterOf(trx: Db, caseId: number): Promise<ClusterFacts> {
  const inv = await trx
    .selectFrom('tracing_investigations as i')
    .leftJoin('tracing_clusters as k', 'k.id', 'i.cluster_id')
    .select([
      'i.cluster_id',
      'i.district_id',
      'i.reported_at',
      'k.size',
      'k.district_id as k_district',
      'k.first_reported_at',
      'k.last_reported_at',
    ])
    .where('i.case_id', '=', caseId)
    .executeTakeFirst();
  if (!inv) throw new Error(`case ${caseId} has no investigation`);
  return {
    id: inv.cluster_id,
    size: inv.size ?? 1,
    districtId: inv.k_district ?? inv.district_id,
    firstReportedAt: inv.first_reported_at ?? inv.reported_at,
    lastReportedAt: inv.last_reported_at ?? inv.reported_at,
  };
}

/**
 * Records "source infected case" and merges their clusters. Idempotent on (case, source): a repeat
 * returns the existing link and `created: false`. On PostgreSQL one advisory lock serialises
 * cluster merges, so two links joining the same clusters at once cannot lose a relabel.
 */
export async function insertSourceLink(
  store: Store,
  trx: Transaction<Database>,
  link: Omit<Insertable<TracingSourceLinkTable>, 'cluster_id'>,
  now: number,
): Promise<{ link: SourceLinkRow; created: boolean }> {
  if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(7306)`.execute(trx);
  const existing = await trx
    .selectFrom('tracing_source_links')
    .selectAll()
    .where('case_id', '=', link.case_id)
    .where('source_case_id', '=', link.source_case_id)
    .executeTakeFirst();
  if (existing) return { link: existing, created: false };

  const a = await clusterOf(trx, link.case_id);
  const b = await clusterOf(trx, link.source_case_id);
  const { keep, absorb } = mergeClusters(a, b);
  if (keep !== absorb) {
    await trx
      .updateTable('tracing_investigations')
      .set({ cluster_id: keep })
      .where('cluster_id', '=', absorb)
      .execute();
    await trx
      .updateTable('tracing_source_links')
      .set({ cluster_id: keep })
      .where('cluster_id', '=', absorb)
      .execute();
    await trx.deleteFrom('tracing_clusters').where('id', '=', absorb).execute();
    const kept = keep === a.id ? a : b;
    const merged = {
      size: a.size + b.size,
      district_id: kept.districtId,
      first_reported_at: Math.min(a.firstReportedAt, b.firstReportedAt),
      last_reported_at: Math.max(a.lastReportedAt, b.lastReportedAt),
      updated_at: now,
    };
    await trx
      .insertInto('tracing_clusters')
      .values({ id: keep, ...merged })
      .onConflict((oc) => oc.column('id').doUpdateSet(merged))
      .execute();
  }
  const inserted = await trx
    .insertInto('tracing_source_links')
    .values({ ...link, cluster_id: keep })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { link: inserted, created: true };
}

/** Every link of a cluster: the adjacency of a chain query, one indexed read of three columns. */
export async function clusterLinks(
  db: Db,
  clusterId: number,
): Promise<Pick<SourceLinkRow, 'case_id' | 'source_case_id' | 'certainty'>[]> {
  return db
    .selectFrom('tracing_source_links')
    .select(['case_id', 'source_case_id', 'certainty'])
    .where('cluster_id', '=', clusterId)
    .execute();
}

export interface ChainNodeFacts {
  case_id: number;
  district_id: number;
  street_id: number;
  reported_at: number;
  classification: string | null;
  source_status: string;
}

/** The facts a chain shows for each of its cases: one indexed read by cluster label. */
export async function clusterCases(db: Db, clusterId: number): Promise<ChainNodeFacts[]> {
  return db
    .selectFrom('tracing_investigations')
    .select(['case_id', 'district_id', 'street_id', 'reported_at', 'classification', 'source_status'])
    .where('cluster_id', '=', clusterId)
    .execute();
}

export async function incomingLinks(db: Db, caseId: number): Promise<SourceLinkRow[]> {
  return db.selectFrom('tracing_source_links').selectAll().where('case_id', '=', caseId).execute();
}

export interface ClusterQuery {
  scope: RegionFilter;
  minSize: number;
  limit: number;
}

/** Clusters touching the scope, largest first. */
export async function listClusters(db: Db, q: ClusterQuery): Promise<ClusterRow[]> {
  let query = db.selectFrom('tracing_clusters as k').selectAll('k').where('k.size', '>=', q.minSize);
  if (q.scope.level !== 'city') {
    const inScope = regionCondition(q.scope, {
      district: 'i.district_id',
      street: 'i.street_id',
      person: 'i.person_id',
    });
    query = query.where(
      sql<boolean>`"k"."id" in (select "i"."cluster_id" from "tracing_investigations" as "i" where ${inScope})`,
    );
  }
  return query.orderBy('k.size', 'desc').orderBy('k.id').limit(q.limit).execute();
}
