import { sql } from 'kysely';
import type { AppContext } from '../../src/app/context.ts';
import { Random } from '../../src/domain/random.ts';

/**
 * The people the status bench looks up, and a plausible spread of causes among them so look-ups
 * do real work: sealed and controlled homes, quarantines and contacts of contacts, pool holds,
 * screening duties current and overdue, arrivals, ended episodes that must be skipped. Written
 * straight to the kernel's tables before any timing starts.
 */
export interface Resident {
  personId: number;
  districtId: number;
}

export interface Worker extends Resident {
  ref: string;
  organisationId: number;
}

export interface StatusBenchState {
  /** Residents who open their code again and again (the warm set). */
  residents: Resident[];
  /** Residents looked up once each, first visits (the cold set). */
  coldResidents: Resident[];
  workers: Worker[];
  episodes: number;
  orders: number;
}

const HOUR = 3_600_000;

async function samplePeople(ctx: AppContext, r: Random, wanted: number, workersOnly: boolean) {
  const range = await ctx.store.db
    .selectFrom('people')
    .select((eb) => [eb.fn.min('id').as('lo'), eb.fn.max('id').as('hi')])
    .executeTakeFirstOrThrow();
  const lo = Number(range.lo);
  const hi = Number(range.hi);
  const out = new Map<
    number,
    { id: number; district_id: number; ref: string; workplace_org_id: number | null }
  >();
  for (let attempt = 0; out.size < wanted && attempt < 50; attempt++) {
    const ids = Array.from({ length: (wanted - out.size) * (workersOnly ? 8 : 1) + 100 }, () =>
      r.int(lo, hi),
    );
    for (let i = 0; i < ids.length; i += 900) {
      let q = ctx.store.db
        .selectFrom('people')
        .select(['id', 'district_id', 'ref', 'workplace_org_id'])
        .where('id', 'in', ids.slice(i, i + 900));
      if (workersOnly) q = q.where('workplace_org_id', 'is not', null);
      for (const p of await q.execute()) if (out.size < wanted) out.set(p.id, p);
    }
  }
  return [...out.values()];
}

export async function prepareStatusState(
  ctx: AppContext,
  seed: number,
  now: number,
  counts = { residents: 20_000, cold: 60_000, workers: 5_000 },
): Promise<StatusBenchState> {
  const r = new Random(`status-bench:${seed}`);
  const sampled = await samplePeople(ctx, r.fork('residents'), counts.residents + counts.cold, false);
  const people = sampled.slice(0, counts.residents);
  const cold = sampled.slice(counts.residents);
  const workers = await samplePeople(ctx, r.fork('workers'), counts.workers, true);
  const episodes: Record<string, unknown>[] = [];
  const orders: Record<string, unknown>[] = [];
  const arrivals: Record<string, unknown>[] = [];
  const episode = (
    p: { id: number; district_id: number },
    kind: string,
    sourceType: string,
    from: number,
    until: number | null,
    ended = false,
  ) =>
    episodes.push({
      district_id: p.district_id,
      person_id: p.id,
      kind,
      from_at: from,
      until_at: until,
      source_type: sourceType,
      source_id: `bench-${p.id}-${episodes.length}`,
      ended_reason: ended ? 'bench history' : null,
      created_at: from,
    });
  const order = (p: { id: number; district_id: number }, reason: string, dueAt: number) =>
    orders.push({
      district_id: p.district_id,
      person_id: p.id,
      reason,
      due_at: dueAt,
      not_before_at: dueAt - 24 * HOUR,
      source_type: 'compliance.duty',
      source_id: `bench-${p.id}-${orders.length}`,
      status: 'open',
      fulfilled_at: null,
      created_at: dueAt - 24 * HOUR,
    });

  for (const p of [...sampled, ...workers]) {
    const x = r.float();
    if (x < 0.05) episode(p, 'sealed_residence', 'zone', now - 3 * 24 * HOUR, null);
    else if (x < 0.08) episode(p, 'controlled_residence', 'zone', now - 2 * 24 * HOUR, null);
    else if (x < 0.1) episode(p, 'quarantine', 'tracing.close_contact', now - 24 * HOUR, now + 6 * 24 * HOUR);
    else if (x < 0.12) {
      episode(p, 'quarantine', 'tracing.secondary_contact', now - 24 * HOUR, now + 6 * 24 * HOUR);
    } else if (x < 0.13) episode(p, 'pool_hold', 'screening.pool', now - 5 * HOUR, null);
    if (r.float() < 0.2) {
      episode(p, 'quarantine', 'tracing.close_contact', now - 30 * 24 * HOUR, now - 20 * 24 * HOUR, true);
    }
    const y = r.float();
    if (y < 0.1) order(p, 'screening_duty', now - 6 * HOUR);
    else if (y < 0.5) order(p, 'screening_duty', now + 18 * HOUR);
    if (r.float() < 0.02) {
      arrivals.push({
        district_id: p.district_id,
        person_id: p.id,
        arrived_at: now - 2 * 24 * HOUR,
        from_level: 'sealed',
        origin: 'bench',
        recorded_by: null,
        created_at: now,
      });
    }
  }
  const db = ctx.store.db;
  for (let i = 0; i < episodes.length; i += 500) {
    await db
      .insertInto('control_episodes')
      .values(episodes.slice(i, i + 500) as never)
      .execute();
  }
  for (let i = 0; i < orders.length; i += 500) {
    await db
      .insertInto('test_orders')
      .values(orders.slice(i, i + 500) as never)
      .execute();
  }
  for (let i = 0; i < arrivals.length; i += 500) {
    await db
      .insertInto('status_arrivals')
      .values(arrivals.slice(i, i + 500) as never)
      .execute();
  }
  if (ctx.store.dialect === 'sqlite') await sql`analyze`.execute(db);
  return {
    residents: people.map((p) => ({ personId: p.id, districtId: p.district_id })),
    coldResidents: cold.map((p) => ({ personId: p.id, districtId: p.district_id })),
    workers: workers.map((p) => ({
      personId: p.id,
      districtId: p.district_id,
      ref: p.ref,
      organisationId: p.workplace_org_id!,
    })),
    episodes: episodes.length,
    orders: orders.length,
  };
}
