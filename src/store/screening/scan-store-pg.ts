import type pg from 'pg';
import {
  decideScanGroup,
  type AcceptedScan,
  type ItemOutcome,
  type ScanFactsSource,
  type ScanItem,
} from '../../domain/screening/scan-group.ts';
import type { Tube } from '../../domain/screening/tube.ts';
import { copyRows } from '../pg-copy.ts';
import { key, lookUpExisting, prefetch, type Prefetched } from './scan-facts-pg.ts';
import { SCAN_COLUMNS } from './scan-rows.ts';

/**
 * The PostgreSQL path of scan ingest: a group's facts are fetched with a handful of set-based
 * queries (arrays joined through unnest), decided by the shared pure function, and written with
 * multi-row inserts. Tubes are locked (FOR UPDATE) so that several Cordon processes filling the
 * same tube serialise; a person sampled concurrently by two writers is caught by the unique
 * key, and the group decided again answers "already sampled".
 */
type Client = pg.PoolClient;

class TubeOpenedConcurrently extends Error {}

/** Errors that another transaction's commit caused: the group is decided again on fresh facts. */
function isRaceWithAnotherWriter(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  // 23505: a scan's unique key (client id; person, round and slot) taken meanwhile; 40P01: deadlock.
  return error instanceof TubeOpenedConcurrently || code === '23505' || code === '40P01';
}

function sourceOf(f: Prefetched, staged: AcceptedScan[], deferred: Set<string>): ScanFactsSource {
  return {
    optimistic: false,
    round: (id) => f.rounds.get(id) ?? null,
    site: (id) => f.sites.get(id) ?? null,
    person: (d, ref, at) => {
      const p = f.people.get(key(d, ref));
      if (!p) return null;
      const kinds = (f.controls.get(p.id) ?? [])
        .filter((e) => e.from <= at && (e.until == null || e.until > at))
        .map((e) => e.kind);
      return { ...p, controlKinds: kinds };
    },
    // Asked only for refused scans: when not looked up yet, answered after the decision (see writeGroup).
    existing: (d, clientId) => {
      const k = key(d, clientId);
      if (!f.existingChecked.has(k)) deferred.add(k);
      const barcode = f.existing.get(k);
      return barcode === undefined ? null : { tubeCode: barcode };
    },
    prior: (d, personId, roundId) => f.priors.get(key(d, personId, roundId)) ?? null,
    tube: (barcode) => f.tubes.get(barcode) ?? null,
    retestOrder: (personId) => f.retest.get(personId) ?? null,
    // Staged for the multi-row insert; a conflict with another writer decides the group again.
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
  const deferred = new Set<string>();
  const decision = decideScanGroup(items, sourceOf(facts, acc, deferred), now);
  if (deferred.size > 0) await settleRefusals(c, items, decision.outcomes, facts, deferred);
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
        col(fresh, (t) => t.districtId),
        col(fresh, (t) => t.streetId),
        col(fresh, (t) => t.roundId),
        col(fresh, (t) => t.barcode),
        col(fresh, (t) => t.siteId),
        col(fresh, (t) => t.purpose),
        col(fresh, (t) => t.capacity),
        col(fresh, (t) => t.filled),
        col(fresh, (t) => t.state),
        col(fresh, (t) => t.householdId),
        col(fresh, (t) => openedBy.get(t) ?? null),
        col(fresh, (t) => t.collectedAt),
        col(fresh, (t) => t.closedAt),
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
        col(changed, (t) => t.id),
        col(changed, (t) => t.districtId),
        col(changed, (t) => t.filled),
        col(changed, (t) => t.state),
        col(changed, (t) => t.householdId),
        col(changed, (t) => t.collectedAt),
        col(changed, (t) => t.closedAt),
      ],
    );
  }
  // Plain COPY, no `on conflict`: the decision already saw every stored scan of these people
  // and client ids. Only a transaction committed meanwhile (another process, or a group of
  // another site sampling the same person) can make a unique key refuse a row; then the group
  // is decided again (writeScanGroupPg) and its fresh facts answer "duplicate" or "already
  // sampled". Measured on the scale-0.1 benchmark: 16.8 ms per group as `insert … select from
  // unnest(…) on conflict do nothing`, 10 ms without the `on conflict`, COPY below that.
  if (acc.length > 0) {
    await copyRows(
      c,
      'scans',
      SCAN_COLUMNS,
      acc.map((a) => [
        a.districtId,
        a.item.clientId,
        a.item.roundId,
        a.personId,
        a.tube.id!,
        a.tube.districtId,
        a.item.siteId,
        a.item.samplerId,
        a.slot,
        a.item.collectedAt,
        now,
      ]),
    );
  }
  return decision.outcomes;
}

/** A refused scan whose client id is stored after all is a retry: answered as a duplicate. */
async function settleRefusals(
  c: Client,
  items: readonly ScanItem[],
  outcomes: ItemOutcome[],
  f: Prefetched,
  deferred: Set<string>,
): Promise<void> {
  const asked = items.filter((i) => i.districtId != null && deferred.has(key(i.districtId, i.clientId)));
  await lookUpExisting(
    c,
    f,
    asked.map((i) => ({ districtId: i.districtId!, clientId: i.clientId })),
  );
  items.forEach((item, index) => {
    if (item.districtId == null || outcomes[index].status !== 'rejected') return;
    const barcode = f.existing.get(key(item.districtId, item.clientId));
    if (barcode !== undefined) outcomes[index] = { status: 'duplicate', tubeCode: barcode };
  });
}

/**
 * Decides and writes one group in one transaction, decided again (up to three times) when a
 * transaction committed meanwhile changed its facts: a tube opened, a person sampled, a client
 * id stored, or a deadlock between two groups.
 */
export async function writeScanGroupPg(
  pool: pg.Pool,
  items: readonly ScanItem[],
  now: number,
): Promise<ItemOutcome[]> {
  const c = await pool.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      // Every query of a group finds rows by key. Statistics taken while tubes or scans were
      // empty (a new deployment's first round; each benchmark run) make a sequential scan look
      // cheaper than the index: measured on the scale-0.1 benchmark, the tube look-up scanned
      // the whole table, 12 ms per group instead of 0.1 ms, until autovacuum analysed it.
      await c.query('begin; set local enable_seqscan = off');
      try {
        const outcomes = await writeGroup(c, items, now);
        await c.query('commit');
        return outcomes;
      } catch (error) {
        await c.query('rollback');
        if (isRaceWithAnotherWriter(error) && attempt < 3) {
          continue;
        }
        throw error;
      }
    }
  } finally {
    c.release();
  }
}
