import SqliteDatabase from 'better-sqlite3';
import type { ControlKind } from '../../domain/kernel/control-episodes.ts';
import type { TestOrderReason } from '../../domain/kernel/test-orders.ts';
import type { StatusInputs } from '../../domain/status/inputs.ts';
import { sqliteCommitsInProcess, type Store } from '../database.ts';

/**
 * The hot read path of status look-ups (residents opening their code, employers' on-duty checks):
 * one person row by key, and every status input of one person in ONE statement — episodes
 * not over, open test orders, live exemptions, recent arrivals — each branch an indexed
 * range read on person_id. Below the query builder on purpose: it runs tens of thousands of
 * times a second. SQL text of both dialects is here for review.
 *
 * On SQLite it reads through its own (query-only) connection: WAL gives it the last committed
 * state, never a half-done transaction of the writer connection (which a raw read on the shared
 * handle could see while a write transaction awaits between statements).
 */
export interface StatusPerson {
  id: number;
  districtId: number;
  workplaceOrgId: number | null;
}

export interface StatusReader {
  /**
   * The outbox's newest event id and the people of events after an id, so a cache can tell what
   * changed: every kernel write commits with its event. Null when the database cannot promise
   * that ids become visible in order (PostgreSQL: concurrent writers commit out of id order).
   */
  outbox: {
    /** Changes whenever another connection commits anything (a cheaper first question than head). */
    dataVersion(): number;
    /** Transactions this process has committed (no database round trip; see sqliteCommitsInProcess). */
    commitsInProcess(): number;
    head(): number;
    /** [person, type] of the events in (afterId, upTo]. */
    changesAfter(afterId: number, upTo: number): [number | null, string][];
    /** People with any exemption or arrival on record (few: corrections are rare). */
    peopleWithCorrections(): number[];
  } | null;
  personByRef(districtId: number, ref: string): Promise<StatusPerson | null>;
  person(personId: number, districtId: number | null): Promise<StatusPerson | null>;
  /**
   * Every input not over by `now` (episodes not ended, open orders, exemptions not expired),
   * including those that start later, and arrivals since `arrivalsSince`: the status computation
   * filters them by the clock, so the same rows serve later instants too (see inputs-cache.ts).
   * `corrections: false` skips exemptions and arrivals, for someone known to have none.
   */
  inputs(personId: number, now: number, arrivalsSince: number, corrections?: boolean): Promise<StatusInputs>;
  close(): void;
}

/** One statement for both databases; `@name` parameters (PostgreSQL gets them as $1, $2…). */
const INPUTS_CORE = `
select 0 as t, kind as a, from_at as b, until_at as c, source_type as d from control_episodes
  where person_id = @person and (until_at is null or until_at > @now)
union all
select 1, reason, due_at, coalesce(not_before_at, created_at), source_type from test_orders
  where person_id = @person and status = 'open'
union all
select 4, state, reported_at, @none, 'case' from cases
  where person_id = @person and state not in ('discharged', 'died')`;

/** The same plus exemptions and arrivals (each branch costs a cursor even when it finds nothing). */
const INPUTS = `${INPUTS_CORE}
union all
select 2, reason_code, from_at, until_at, kind || ' ' || id || ' ' || note from status_exemptions
  where person_id = @person and until_at > @now and revoked_at is null
union all
select 3, from_level, arrived_at, @none, origin from status_arrivals
  where person_id = @person and arrived_at >= @since`;

const PERSON_BY_REF =
  'select id, district_id, workplace_org_id from people where district_id = @district and ref = @ref and purged_at is null';
const PERSON_BY_ID =
  'select id, district_id, workplace_org_id from people where id = @person and purged_at is null';
const PERSON_BY_KEY =
  'select id, district_id, workplace_org_id from people where district_id = @district and id = @person and purged_at is null';

/** `@name` → `$n` in order of first appearance, and the order of names for the values array. */
function toPg(sqlText: string): { text: string; names: string[] } {
  const names: string[] = [];
  const text = sqlText.replace(/@(\w+)/g, (_m, name: string) => {
    if (name === 'none') return 'null::bigint';
    let i = names.indexOf(name);
    if (i < 0) i = names.push(name) - 1;
    return `$${i + 1}`;
  });
  return { text, names };
}

type Row = [number, string, number, number | null, string];

/** Rows of the union above → status inputs. Exemption text packs "kind id note". */
export function toInputs(rows: readonly Row[]): StatusInputs {
  const inputs = { episodes: [], liveCases: [], orders: [], arrivals: [], exemptions: [] } as {
    [K in keyof StatusInputs]: StatusInputs[K][number][];
  };
  for (const [t, a, b, c, d] of rows) {
    switch (Number(t)) {
      case 0:
        inputs.episodes.push({
          kind: a as ControlKind,
          from: Number(b),
          until: c == null ? null : Number(c),
          sourceType: d,
        });
        break;
      case 1:
        inputs.orders.push({
          reason: a as TestOrderReason,
          dueAt: Number(b),
          notBefore: Number(c),
          sourceType: d,
        });
        break;
      case 2: {
        const [kind, id, ...note] = d.split(' ');
        inputs.exemptions.push({
          id: Number(id),
          reasonCode: a,
          kind,
          note: note.join(' '),
          from: Number(b),
          until: Number(c),
        });
        break;
      }
      case 3:
        inputs.arrivals.push({ fromLevel: a, arrivedAt: Number(b), origin: d });
        break;
      case 4:
        inputs.liveCases.push({ reportedAt: Number(b) });
        break;
    }
  }
  return inputs;
}

function person(
  r: { id: number; district_id: number; workplace_org_id: number | null } | undefined,
): StatusPerson | null {
  return r
    ? {
        id: Number(r.id),
        districtId: Number(r.district_id),
        workplaceOrgId: r.workplace_org_id == null ? null : Number(r.workplace_org_id),
      }
    : null;
}

function sqliteReader(store: Store): StatusReader {
  const main = store.sqlite!;
  // A file database gets a connection of its own, set query-only; an in-memory one can only
  // share the handle.
  const own = main.memory ? null : new SqliteDatabase(main.name, { fileMustExist: true });
  const db = own ?? main;
  if (own) {
    own.pragma('query_only = 1');
    own.pragma('busy_timeout = 5000');
    // Look-ups land on random people: keep the hot indexes in this connection's own cache and
    // map the file, or every look-up becomes a dozen read() calls.
    own.pragma('cache_size = -131072');
    own.pragma('mmap_size = 1073741824');
  }
  const inputs = db.prepare(INPUTS.replaceAll('@none', 'null')).raw(true);
  const core = db.prepare(INPUTS_CORE.replaceAll('@none', 'null')).raw(true);
  const head = db.prepare('select max(id) from events').pluck(true);
  const dataVersion = db.prepare('pragma data_version').pluck(true);
  const after = db.prepare('select person_id, type from events where id > @after and id <= @upTo').raw(true);
  const corrected = db
    .prepare('select person_id from status_exemptions union select person_id from status_arrivals')
    .pluck(true);
  const byRef = db.prepare(PERSON_BY_REF);
  const byId = db.prepare(PERSON_BY_ID);
  const byKey = db.prepare(PERSON_BY_KEY);
  type PersonRow = { id: number; district_id: number; workplace_org_id: number | null };
  return {
    // SQLite has one writer at a time: event ids become visible in order.
    outbox: {
      // On the shared in-memory handle the writer is this very connection: always ask for the head.
      dataVersion: own ? () => Number(dataVersion.get()) : () => Number.NaN,
      commitsInProcess: sqliteCommitsInProcess,
      head: () => Number(head.get() ?? 0),
      changesAfter: (afterId, upTo) => after.all({ after: afterId, upTo }) as [number | null, string][],
      peopleWithCorrections: () => corrected.all() as number[],
    },
    personByRef: async (districtId, ref) =>
      person(byRef.get({ district: districtId, ref }) as PersonRow | undefined),
    person: async (personId, districtId) =>
      person(
        (districtId == null
          ? byId.get({ person: personId })
          : byKey.get({ person: personId, district: districtId })) as PersonRow | undefined,
      ),
    inputs: async (personId, now, arrivalsSince, corrections = true) =>
      toInputs(
        (corrections
          ? inputs.all({ person: personId, now, since: arrivalsSince })
          : core.all({ person: personId, now })) as Row[],
      ),
    close: () => own?.close(),
  };
}

function pgReader(store: Store): StatusReader {
  const pool = store.pgPool!;
  type PersonRow = { id: number; district_id: number; workplace_org_id: number | null };
  // Named statements: each pooled connection parses and plans them once.
  const prepared = (name: string, sqlText: string) => {
    const { text, names } = toPg(sqlText);
    return (params: Record<string, unknown>, rowMode?: 'array') =>
      pool.query({ name, text, values: names.map((n) => params[n]), ...(rowMode ? { rowMode } : {}) });
  };
  const byRef = prepared('status_person_by_ref', PERSON_BY_REF);
  const byId = prepared('status_person_by_id', PERSON_BY_ID);
  const byKey = prepared('status_person_by_key', PERSON_BY_KEY);
  const inputs = prepared('status_inputs', INPUTS);
  return {
    outbox: null,
    personByRef: async (districtId, ref) =>
      person((await byRef({ district: districtId, ref })).rows[0] as PersonRow | undefined),
    person: async (personId, districtId) =>
      person(
        (districtId == null
          ? await byId({ person: personId })
          : await byKey({ person: personId, district: districtId })
        ).rows[0] as PersonRow | undefined,
      ),
    inputs: async (personId, now, arrivalsSince) =>
      toInputs((await inputs({ person: personId, now, since: arrivalsSince }, 'array')).rows as Row[]),
    close: () => undefined,
  };
}

const readers = new WeakMap<Store, StatusReader>();

/** The store's one status reader (prepared once, reused by every look-up). */
export function statusReader(store: Store): StatusReader {
  let reader = readers.get(store);
  if (!reader) {
    reader = store.dialect === 'sqlite' ? sqliteReader(store) : pgReader(store);
    readers.set(store, reader);
    // The read-only connection lives as long as the store: closing the store closes it too (a
    // file handle left open would keep the database's WAL from being removed).
    const close = store.close.bind(store);
    store.close = async () => {
      reader?.close();
      readers.delete(store);
      await close();
    };
  }
  return reader;
}
