import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { AppContext } from '../../../app/context.ts';
import { BUCKET_MS, quantileMs, type Histogram } from '../../../domain/screening/stages.ts';
import type {} from '../../../store/cases/tables.ts';
import type { OverviewArea, SectionSource } from '../area.ts';
import type { SectionData } from '../contract.ts';
import { inArea } from './columns.ts';
import { currentRound } from './current-round.ts';

type Stage = SectionData<'stages'>['stages'][number]['stage'];

/**
 * 采送检报转收 as six stages between two stamps each. The sample chain's are screening's tube
 * stamps folded into the four steps command talks about (送 runs from the closed tube to the lab's
 * receipt: boxing, hand-off and the drive); 转收 are the transfer order's.
 */
const TUBE_STAGES = [
  {
    stage: 'sample',
    from: 'collected_at',
    to: 'closed_at',
    waiting: sql`state = 'open' and collected_at is not null`,
  },
  {
    stage: 'transport',
    from: 'closed_at',
    to: 'received_at',
    waiting: sql`state in ('closed', 'boxed', 'dispatched')`,
  },
  { stage: 'test', from: 'received_at', to: 'resulted_at', waiting: sql`state = 'received'` },
  {
    stage: 'report',
    from: 'resulted_at',
    to: 'notified_at',
    waiting: sql`state = 'resulted' and notified_at is null`,
  },
] as const satisfies readonly { stage: Stage; from: string; to: string; waiting: unknown }[];

const ORDER_STAGES = [
  {
    stage: 'transfer',
    from: 'found_at',
    to: 'arrived_at',
    statuses: ['waiting', 'allocated', 'dispatched', 'picked_up'],
  },
  { stage: 'admit', from: 'arrived_at', to: 'admitted_at', statuses: ['arrived'] },
] as const satisfies readonly { stage: Stage; from: string; to: string; statuses: readonly string[] }[];

const DAY_MS = 86_400_000;

/**
 * Tubes are placed by their sampling site (tubes carry the site's district and street, not a
 * committee), so a committee's view times the tubes of its street.
 */
function tubesInArea(area: OverviewArea): RawBuilder<SqlBool> {
  if (area.region.level !== 'committee') return inArea(area, 't');
  return sql<SqlBool>`t.street_id = ${area.region.streetId}`;
}

function histogramOf(rows: readonly { stage: string; bucket: number | string; n: number | string }[]) {
  const out = new Map<string, Histogram>();
  for (const row of rows) {
    const h = out.get(row.stage) ?? new Map<number, number>();
    const bucket = Math.max(0, Number(row.bucket));
    h.set(bucket, (h.get(bucket) ?? 0) + Number(row.n));
    out.set(row.stage, h);
  }
  return out;
}

async function tubeFigures(ctx: AppContext, area: OverviewArea, roundId: number | null) {
  const where = tubesInArea(area);
  // Waiting tubes, whatever their round, through the state index; the report step's backlog
  // (resulted, members not yet told) is looked for in the current round only.
  const backlogs = TUBE_STAGES.map(
    (s) => sql`sum(case when ${s.waiting} then 1 else 0 end) as ${sql.ref(s.stage)}`,
  );
  const waiting = await sql<Record<string, number | string | null>>`
    select ${sql.join(backlogs)} from tubes t
    where ${where} and (state in ('open', 'closed', 'boxed', 'dispatched', 'received')
      ${roundId == null ? sql`` : sql`or (state = 'resulted' and round_id = ${roundId})`})`.execute(
    ctx.store.db,
  );
  if (roundId == null) return { backlog: waiting.rows[0] ?? {}, histograms: new Map<string, Histogram>() };
  const selects = TUBE_STAGES.map(
    (
      s,
    ) => sql`select ${sql.lit(s.stage)} as stage, (${sql.ref(s.to)} - ${sql.ref(s.from)}) / ${sql.lit(BUCKET_MS)} as bucket, count(*) as n
      from tubes t where t.round_id = ${roundId} and ${where} and ${sql.ref(s.from)} is not null and ${sql.ref(s.to)} is not null
      group by bucket`,
  );
  const timed = await sql<{
    stage: string;
    bucket: number;
    n: number;
  }>`${sql.join(selects, sql` union all `)}`.execute(ctx.store.db);
  return { backlog: waiting.rows[0] ?? {}, histograms: histogramOf(timed.rows) };
}

async function orderFigures(ctx: AppContext, area: OverviewArea) {
  const where = inArea(area, 'o');
  const waiting = await ctx.store.db
    .selectFrom('transfer_orders as o')
    .select((eb) => ['o.status', eb.fn.countAll<number>().as('n')])
    .where(where)
    .where('o.status', 'in', ['waiting', 'allocated', 'dispatched', 'picked_up', 'arrived'])
    .groupBy('o.status')
    .execute();
  const since = area.now - DAY_MS;
  const selects = ORDER_STAGES.map(
    (
      s,
    ) => sql`select ${sql.lit(s.stage)} as stage, (${sql.ref(s.to)} - ${sql.ref(s.from)}) / ${sql.lit(BUCKET_MS)} as bucket, count(*) as n
      from transfer_orders o where ${where} and o.found_at >= ${since} and ${sql.ref(s.from)} is not null and ${sql.ref(s.to)} is not null
      group by bucket`,
  );
  const timed = await sql<{
    stage: string;
    bucket: number;
    n: number;
  }>`${sql.join(selects, sql` union all `)}`.execute(ctx.store.db);
  const byStatus = new Map(waiting.map((r) => [r.status, Number(r.n)]));
  const backlog: Record<string, number> = {};
  for (const s of ORDER_STAGES) {
    backlog[s.stage] = s.statuses.reduce((sum, st) => sum + (byStatus.get(st) ?? 0), 0);
  }
  return { backlog, histograms: histogramOf(timed.rows) };
}

/** Each stage's backlog now and its p50 / p90 time (the upper edge of the minute bucket, as screening reads it). */
export const stagesSection: SectionSource<'stages'> = {
  key: 'stages',
  async compute(ctx, area) {
    const round = await currentRound(ctx, area);
    const [tubes, orders] = await Promise.all([
      tubeFigures(ctx, area, round?.round.id ?? null),
      orderFigures(ctx, area),
    ]);
    const stage = (name: Stage, backlog: number, histogram: Histogram | undefined) => {
      const h = histogram ?? new Map<number, number>();
      let done = 0;
      for (const n of h.values()) done += n;
      return { stage: name, backlog, done, p50Ms: quantileMs(h, 0.5), p90Ms: quantileMs(h, 0.9) };
    };
    return {
      data: {
        stages: [
          ...TUBE_STAGES.map((s) =>
            stage(s.stage, Number(tubes.backlog[s.stage] ?? 0), tubes.histograms.get(s.stage)),
          ),
          ...ORDER_STAGES.map((s) =>
            stage(s.stage, orders.backlog[s.stage] ?? 0, orders.histograms.get(s.stage)),
          ),
        ],
      },
    };
  },
};
