import { sql, type Kysely, type Transaction } from 'kysely';
import type { TubeOutcome } from '../../domain/screening/results.ts';
import type { Database } from '../schema.ts';
import { unindexedEquals } from '../unindexed-guard.ts';

/** Tube results and the members they concern. Members are found through scans(tube_id). */
type Db = Kysely<Database> | Transaction<Database>;

const CHUNK = 500;
function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface TubeForResult {
  id: number;
  districtId: number;
  streetId: number;
  barcode: string;
  roundId: number;
  siteId: number;
  state: string;
  labId: number | null;
  filled: number;
  purpose: 'pooled' | 'household' | 'retest';
  result: TubeOutcome | null;
  ctOrf1ab: number | null;
  ctN: number | null;
  collectedAt: number | null;
}

export async function tubesByBarcodes(
  db: Db,
  barcodes: readonly string[],
): Promise<Map<string, TubeForResult>> {
  const out = new Map<string, TubeForResult>();
  for (const chunk of chunks([...new Set(barcodes)])) {
    const rows = await db
      .selectFrom('tubes')
      .select([
        'id',
        'district_id',
        'street_id',
        'barcode',
        'round_id',
        'site_id',
        'state',
        'lab_id',
        'filled',
        'purpose',
        'result',
        'ct_orf1ab',
        'ct_n',
        'collected_at',
      ])
      .where('barcode', 'in', chunk)
      .execute();
    for (const r of rows) {
      out.set(r.barcode, {
        id: Number(r.id),
        districtId: Number(r.district_id),
        streetId: Number(r.street_id),
        barcode: r.barcode,
        roundId: Number(r.round_id),
        siteId: Number(r.site_id),
        state: r.state,
        labId: r.lab_id == null ? null : Number(r.lab_id),
        filled: Number(r.filled),
        purpose: r.purpose,
        result: r.result,
        ctOrf1ab: r.ct_orf1ab,
        ctN: r.ct_n,
        collectedAt: r.collected_at == null ? null : Number(r.collected_at),
      });
    }
  }
  return out;
}

export interface ResultWrite {
  tubeId: number;
  outcome: TubeOutcome;
  ctOrf1ab: number | null;
  ctN: number | null;
}

/**
 * Stamps results, one statement per (outcome, Ct) group and chunk: a lab's batch of negatives
 * without Ct values is one update per 500 tubes.
 */
export async function writeResults(db: Db, writes: readonly ResultWrite[], at: number): Promise<void> {
  const groups = new Map<string, { w: ResultWrite; ids: number[] }>();
  for (const w of writes) {
    const key = `${w.outcome}|${w.ctOrf1ab}|${w.ctN}`;
    const g = groups.get(key) ?? { w, ids: [] };
    g.ids.push(w.tubeId);
    groups.set(key, g);
  }
  for (const { w, ids } of groups.values()) {
    for (const chunk of chunks(ids)) {
      await db
        .updateTable('tubes')
        .set({ state: 'resulted', result: w.outcome, ct_orf1ab: w.ctOrf1ab, ct_n: w.ctN, resulted_at: at })
        .where('id', 'in', chunk)
        .where(unindexedEquals(db, 'state', 'received'))
        .execute();
    }
  }
}

export interface TubeMember {
  tubeId: number;
  personId: number;
  districtId: number;
  streetId: number;
  committeeId: number | null;
  collectedAt: number;
  slot: number;
}

/** Every member of the tubes, with their address (for events) and sampling time. */
export async function membersOfTubes(
  db: Db,
  tubeIds: readonly number[],
  onlyWithOpenOrders = false,
): Promise<TubeMember[]> {
  const out: TubeMember[] = [];
  for (const chunk of chunks(tubeIds)) {
    let q = db
      .selectFrom('scans as s')
      .innerJoin('people as p', (j) =>
        j.onRef('p.district_id', '=', 's.district_id').onRef('p.id', '=', 's.person_id'),
      )
      .select([
        's.tube_id',
        's.person_id',
        's.district_id',
        'p.street_id',
        'p.committee_id',
        's.collected_at',
        's.slot',
      ])
      .where('s.tube_id', 'in', chunk);
    if (onlyWithOpenOrders) {
      // Most members have no open order: probe before the kernel's per-person fulfilment runs.
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('test_orders as o')
            .select(sql`1`.as('one'))
            .whereRef('o.person_id', '=', 's.person_id')
            .whereRef('o.district_id', '=', 's.district_id')
            .where('o.status', '=', 'open'),
        ),
      );
    }
    for (const r of await q.execute()) {
      out.push({
        tubeId: Number(r.tube_id),
        personId: Number(r.person_id),
        districtId: Number(r.district_id),
        streetId: Number(r.street_id),
        committeeId: r.committee_id == null ? null : Number(r.committee_id),
        collectedAt: Number(r.collected_at),
        slot: Number(r.slot),
      });
    }
  }
  return out;
}

/**
 * Members of the tubes who have an open test order, without their addresses: the follow-up
 * after a negative pool probes each member's orders and usually finds none.
 */
export async function membersWithOpenOrders(
  db: Db,
  tubeIds: readonly number[],
): Promise<{ tubeId: number; personId: number; collectedAt: number }[]> {
  const out: { tubeId: number; personId: number; collectedAt: number }[] = [];
  for (const chunk of chunks(tubeIds)) {
    const rows = await db
      .selectFrom('scans as s')
      .select(['s.tube_id', 's.person_id', 's.collected_at'])
      .where('s.tube_id', 'in', chunk)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('test_orders as o')
            .select(sql`1`.as('one'))
            .whereRef('o.person_id', '=', 's.person_id')
            .whereRef('o.district_id', '=', 's.district_id')
            .where('o.status', '=', 'open'),
        ),
      )
      .execute();
    for (const r of rows) {
      out.push({
        tubeId: Number(r.tube_id),
        personId: Number(r.person_id),
        collectedAt: Number(r.collected_at),
      });
    }
  }
  return out;
}

export async function markNotified(db: Db, tubeIds: readonly number[], at: number): Promise<void> {
  for (const chunk of chunks(tubeIds)) {
    await db
      .updateTable('tubes')
      .set({ notified_at: at })
      .where('id', 'in', chunk)
      .where('notified_at', 'is', null)
      .execute();
  }
}
