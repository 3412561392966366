import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import { BUCKET_MS, STAGES, type StageName } from '../../domain/screening/stages.ts';
import type { Database } from '../schema.ts';

/**
 * Stage durations of tubes as minute histograms, and stage backlogs, per group (district,
 * street, site or lab): the database aggregates, so a citywide round's 2.4 M tubes come back as
 * a few thousand rows whatever the scale.
 */
type Db = Kysely<Database> | Transaction<Database>;

export type StageGroup = 'district_id' | 'street_id' | 'site_id' | 'lab_id';

export interface StageFilter {
  roundId?: number;
  since?: number;
  districtId?: number;
  streetId?: number;
}

function where(f: StageFilter): RawBuilder<SqlBool> {
  const parts: RawBuilder<SqlBool>[] = [];
  if (f.roundId != null) parts.push(sql<SqlBool>`round_id = ${f.roundId}`);
  if (f.since != null) parts.push(sql<SqlBool>`collected_at >= ${f.since}`);
  if (f.districtId != null) parts.push(sql<SqlBool>`district_id = ${f.districtId}`);
  if (f.streetId != null) parts.push(sql<SqlBool>`street_id = ${f.streetId}`);
  return parts.length ? sql<SqlBool>`${sql.join(parts, sql` and `)}` : sql<SqlBool>`1 = 1`;
}

export interface HistogramRow {
  stage: StageName;
  key: number | null;
  bucket: number;
  n: number;
}

export async function stageHistograms(db: Db, group: StageGroup, f: StageFilter): Promise<HistogramRow[]> {
  const key = sql.ref(group);
  const selects = STAGES.map(
    (
      s,
    ) => sql`select ${sql.lit(s.name)} as stage, ${key} as k, (${sql.ref(s.to)} - ${sql.ref(s.from)}) / ${sql.lit(BUCKET_MS)} as bucket, count(*) as n
      from tubes where ${where(f)} and ${sql.ref(s.from)} is not null and ${sql.ref(s.to)} is not null group by ${key}, bucket`,
  );
  const result = await sql<{
    stage: StageName;
    k: number | null;
    bucket: number;
    n: number;
  }>`${sql.join(selects, sql` union all `)}`.execute(db);
  return result.rows.map((r) => ({
    stage: r.stage,
    key: r.k == null ? null : Number(r.k),
    bucket: Math.max(0, Number(r.bucket)),
    n: Number(r.n),
  }));
}

export interface BacklogRow {
  key: number | null;
  backlog: Record<StageName, number>;
}

export async function stageBacklogs(db: Db, group: StageGroup, f: StageFilter): Promise<BacklogRow[]> {
  const sums = STAGES.map(
    (s) =>
      sql`sum(case when ${sql.ref(s.from)} is not null and ${sql.ref(s.to)} is null then 1 else 0 end) as ${sql.ref(s.name)}`,
  );
  const result = await sql<
    Record<string, number | null>
  >`select ${sql.ref(group)} as k, ${sql.join(sums)} from tubes where ${where(f)} group by ${sql.ref(group)}`.execute(
    db,
  );
  return result.rows.map((r) => ({
    key: r.k == null ? null : Number(r.k),
    backlog: Object.fromEntries(STAGES.map((s) => [s.name, Number(r[s.name] ?? 0)])) as Record<
      StageName,
      number
    >,
  }));
}
