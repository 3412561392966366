import type SqliteDatabase from 'better-sqlite3';
import type { ControlKind } from '../../domain/kernel/control-episodes.ts';
import type { PersonFacts, RoundFacts } from '../../domain/screening/scan-decision.ts';
import { decideScanGroup, type AcceptedScan, type ItemOutcome, type ScanFactsSource, type ScanItem, type SiteFacts } from '../../domain/screening/scan-group.ts';
import type { Tube } from '../../domain/screening/tube.ts';
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
  control: Stmt;
  existing: Stmt;
  prior: Stmt;
  tube: Stmt;
  retestOrder: Stmt;
  insertTube: Stmt;
  updateTube: Stmt;
  insertScan: Stmt;
}

const cache = new WeakMap<Db, Statements>();

function statements(db: Db): Statements {
  let s = cache.get(db);
  if (s) return s;
  s = {
    round: db.prepare('select id, name, starts_at, ends_at, closed_at, pooling from screening_rounds where id = ?'),
    site: db.prepare('select id, district_id, street_id, kind from sampling_sites where id = ?'),
    person: db.prepare('select id, street_id, committee_id, household_id, occupation, vulnerable from people where district_id = ? and ref = ?').raw(),
    control: db.prepare('select kind from control_episodes where person_id = ? and from_at <= ? and (until_at is null or until_at > ?)').pluck(),
    existing: db.prepare('select t.barcode from scans s join tubes t on t.id = s.tube_id where s.district_id = ? and s.client_id = ?').pluck(),
    prior: db.prepare('select s.client_id, t.barcode from scans s join tubes t on t.id = s.tube_id where s.district_id = ? and s.person_id = ? and s.round_id = ? and s.slot = 0').raw(),
    tube: db.prepare(
      'select id, district_id, street_id, round_id, barcode, site_id, purpose, capacity, filled, state, household_id, collected_at, closed_at from tubes where barcode = ? limit 1',
    ),
    retestOrder: db.prepare("select id from test_orders where person_id = ? and status = 'open' and reason in ('pool_retest', 'resample') order by id limit 1").pluck(),
    insertTube: db.prepare(
      `insert into tubes (district_id, street_id, round_id, barcode, site_id, purpose, capacity, filled, state, opened_by) values (?, ?, ?, ?, ?, ?, ?, 0, 'open', ?)`,
    ),
    updateTube: db.prepare('update tubes set filled = ?, state = ?, household_id = ?, collected_at = ?, closed_at = ? where id = ?'),
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
        const r = s.site.get(id) as { id: number; district_id: number; street_id: number; kind: SiteFacts['kind'] } | undefined;
        sites.set(id, r ? { id: r.id, districtId: r.district_id, streetId: r.street_id, kind: r.kind } : null);
      }
      return sites.get(id)!;
    },
    person(districtId, ref, at): PersonFacts | null {
      const r = s.person.get(districtId, ref) as [number, number, number | null, number | null, string | null, string] | undefined;
      if (!r) return null;
      return {
        id: r[0],
        districtId,
        streetId: r[1],
        committeeId: r[2],
        householdId: r[3],
        occupation: r[4],
        vulnerable: r[5],
        controlKinds: s.control.all(r[0], at, at) as ControlKind[],
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
      if (t.id == null) t.id = Number(s.insertTube.run(t.districtId, t.streetId, t.roundId, t.barcode, t.siteId, t.purpose, t.capacity, i.samplerId).lastInsertRowid);
      const info = s.insertScan.run(a.districtId, i.clientId, i.roundId, a.personId, t.id, t.districtId, i.siteId, i.samplerId, a.slot, i.collectedAt, now);
      if (info.changes === 0) return false;
      dirty.add(t);
      return true;
    },
  };
}

/** Decides and writes one group in one transaction; returns each item's outcome, in order. */
export function writeScanGroupSqlite(db: Db, items: readonly ScanItem[], now: number): ItemOutcome[] {
  const s = statements(db);
  const run = db.transaction((): ItemOutcome[] => {
    const dirty = new Set<Tube>();
    const decision = decideScanGroup(items, factsSource(s, now, dirty), now);
    for (const t of dirty) s.updateTube.run(t.filled, t.state, t.householdId, t.collectedAt, t.closedAt, t.id);
    return decision.outcomes;
  });
  return run.immediate();
}
