import type { Selectable } from 'kysely';
import { issueToken } from '../../src/app/access/tokens.ts';
import { inTransaction, type AppContext } from '../../src/app/context.ts';
import { reactToNewCase } from '../../src/app/tracing/case-created.ts';
import { addContacts } from '../../src/app/tracing/contacts.ts';
import { findInvestigationByCase } from '../../src/store/tracing/investigations.ts';
import type { TracingContactTable } from '../../src/store/tracing/tables.ts';
import { buildServer } from '../../src/api/server.ts';
import { Random } from '../../src/domain/random.ts';
import type { WaveState } from './wave.ts';

/** What a consumer transaction holds at most (the dispatcher hands consumers 500 events at a time). */
const CASES_PER_TRANSACTION = 500;

/**
 * The day's cases through tracing's real path, as the `case.created` consumer runs it: open the
 * investigation, link the source when the case was a traced contact (its plan ends), add the
 * household as close contacts under their plan (episodes, quarantine-day test orders, a transfer
 * order to a quarantine hotel), then the contacts of contacts a tracer names (1–2 a case, home
 * quarantine plans). Returns the contacts created and the seconds taken.
 */
export async function createDayContacts(
  ctx: AppContext,
  wave: WaveState,
  seed: number,
): Promise<{ contacts: number; close: number; secondary: number; seconds: number; cpuSeconds: number }> {
  const r = new Random(`tracing-named:${seed}`);
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < wave.today.length; i += CASES_PER_TRANSACTION) {
    await inTransaction(ctx, async (uow) => {
      for (const c of wave.today.slice(i, i + CASES_PER_TRANSACTION)) {
        const facts = {
          caseId: c.caseId,
          personId: c.personId,
          districtId: c.districtId,
          streetId: c.streetId,
          placeId: c.placeId,
          householdId: c.householdId,
          sampledAt: c.sampledAt,
          reportedAt: c.reportedAt,
          onsetAt: null,
          classification: 'community',
          sourceCaseId: null,
        };
        const inv =
          (await reactToNewCase(ctx, uow, facts)) ?? (await findInvestigationByCase(uow.trx, c.caseId))!;
        const candidates = wave.neighbours.get(c.districtId) ?? [];
        const named = Array.from({ length: c.caseId % 2 === 0 ? 1 : 2 }, () => r.pick(candidates)).filter(
          Boolean,
        );
        await addContacts(
          ctx,
          uow,
          inv,
          named.map((p) => ({
            personId: p.personId,
            degree: 'secondary' as const,
            kind: 'social' as const,
            at: c.sampledAt,
          })),
          { origin: 'tracer', confirm: true, actorUserId: null },
        );
      }
    });
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const firstToday = wave.today[0]?.caseId ?? 0;
  const counts = await ctx.store.db
    .selectFrom('tracing_contacts')
    .select(['degree', (eb) => eb.fn.countAll<number>().as('n')])
    .where('case_id', '>=', firstToday)
    .groupBy('degree')
    .execute();
  const close = Number(counts.find((c) => c.degree === 'close')?.n ?? 0);
  const secondary = Number(counts.find((c) => c.degree === 'secondary')?.n ?? 0);
  return {
    contacts: close + secondary,
    close,
    secondary,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/**
 * The baseline: the same contact rows written raw into the same table with the same indexes —
 * better-sqlite3 prepared statements in 10,000-row transactions (SQLite) or 1,000-row multi-row
 * inserts (PostgreSQL). The rows are taken out first and put back identical.
 */
export async function rawInsertRate(
  ctx: AppContext,
  firstCaseId: number,
): Promise<{ rows: number; seconds: number }> {
  const db = ctx.store.db;
  const rows = await db
    .selectFrom('tracing_contacts')
    .selectAll()
    .where('case_id', '>=', firstCaseId)
    .orderBy('id')
    .execute();
  await db.deleteFrom('tracing_contacts').where('case_id', '>=', firstCaseId).execute();
  const started = performance.now();
  if (ctx.store.sqlite) {
    const columns = Object.keys(rows[0] ?? {}) as (keyof Selectable<TracingContactTable>)[];
    const statement = ctx.store.sqlite.prepare(
      `insert into tracing_contacts (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
    );
    const insertMany = ctx.store.sqlite.transaction((batch: typeof rows) => {
      for (const row of batch) statement.run(...columns.map((c) => row[c]));
    });
    for (let i = 0; i < rows.length; i += 10_000) insertMany(rows.slice(i, i + 10_000));
  } else {
    for (let i = 0; i < rows.length; i += 1000) {
      await db
        .insertInto('tracing_contacts')
        .values(rows.slice(i, i + 1000))
        .execute();
    }
  }
  return { rows: rows.length, seconds: (performance.now() - started) / 1000 };
}

/** p50 / p95 / max latency of `GET /api/v1/tracing/chains/:caseId` through the HTTP stack (inject), city scope. */
export async function chainLatencies(
  ctx: AppContext,
  wave: WaveState,
  seed: number,
  queries = 200,
): Promise<{ p50: number; p95: number; max: number; cpuP95: number; maxNodes: number; queries: number }> {
  const r = new Random(`tracing-chains:${seed}`);
  const app = await buildServer(ctx);
  const city = ctx.regions.city()!;
  // Login tokens live on the wall clock, not the simulated one.
  const token = issueToken(
    ctx.secrets.tokenKey,
    { userId: 1, username: 'bench', role: 'admin', scope: { kind: 'region', regionId: city.id } },
    ctx.wallClock.now(),
  );
  // Half on the 1,000-case clusters (the worst case allowed), half on any linked case.
  const targets = Array.from({ length: queries }, (_, i) =>
    r.pick(i % 2 === 0 && wave.bigClusterCases.length ? wave.bigClusterCases : wave.linkedCases),
  );
  const times: number[] = [];
  // CPU time too: on a shared machine wall time also counts other processes' turns.
  const cpu: number[] = [];
  let maxNodes = 0;
  for (const [k, caseId] of targets.entries()) {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/tracing/chains/${caseId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpuStart);
    if (res.statusCode !== 200) {
      throw new Error(`chain ${caseId}: HTTP ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    if (k >= 10) {
      // the first few warm the caches and the JIT
      times.push(ms);
      cpu.push((used.user + used.system) / 1000);
    }
    maxNodes = Math.max(maxNodes, (res.json() as { nodes: unknown[] }).nodes.length);
  }
  await app.close();
  const at = (list: number[], q: number) =>
    [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(q * list.length))];
  return {
    p50: at(times, 0.5),
    p95: at(times, 0.95),
    max: at(times, 1),
    cpuP95: at(cpu, 0.95),
    maxNodes,
    queries: times.length,
  };
}
