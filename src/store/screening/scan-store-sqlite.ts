import type SqliteDatabase from 'better-sqlite3';
import type { ControlKind } from '../../domain/kernel/control-episodes.ts';
import type { PersonFacts, RoundFacts } from '../../domain/screening/scan-decision.ts';
import {
  scanGroup,
  type AcceptedScan,
  type ItemOutcome,
  type ScanFactsSource,
  type ScanItem,
  type SiteFacts,
} from '../../domain/screening/scan-group.ts';
import type { Tube } from '../../domain/screening/tube.ts';
import { flushOffThreadAround } from '../off-thread-sync.ts';
import { toRoundFacts, toTube, type RoundRow, type TubeRow } from './scan-rows.ts';

/**
 * The SQLite hot path of scan ingest: one IMMEDIATE transaction per group of merged batches,
 * prepared statements on the raw better-sqlite3 handle (the query builder costs more per row
 * than the row itself at these rates). Per accepted scan: the person by (district, ref), their
 * active control kinds, and the insert, whose unique keys decide retries and double samples
 * (the optimistic path of decideScanGroup). The caller holds the connection (no Kysely
 * transaction is open meanwhile).
 */
type Db = SqliteDatabase.Database;
type Stmt = SqliteDatabase.Statement;

interface Statements {
  round: Stmt;
  site: Stmt;
  person: Stmt;
  existing: Stmt;
  prior: Stmt;
  tube: Stmt;
  retestOrder: Stmt;
  insertTube: Stmt;
  updateTube: Stmt;
  insertScan: Stmt;
}

const cache = new WeakMap<Db, Statements>();

/**
 * Reads through a memory map (SQLite's cap: 2 GB): a scan's look-ups are random index probes,
 * and a probe that misses SQLite's page cache costs a read() call without it (7 µs against
 * 3 µs per person look-up at scale 0.1). Reads only; writes still go through the WAL. Set on
 * the first group; belongs in openSqlite (store/database.ts) for every connection.
 */
const MMAP_BYTES = 2 * 1024 ** 3;

function statements(db: Db): Statements {
  let s = cache.get(db);
  if (s) return s;
  db.pragma(`mmap_size = ${MMAP_BYTES}`);
  s = {
    round: db.prepare(
      'select id, name, starts_at, ends_at, closed_at, pooling from screening_rounds where id = ?',
    ),
    site: db.prepare('select id, district_id, street_id, kind from sampling_sites where id = ?'),
    // The person and the kinds of control holding them at the scan's time, in one statement.
    person: db
      .prepare(
        `select p.id, p.street_id, p.committee_id, p.household_id, p.occupation, p.vulnerable,
                (select group_concat(e.kind) from control_episodes e
                  where e.person_id = p.id and e.from_at <= ? and (e.until_at is null or e.until_at > ?)) as kinds
           from people p where p.district_id = ? and p.ref = ?`,
      )
      .raw(),
    existing: db
      .prepare(
        'select t.barcode from scans s join tubes t on t.id = s.tube_id where s.district_id = ? and s.client_id = ?',
      )
      .pluck(),
    prior: db
      .prepare(
        'select s.client_id, t.barcode from scans s join tubes t on t.id = s.tube_id where s.district_id = ? and s.person_id = ? and s.round_id = ? and s.slot = 0',
      )
      .raw(),
    tube: db.prepare(
      'select id, district_id, street_id, round_id, barcode, site_id, purpose, capacity, filled, state, household_id, collected_at, closed_at from tubes where barcode = ? limit 1',
    ),
    retestOrder: db
      .prepare(
        "select id from test_orders where person_id = ? and status = 'open' and reason in ('pool_retest', 'resample') order by id limit 1",
      )
      .pluck(),
    insertTube: db.prepare(
      `insert into tubes (district_id, street_id, round_id, barcode, site_id, purpose, capacity, filled, state, opened_by) values (?, ?, ?, ?, ?, ?, ?, 0, 'open', ?)`,
    ),
    updateTube: db.prepare(
      'update tubes set filled = ?, state = ?, household_id = ?, collected_at = ?, closed_at = ? where id = ?',
    ),
    insertScan: db.prepare(
      `insert or ignore into scans (district_id, client_id, round_id, person_id, tube_id, tube_district_id, site_id, sampler_id, slot, collected_at, received_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
  cache.set(db, s);
  return s;
}

function factsSource(s: Statements, now: number, dirty: Set<Tube>): ScanFactsSource {
  const rounds = new Map<number, RoundFacts | null>();
  const sites = new Map<number, SiteFacts | null>();
  return {
    optimistic: true,
    round(id) {
      if (!rounds.has(id)) {
        const r = s.round.get(id) as RoundRow | undefined;
        rounds.set(id, r ? toRoundFacts(r) : null);
      }
      return rounds.get(id)!;
    },
    site(id) {
      if (!sites.has(id)) {
        const r = s.site.get(id) as
          { id: number; district_id: number; street_id: number; kind: SiteFacts['kind'] } | undefined;
        sites.set(
          id,
          r ? { id: r.id, districtId: r.district_id, streetId: r.street_id, kind: r.kind } : null,
        );
      }
      return sites.get(id)!;
    },
    person(districtId, ref, at): PersonFacts | null {
      const r = s.person.get(at, at, districtId, ref) as
        [number, number, number | null, number | null, string | null, string, string | null] | undefined;
      if (!r) return null;
      return {
        id: r[0],
        districtId,
        streetId: r[1],
        committeeId: r[2],
        householdId: r[3],
        occupation: r[4],
        vulnerable: r[5],
        controlKinds: r[6] ? (r[6].split(',') as ControlKind[]) : [],
      };
    },
    existing(districtId, clientId) {
      const barcode = s.existing.get(districtId, clientId) as string | undefined;
      return barcode === undefined ? null : { tubeCode: barcode };
    },
    prior(districtId, personId, roundId) {
      const r = s.prior.get(districtId, personId, roundId) as [string, string] | undefined;
      return r ? { clientId: r[0], tubeCode: r[1] } : null;
    },
    tube(barcode) {
      const r = s.tube.get(barcode) as TubeRow | undefined;
      return r ? toTube(r) : null;
    },
    retestOrder(personId) {
      return (s.retestOrder.get(personId) as number | undefined) ?? null;
    },
    accept(a: AcceptedScan) {
      const t = a.tube;
      const i = a.item;
      // A new tube is written empty; its filled state is written once, at the end of the group.
      if (t.id == null) {
        t.id = Number(
          s.insertTube.run(
            t.districtId,
            t.streetId,
            t.roundId,
            t.barcode,
            t.siteId,
            t.purpose,
            t.capacity,
            i.samplerId,
          ).lastInsertRowid,
        );
      }
      const info = s.insertScan.run(
        a.districtId,
        i.clientId,
        i.roundId,
        a.personId,
        t.id,
        t.districtId,
        i.siteId,
        i.samplerId,
        a.slot,
        i.collectedAt,
        now,
      );
      if (info.changes === 0) return false;
      dirty.add(t);
      return true;
    },
  };
}

/** Scans decided between two yields to the event loop (≈ 5–10 ms of work). */
const SLICE = 400;

/**
 * Decides and writes one group in one IMMEDIATE transaction; returns each item's outcome, in
 * order, and the flush that makes the commit durable (await it after releasing the connection). The group is decided in slices with a yield between them, the transaction staying
 * open: while a long group is written, the request thread still reads bodies and hands them to
 * the decoder threads (the caller holds the connection, so no other statement runs inside the
 * transaction meanwhile). `beforeCommit` adds the requests' audit records to the same commit:
 * one flush for the scans and their audit trail, made off the event loop (flushOffThreadAround).
 */
export async function writeScanGroupSqlite(
  db: Db,
  items: readonly ScanItem[],
  now: number,
  beforeCommit?: () => Promise<void>,
): Promise<{ outcomes: ItemOutcome[]; flush(): Promise<void> }> {
  const s = statements(db);
  const dirty = new Set<Tube>();
  const group = scanGroup(factsSource(s, now, dirty), now);
  const outcomes: ItemOutcome[] = new Array(items.length);
  const sync = flushOffThreadAround(db);
  try {
    db.exec('begin immediate');
    try {
      for (let i = 0; i < items.length; i++) {
        outcomes[i] = group.decide(items[i]);
        if (i % SLICE === SLICE - 1) await new Promise((resolve) => setImmediate(resolve));
      }
      for (const t of dirty) {
        s.updateTube.run(t.filled, t.state, t.householdId, t.collectedAt, t.closedAt, t.id);
      }
      if (beforeCommit) await beforeCommit();
      db.exec('commit');
    } catch (error) {
      if (db.inTransaction) db.exec('rollback');
      throw error;
    }
  } finally {
    sync.restore();
  }
  return { outcomes, flush: sync.flush };
}
