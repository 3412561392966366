import type { Insertable } from 'kysely';
import type { AppContext } from '../../src/app/context.ts';
import { Random } from '../../src/domain/random.ts';
import { addDays, atLocalTime, dayOf, startOfDay } from '../../src/domain/time/calendar.ts';
import type {
  TracingContactTable,
  TracingInvestigationTable,
  TracingSourceLinkTable,
  TracingClusterTable,
} from '../../src/store/tracing/tables.ts';

/**
 * Tracing's part of "the city in the state of the 13 April 2022 peak" (../shared/SPEC.md,
 * Benchmarks): the wave's cases before that day (282,180 × S in all, less the day's own) with
 * their investigations, contacts at the wave's proportions (≈1.3 close — the household — and ≈1.5
 * contacts of contacts per case) and chains: a few clusters of 1,000 cases, many small ones, and
 * unknown-source singletons. Written straight to tracing's tables, before any timing starts.
 */
export interface Resident {
  personId: number;
  districtId: number;
  streetId: number;
  householdId: number | null;
  placeId: number | null;
}

export interface WaveState {
  /** The day's new cases, in the order they are announced; some were traced contacts. */
  today: (Resident & { caseId: number; sampledAt: number; reportedAt: number })[];
  /** Candidate contacts of contacts per district (residents who are not cases). */
  neighbours: Map<number, Resident[]>;
  /** Cases in clusters of 1,000 and other linked cases: where chain queries are aimed. */
  bigClusterCases: number[];
  linkedCases: number[];
  historyCases: number;
  historyContacts: number;
}

const WAVE_CASES = 282_180;
const DAY_CASES = 27_605;
const CHUNK = 1000;

/**
 * Residents drawn household-first (a random household, then one of its members), so a case's
 * household has the city's mean size: drawing people directly favours big households and would
 * give ~1.8 household contacts a case instead of the wave's ~1.3.
 */
async function sampleResidents(ctx: AppContext, r: Random, wanted: number): Promise<Resident[]> {
  const range = await ctx.store.db
    .selectFrom('households')
    .select((eb) => [eb.fn.min('id').as('lo'), eb.fn.max('id').as('hi')])
    .executeTakeFirstOrThrow();
  const lo = Number(range.lo);
  const hi = Number(range.hi);
  const ids = new Set<number>();
  while (ids.size < Math.min(wanted, hi - lo + 1)) ids.add(r.int(lo, hi));
  const members = await householdsOf(
    ctx,
    [...ids].sort((a, b) => a - b),
  );
  return [...members.values()]
    .map((list) => list[Math.floor(r.float() * list.length)])
    .sort((a, b) => a.personId - b.personId);
}

async function householdsOf(ctx: AppContext, households: number[]): Promise<Map<number, Resident[]>> {
  const out = new Map<number, Resident[]>();
  for (let i = 0; i < households.length; i += 900) {
    const rows = await ctx.store.db
      .selectFrom('people')
      .select(['id', 'district_id', 'street_id', 'household_id', 'place_id'])
      .where('household_id', 'in', households.slice(i, i + 900))
      .execute();
    for (const p of rows) {
      const list = out.get(p.household_id!) ?? [];
      list.push({
        personId: p.id,
        districtId: p.district_id,
        streetId: p.street_id,
        householdId: p.household_id,
        placeId: p.place_id,
      });
      out.set(p.household_id!, list);
    }
  }
  return out;
}

/** Cluster sizes: ~20 % of history cases in clusters of exactly 1,000, ~45 % in clusters of 2–60, the rest alone. */
function clusterSizes(r: Random, total: number): number[] {
  const sizes: number[] = [];
  let left = total;
  for (
    let big = Math.max(1, Math.floor((total * 0.2) / 1000));
    big > 0 && left >= 1000;
    big--, left -= 1000
  ) {
    sizes.push(1000);
  }
  let small = Math.floor(total * 0.45);
  while (small > 1 && left > 1) {
    const size = Math.min(left, small, 2 + Math.floor(58 * r.float() ** 3));
    sizes.push(size);
    small -= size;
    left -= size;
  }
  for (; left > 0; left--) sizes.push(1);
  return sizes;
}

export async function loadWave(
  ctx: AppContext,
  options: { scale: number; seed: number; day: string },
): Promise<WaveState> {
  const r = new Random(`tracing-wave:${options.seed}`);
  const tz = ctx.config.timeZone;
  const totalCases = Math.round(WAVE_CASES * options.scale);
  const dayCases = Math.round(DAY_CASES * options.scale);
  const historyCount = totalCases - dayCases;
  const pool = (await sampleResidents(ctx, r, Math.round(totalCases * 2.5))).filter(
    (p) => p.householdId != null,
  );
  // Shuffle once: cases first, the rest are neighbours who may be named as contacts of contacts.
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(r.float() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const history = pool.slice(0, historyCount);
  const fresh = pool.slice(historyCount, totalCases);
  const neighbours = new Map<number, Resident[]>();
  for (const p of pool.slice(totalCases)) {
    const list = neighbours.get(p.districtId);
    if (list) list.push(p);
    else neighbours.set(p.districtId, [p]);
  }

  const firstDay = startOfDay(addDays(options.day, -16), tz);
  const dayStart = startOfDay(options.day, tz);
  const reported = history
    .map(() => firstDay + Math.floor(r.float() * (dayStart - firstDay)))
    .sort((a, b) => a - b);
  const investigations: Insertable<TracingInvestigationTable>[] = history.map((p, i) => ({
    district_id: p.districtId,
    street_id: p.streetId,
    case_id: i + 1,
    person_id: p.personId,
    household_id: p.householdId,
    place_id: p.placeId,
    status: 'completed',
    tracer_user_id: null,
    onset_at: null,
    sampled_at: reported[i] - 12 * 3_600_000,
    reported_at: reported[i],
    exposure_from_at: startOfDay(addDays(dayOf(reported[i] - 12 * 3_600_000, tz), -4), tz),
    deadline_at: reported[i] + 24 * 3_600_000,
    completed_at: reported[i] + 20 * 3_600_000,
    classification: r.chance(0.3) ? 'community' : 'inside_control',
    source_status: 'unknown',
    cluster_id: i + 1,
    summary: null,
    created_at: reported[i],
    updated_at: reported[i],
  }));

  // Chains: members of a cluster are scattered over the wave; each links to an earlier member.
  const order = investigations.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(r.float() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const links: Insertable<TracingSourceLinkTable>[] = [];
  const clusters: TracingClusterTable[] = [];
  const bigClusterCases: number[] = [];
  const linkedCases: number[] = [];
  let at = 0;
  for (const size of clusterSizes(r, historyCount)) {
    const members = order.slice(at, at + size).sort((a, b) => a - b);
    at += size;
    if (size === 1) continue;
    const root = investigations[members[0]];
    for (const m of members) investigations[m].cluster_id = root.case_id;
    for (let k = 1; k < members.length; k++) {
      const child = investigations[members[k]];
      const parent = investigations[members[Math.floor(r.float() * k)]];
      child.source_status = 'linked';
      links.push({
        district_id: child.district_id,
        case_id: child.case_id,
        source_case_id: parent.case_id,
        source_district_id: parent.district_id,
        certainty: r.pick(['confirmed', 'probable', 'possible'] as const),
        basis: 'contact',
        contact_id: null,
        cluster_id: root.case_id,
        note: null,
        created_by: null,
        created_at: child.reported_at,
      });
      (size === 1000 ? bigClusterCases : linkedCases).push(child.case_id);
    }
    clusters.push({
      id: root.case_id,
      size,
      district_id: root.district_id,
      first_reported_at: root.reported_at,
      last_reported_at: investigations[members[members.length - 1]].reported_at,
      updated_at: root.reported_at,
    });
  }

  // Contacts: the household (close) and one or two named contacts of contacts per case.
  const homes = await householdsOf(ctx, [...new Set(history.map((p) => p.householdId!))]);
  const caseIds = new Set(pool.slice(0, totalCases).map((p) => p.personId));
  const contacts: Insertable<TracingContactTable>[] = [];
  const formerContacts: Resident[] = [];
  investigations.forEach((inv, i) => {
    const row = (p: Resident, degree: 'close' | 'secondary', kind: 'household' | 'social') => ({
      district_id: p.districtId,
      street_id: p.streetId,
      person_id: p.personId,
      case_id: inv.case_id,
      case_district_id: inv.district_id,
      degree,
      status: 'confirmed' as const,
      exposure_kind: kind,
      exposure_place_id: inv.place_id ?? null,
      exposure_at: inv.sampled_at,
      proposed_by: kind === 'household' ? ('rule' as const) : ('tracer' as const),
      created_at: inv.reported_at,
      decided_at: inv.reported_at,
      plan_edition: '9th',
      plan_until_at: inv.reported_at + 10 * 86_400_000,
    });
    for (const m of homes.get(history[i].householdId!) ?? []) {
      if (caseIds.has(m.personId)) continue;
      contacts.push(row(m, 'close', 'household'));
      if (formerContacts.length < dayCases * 0.3 && r.chance(0.2)) formerContacts.push(m);
    }
    const candidates = neighbours.get(inv.district_id) ?? [];
    for (let k = i % 2 === 0 ? 1 : 2; k > 0 && candidates.length > 0; k--) {
      contacts.push(row(r.pick(candidates), 'secondary', 'social'));
    }
  });

  await ctx.store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < investigations.length; i += CHUNK) {
      await trx
        .insertInto('tracing_investigations')
        .values(investigations.slice(i, i + CHUNK))
        .execute();
    }
    for (let i = 0; i < links.length; i += CHUNK) {
      await trx
        .insertInto('tracing_source_links')
        .values(links.slice(i, i + CHUNK))
        .execute();
    }
    for (let i = 0; i < clusters.length; i += CHUNK) {
      await trx
        .insertInto('tracing_clusters')
        .values(clusters.slice(i, i + CHUNK))
        .execute();
    }
    for (let i = 0; i < contacts.length; i += CHUNK) {
      await trx
        .insertInto('tracing_contacts')
        .values(contacts.slice(i, i + CHUNK))
        .onConflict((oc) => oc.columns(['district_id', 'case_id', 'person_id']).doNothing())
        .execute();
    }
  });

  // The day's cases: about 30 % found among traced contacts, the rest new; reported in the evening.
  const seen = new Set<number>();
  const todays = [...formerContacts, ...fresh]
    .filter((p) => !seen.has(p.personId) && seen.add(p.personId))
    .slice(0, dayCases);
  const today = todays.map((p, i) => {
    const reportedAt = atLocalTime(options.day, 22, 0, tz) + Math.floor(r.float() * 119 * 60_000);
    return {
      ...p,
      caseId: historyCount + i + 1,
      sampledAt: atLocalTime(options.day, 6, 0, tz) + Math.floor(r.float() * 4 * 3_600_000),
      reportedAt,
    };
  });
  return {
    today,
    neighbours,
    bigClusterCases,
    linkedCases,
    historyCases: historyCount,
    historyContacts: contacts.length,
  };
}
