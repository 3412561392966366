import type pg from 'pg';
import type { ControlKind } from '../../domain/kernel/control-episodes.ts';
import type { PersonFacts, RoundFacts } from '../../domain/screening/scan-decision.ts';
import type { ScanItem, SiteFacts } from '../../domain/screening/scan-group.ts';
import type { Tube } from '../../domain/screening/tube.ts';
import { toRoundFacts, toTube, type RoundRow, type TubeRow } from './scan-rows.ts';

/**
 * A scan group's facts on PostgreSQL, fetched with a handful of set-based queries before the
 * (synchronous) decision. Keys go in as arrays through unnest, and each look-up is a LATERAL
 * index probe: the scans table grows by the second, and a planner working from stale
 * statistics must not turn a probe into a scan. The person and their earlier sample in the
 * round come back in one query.
 */
type Client = pg.PoolClient;

export const key = (...parts: (string | number)[]) => parts.join('\u0000');

export interface Prefetched {
  rounds: Map<number, RoundFacts>;
  sites: Map<number, SiteFacts>;
  people: Map<string, Omit<PersonFacts, 'controlKinds'>>;
  controls: Map<number, { kind: ControlKind; from: number; until: number | null }[]>;
  /** Client ids found stored, and the keys that were looked for (others are checked after the decision). */
  existing: Map<string, string>;
  existingChecked: Set<string>;
  priors: Map<string, { clientId: string; tubeCode: string }>;
  tubes: Map<string, Tube>;
  retest: Map<number, number>;
}

export async function prefetch(c: Client, items: readonly ScanItem[]): Promise<Prefetched> {
  const valid = items.filter((i) => i.districtId != null && i.personRef != null && !i.codeProblem);
  const f: Prefetched = {
    rounds: new Map(),
    sites: new Map(),
    people: new Map(),
    controls: new Map(),
    existing: new Map(),
    existingChecked: new Set(),
    priors: new Map(),
    tubes: new Map(),
    retest: new Map(),
  };
  const rounds = await c.query<RoundRow>(
    'select id, name, starts_at, ends_at, closed_at, pooling from screening_rounds where id = any($1::bigint[])',
    [[...new Set(items.map((i) => i.roundId))]],
  );
  for (const r of rounds.rows) f.rounds.set(Number(r.id), toRoundFacts(r));
  const sites = await c.query(
    'select id, district_id, street_id, kind from sampling_sites where id = any($1::bigint[])',
    [[...new Set(items.map((i) => i.siteId))]],
  );
  for (const r of sites.rows) {
    f.sites.set(Number(r.id), {
      id: Number(r.id),
      districtId: Number(r.district_id),
      streetId: Number(r.street_id),
      kind: r.kind,
    });
  }

  const people = await c.query(
    `select p.id, p.district_id, p.street_id, p.committee_id, p.household_id, p.occupation, p.vulnerable, p.ref, k.r as round_id, s.client_id, t.barcode
       from unnest($1::bigint[], $2::text[], $3::bigint[]) as k(d, ref, r)
       cross join lateral (select * from people p where p.district_id = k.d and p.ref = k.ref) p
       left join lateral (select s.client_id, s.tube_id, s.tube_district_id from scans s where s.district_id = k.d and s.person_id = p.id and s.round_id = k.r and s.slot = 0) s on true
       left join tubes t on t.district_id = s.tube_district_id and t.id = s.tube_id`,
    [valid.map((i) => i.districtId), valid.map((i) => i.personRef), valid.map((i) => i.roundId)],
  );
  for (const r of people.rows) {
    f.people.set(key(r.district_id, r.ref), {
      id: Number(r.id),
      districtId: Number(r.district_id),
      streetId: Number(r.street_id),
      committeeId: r.committee_id == null ? null : Number(r.committee_id),
      householdId: r.household_id == null ? null : Number(r.household_id),
      occupation: r.occupation,
      vulnerable: r.vulnerable,
    });
    if (r.client_id != null) {
      f.priors.set(key(r.district_id, r.id, r.round_id), { clientId: r.client_id, tubeCode: r.barcode });
    }
  }
  const persons = [...f.people.values()];
  const controls = await c.query(
    `select e.person_id, e.kind, e.from_at, e.until_at from unnest($1::bigint[], $2::bigint[]) as k(d, p)
       cross join lateral (select * from control_episodes e where e.person_id = k.p and e.district_id = k.d and (e.until_at is null or e.until_at > $3)) e`,
    [
      persons.map((p) => p.districtId),
      persons.map((p) => p.id),
      Math.min(...items.map((i) => i.collectedAt)),
    ],
  );
  for (const r of controls.rows) {
    const list = f.controls.get(Number(r.person_id)) ?? [];
    list.push({
      kind: r.kind,
      from: Number(r.from_at),
      until: r.until_at == null ? null : Number(r.until_at),
    });
    f.controls.set(Number(r.person_id), list);
  }
  // A barcode not stored yet cannot be locked FOR UPDATE: two groups (this process's concurrent
  // writers or another process) opening it in different districts would both insert it, since
  // the unique key is (barcode, district_id). A transaction lock per barcode, taken in order,
  // makes the later group wait and then find the tube.
  await c.query(
    'select pg_advisory_xact_lock(hashtextextended(b, 3)) from (select distinct unnest($1::text[]) as b order by 1) k',
    [[...new Set(items.map((i) => i.tubeCode))]],
  );
  const tubes = await c.query<TubeRow>(
    `select id, district_id, street_id, round_id, barcode, site_id, purpose, capacity, filled, state, household_id, collected_at, closed_at
       from tubes where barcode = any($1::text[]) order by district_id, id for update`,
    [[...new Set(items.map((i) => i.tubeCode))]],
  );
  for (const r of tubes.rows) if (!f.tubes.has(r.barcode)) f.tubes.set(r.barcode, toTube(r));

  // Retest scans are recognised by client id before they are accepted (their slot is the order's).
  const retests = valid.filter(
    (i) => f.tubes.get(i.tubeCode)?.purpose === 'retest' || i.tubePurpose === 'retest',
  );
  if (retests.length > 0) {
    await lookUpExisting(
      c,
      f,
      retests.map((i) => ({ districtId: i.districtId!, clientId: i.clientId })),
    );
    const who = retests.map((i) => f.people.get(key(i.districtId!, i.personRef!))).filter((p) => p != null);
    const orders = await c.query(
      `select k.p as person_id, o.id from unnest($1::bigint[], $2::bigint[]) as k(d, p)
         cross join lateral (select id from test_orders o where o.district_id = k.d and o.person_id = k.p and o.status = 'open' and o.reason in ('pool_retest', 'resample') order by id limit 1) o`,
      [who.map((p) => p.districtId), who.map((p) => p.id)],
    );
    for (const r of orders.rows) f.retest.set(Number(r.person_id), Number(r.id));
  }
  return f;
}

/** Adds to `f.existing` the stored scans among these client ids (and marks them looked up). */
export async function lookUpExisting(
  c: Client,
  f: Prefetched,
  keys: { districtId: number; clientId: string }[],
): Promise<void> {
  const fresh = keys.filter((k) => !f.existingChecked.has(key(k.districtId, k.clientId)));
  if (fresh.length === 0) return;
  const rows = await c.query(
    `select s.district_id, s.client_id, t.barcode from unnest($1::bigint[], $2::text[]) as k(d, c)
       cross join lateral (select * from scans s where s.district_id = k.d and s.client_id = k.c) s
       join tubes t on t.district_id = s.tube_district_id and t.id = s.tube_id`,
    [fresh.map((k) => k.districtId), fresh.map((k) => k.clientId)],
  );
  for (const k of fresh) f.existingChecked.add(key(k.districtId, k.clientId));
  for (const r of rows.rows) f.existing.set(key(r.district_id, r.client_id), r.barcode);
}
