import type pg from 'pg';
import type { ControlKind } from '../../domain/kernel/control-episodes.ts';
import type { PersonFacts, RoundFacts } from '../../domain/screening/scan-decision.ts';
import { rejection } from '../../domain/screening/sampler-errors.ts';
import { decideScanGroup, type AcceptedScan, type ItemOutcome, type ScanFactsSource, type ScanItem, type SiteFacts } from '../../domain/screening/scan-group.ts';
import type { Tube } from '../../domain/screening/tube.ts';
import { toRoundFacts, toTube, type RoundRow, type TubeRow } from './scan-rows.ts';

/**
 * The PostgreSQL path of scan ingest: a group's facts are fetched with a handful of set-based
 * queries (arrays joined through unnest), decided by the shared pure function, and written with
 * multi-row inserts. Tubes are locked (FOR UPDATE) so that several Cordon processes filling the
 * same tube serialise; a person sampled concurrently by two processes is caught by the unique
 * key and answered "already sampled".
 */
type Client = pg.PoolClient;

class TubeOpenedConcurrently extends Error {}

const key = (...parts: (string | number)[]) => parts.join('\u0000');

interface Prefetched {
  rounds: Map<number, RoundFacts>;
  sites: Map<number, SiteFacts>;
  people: Map<string, Omit<PersonFacts, 'controlKinds'>>;
  controls: Map<number, { kind: ControlKind; from: number; until: number | null }[]>;
  existing: Map<string, string>;
  priors: Map<string, { clientId: string; tubeCode: string }>;
  tubes: Map<string, Tube>;
  retest: Map<number, number>;
}

async function prefetch(c: Client, items: readonly ScanItem[]): Promise<Prefetched> {
  const valid = items.filter((i) => i.districtId != null && i.personRef != null && !i.codeProblem);
  const roundIds = [...new Set(items.map((i) => i.roundId))];
  const siteIds = [...new Set(items.map((i) => i.siteId))];
  const rounds = new Map<number, RoundFacts>();
  for (const r of (await c.query<RoundRow>('select id, name, starts_at, ends_at, closed_at, pooling from screening_rounds where id = any($1::bigint[])', [roundIds])).rows) {
    rounds.set(Number(r.id), toRoundFacts(r));
  }
  const sites = new Map<number, SiteFacts>();
  for (const r of (await c.query('select id, district_id, street_id, kind from sampling_sites where id = any($1::bigint[])', [siteIds])).rows) {
    sites.set(Number(r.id), { id: Number(r.id), districtId: Number(r.district_id), streetId: Number(r.street_id), kind: r.kind });
  }
  const people = new Map<string, Omit<PersonFacts, 'controlKinds'>>();
  const personRows = await c.query(
    `select p.id, p.district_id, p.street_id, p.committee_id, p.household_id, p.occupation, p.vulnerable, p.ref
       from unnest($1::bigint[], $2::text[]) as k(d, r) join people p on p.district_id = k.d and p.ref = k.r`,
    [valid.map((i) => i.districtId), valid.map((i) => i.personRef)],
  );
  for (const r of personRows.rows) {
    people.set(key(r.district_id, r.ref), {
      id: Number(r.id),
      districtId: Number(r.district_id),
      streetId: Number(r.street_id),
      committeeId: r.committee_id == null ? null : Number(r.committee_id),
      householdId: r.household_id == null ? null : Number(r.household_id),
      occupation: r.occupation,
      vulnerable: r.vulnerable,
    });
  }
  const persons = [...people.values()];
  const controls = new Map<number, { kind: ControlKind; from: number; until: number | null }[]>();
  const earliest = Math.min(...items.map((i) => i.collectedAt));
  const controlRows = await c.query(
    `select e.person_id, e.kind, e.from_at, e.until_at from unnest($1::bigint[], $2::bigint[]) as k(d, p)
       join control_episodes e on e.district_id = k.d and e.person_id = k.p where e.until_at is null or e.until_at > $3`,
    [persons.map((p) => p.districtId), persons.map((p) => p.id), earliest],
  );
  for (const r of controlRows.rows) {
    const list = controls.get(Number(r.person_id)) ?? [];
    list.push({ kind: r.kind, from: Number(r.from_at), until: r.until_at == null ? null : Number(r.until_at) });
    controls.set(Number(r.person_id), list);
  }
  const existing = new Map<string, string>();
  const existingRows = await c.query(
    `select s.district_id, s.client_id, t.barcode from unnest($1::bigint[], $2::text[]) as k(d, c)
       join scans s on s.district_id = k.d and s.client_id = k.c join tubes t on t.district_id = s.tube_district_id and t.id = s.tube_id`,
    [valid.map((i) => i.districtId), valid.map((i) => i.clientId)],
  );
  for (const r of existingRows.rows) existing.set(key(r.district_id, r.client_id), r.barcode);
  const priors = new Map<string, { clientId: string; tubeCode: string }>();
  const pairs = valid.flatMap((i) => {
    const p = people.get(key(i.districtId!, i.personRef!));
    return p ? [{ d: p.districtId, p: p.id, r: i.roundId }] : [];
  });
  const priorRows = await c.query(
    `select s.district_id, s.person_id, s.round_id, s.client_id, t.barcode from unnest($1::bigint[], $2::bigint[], $3::bigint[]) as k(d, p, r)
       join scans s on s.district_id = k.d and s.person_id = k.p and s.round_id = k.r and s.slot = 0
       join tubes t on t.district_id = s.tube_district_id and t.id = s.tube_id`,
    [pairs.map((x) => x.d), pairs.map((x) => x.p), pairs.map((x) => x.r)],
  );
  for (const r of priorRows.rows) priors.set(key(r.district_id, r.person_id, r.round_id), { clientId: r.client_id, tubeCode: r.barcode });
  const tubes = new Map<string, Tube>();
  const barcodes = [...new Set(items.map((i) => i.tubeCode))];
  const tubeRows = await c.query<TubeRow>(
    `select id, district_id, street_id, round_id, barcode, site_id, purpose, capacity, filled, state, household_id, collected_at, closed_at
       from tubes where barcode = any($1::text[]) order by district_id, id for update`,
    [barcodes],
  );
  for (const r of tubeRows.rows) if (!tubes.has(r.barcode)) tubes.set(r.barcode, toTube(r));
  const retest = new Map<number, number>();
  const retestPeople = valid
    .filter((i) => tubes.get(i.tubeCode)?.purpose === 'retest' || i.tubePurpose === 'retest')
    .map((i) => people.get(key(i.districtId!, i.personRef!)))
    .filter((p): p is Omit<PersonFacts, 'controlKinds'> => p != null);
  if (retestPeople.length > 0) {
    const orderRows = await c.query(
      `select o.person_id, min(o.id) as id from unnest($1::bigint[], $2::bigint[]) as k(d, p)
         join test_orders o on o.district_id = k.d and o.person_id = k.p
        where o.status = 'open' and o.reason in ('pool_retest', 'resample') group by o.person_id`,
      [retestPeople.map((p) => p.districtId), retestPeople.map((p) => p.id)],
    );
    for (const r of orderRows.rows) retest.set(Number(r.person_id), Number(r.id));
  }
  return { rounds, sites, people, controls, existing, priors, tubes, retest };
}

function sourceOf(f: Prefetched, staged: AcceptedScan[]): ScanFactsSource {
  return {
    optimistic: false,
    round: (id) => f.rounds.get(id) ?? null,
    site: (id) => f.sites.get(id) ?? null,
    person: (d, ref, at) => {
      const p = f.people.get(key(d, ref));
      if (!p) return null;
      const kinds = (f.controls.get(p.id) ?? []).filter((e) => e.from <= at && (e.until == null || e.until > at)).map((e) => e.kind);
      return { ...p, controlKinds: kinds };
    },
    existing: (d, clientId) => {
      const barcode = f.existing.get(key(d, clientId));
      return barcode === undefined ? null : { tubeCode: barcode };
    },
    prior: (d, personId, roundId) => f.priors.get(key(d, personId, roundId)) ?? null,
    tube: (barcode) => f.tubes.get(barcode) ?? null,
    retestOrder: (personId) => f.retest.get(personId) ?? null,
    // Staged for the multi-row insert; a conflict with another process is settled after it.
    accept: (scan) => {
      staged.push(scan);
      return true;
    },
  };
}

const col = <T>(rows: readonly T[], pick: (r: T) => unknown) => rows.map(pick);

async function writeGroup(c: Client, items: readonly ScanItem[], now: number): Promise<ItemOutcome[]> {
  const facts = await prefetch(c, items);
  const acc: AcceptedScan[] = [];
  const decision = decideScanGroup(items, sourceOf(facts, acc), now);
  const touched = [...new Set(acc.map((a) => a.tube))];
  const fresh = touched.filter((t) => t.id == null);
  const changed = touched.filter((t) => t.id != null);
  if (fresh.length > 0) {
    const openedBy = new Map<Tube, number | null>();
    for (const a of acc) if (!openedBy.has(a.tube)) openedBy.set(a.tube, a.item.samplerId);
    const inserted = await c.query(
      `insert into tubes (district_id, street_id, round_id, barcode, site_id, purpose, capacity, filled, state, household_id, opened_by, collected_at, closed_at)
       select * from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::bigint[], $8::bigint[], $9::text[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[])
       on conflict (barcode, district_id) do nothing returning id, barcode`,
      [
        col(fresh, (t) => t.districtId), col(fresh, (t) => t.streetId), col(fresh, (t) => t.roundId), col(fresh, (t) => t.barcode),
        col(fresh, (t) => t.siteId), col(fresh, (t) => t.purpose), col(fresh, (t) => t.capacity), col(fresh, (t) => t.filled),
        col(fresh, (t) => t.state), col(fresh, (t) => t.householdId), col(fresh, (t) => openedBy.get(t) ?? null),
        col(fresh, (t) => t.collectedAt), col(fresh, (t) => t.closedAt),
      ],
    );
    if (inserted.rows.length < fresh.length) throw new TubeOpenedConcurrently();
    const ids = new Map(inserted.rows.map((r) => [r.barcode as string, Number(r.id)]));
    for (const t of fresh) t.id = ids.get(t.barcode)!;
  }
  if (changed.length > 0) {
    await c.query(
      `update tubes t set filled = u.filled, state = u.state, household_id = u.household_id, collected_at = u.collected_at, closed_at = u.closed_at
         from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[]) as u(id, district_id, filled, state, household_id, collected_at, closed_at)
        where t.district_id = u.district_id and t.id = u.id`,
      [
        col(changed, (t) => t.id), col(changed, (t) => t.districtId), col(changed, (t) => t.filled), col(changed, (t) => t.state),
        col(changed, (t) => t.householdId), col(changed, (t) => t.collectedAt), col(changed, (t) => t.closedAt),
      ],
    );
  }
  const written = await c.query(
    `insert into scans (district_id, client_id, round_id, person_id, tube_id, tube_district_id, site_id, sampler_id, slot, collected_at, received_at)
     select *, $11::bigint from unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[])
     on conflict do nothing returning district_id, client_id`,
    [
      col(acc, (a) => a.districtId), col(acc, (a) => a.item.clientId), col(acc, (a) => a.item.roundId), col(acc, (a) => a.personId),
      col(acc, (a) => a.tube.id), col(acc, (a) => a.tube.districtId), col(acc, (a) => a.item.siteId),
      col(acc, (a) => a.item.samplerId), col(acc, (a) => a.slot), col(acc, (a) => a.item.collectedAt), now,
    ],
  );
  if (written.rows.length < acc.length) await settleConflicts(c, items, decision.outcomes, acc, written.rows);
  return decision.outcomes;
}

/**
 * Scans the unique keys turned away: another process stored the same client id (a duplicate) or
 * sampled the same person meanwhile (already sampled). Their tubes' counts are recounted.
 */
async function settleConflicts(
  c: Client,
  items: readonly ScanItem[],
  outcomes: ItemOutcome[],
  accepted: AcceptedScan[],
  written: { district_id: number; client_id: string }[],
): Promise<void> {
  const ok = new Set(written.map((r) => key(r.district_id, r.client_id)));
  const lost = accepted.filter((a) => !ok.has(key(a.districtId, a.item.clientId)));
  for (const a of lost) {
    const same = await c.query(
      `select t.barcode from scans s join tubes t on t.district_id = s.tube_district_id and t.id = s.tube_id where s.district_id = $1 and s.client_id = $2`,
      [a.districtId, a.item.clientId],
    );
    const index = items.indexOf(a.item);
    if (same.rows.length > 0) {
      outcomes[index] = { status: 'duplicate', tubeCode: same.rows[0].barcode };
      continue;
    }
    const other = await c.query(
      `select t.barcode from scans s join tubes t on t.district_id = s.tube_district_id and t.id = s.tube_id
        where s.district_id = $1 and s.person_id = $2 and s.round_id = $3 and s.slot = $4`,
      [a.districtId, a.personId, a.item.roundId, a.slot],
    );
    outcomes[index] = { status: 'rejected', rejection: rejection('already_sampled', { tube: other.rows[0]?.barcode ?? '' }) };
  }
  const touched = [...new Set(lost.map((a) => a.tube.id!))];
  await c.query('update tubes t set filled = (select count(*) from scans s where s.tube_id = t.id) where t.id = any($1::bigint[])', [touched]);
}

/** Decides and writes one group in one transaction (retried once if a tube was opened by another process meanwhile). */
export async function writeScanGroupPg(pool: pg.Pool, items: readonly ScanItem[], now: number): Promise<ItemOutcome[]> {
  const c = await pool.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      await c.query('begin');
      try {
        const outcomes = await writeGroup(c, items, now);
        await c.query('commit');
        return outcomes;
      } catch (error) {
        await c.query('rollback');
        if (error instanceof TubeOpenedConcurrently && attempt < 3) continue;
        throw error;
      }
    }
  } finally {
    c.release();
  }
}
