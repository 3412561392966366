import { CompiledQuery, SqliteAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { CordonEvent, NewEvent } from '../domain/kernel/events.ts';
import type { Database } from './schema.ts';
import type { Store } from './database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Writes events into the outbox inside the caller's transaction; they are delivered only after
 * commit.
 *
 * On SQLite an event gets its delivery sequence here, equal to its id: SQLite has one writer at
 * a time, so ids become visible in the order they were given, and a second transaction per
 * delivery only to number the events (a row rewrite, an index update and a flushed commit for
 * each of the run's millions of events) bought nothing. The base is read inside the writing
 * transaction, after which no other writer can commit before this one. On PostgreSQL a
 * transaction that took a lower id can commit later: the dispatcher's sequencer numbers events
 * after commit (sequenceEvents).
 */
export async function appendEvents(trx: Db, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const sqlite = trx.getExecutor().adapter instanceof SqliteAdapter;
  let next = sqlite ? await nextEventNumber(trx) : 0;
  for (let i = 0; i < events.length; i += INSERT_ROWS) {
    const chunk = events.slice(i, i + INSERT_ROWS);
    const parameters: unknown[] = [];
    for (const e of chunk) {
      if (sqlite) parameters.push(next, next++);
      parameters.push(
        e.type,
        e.occurredAt,
        JSON.stringify(e.regionIds),
        JSON.stringify(e.organisationIds ?? []),
        e.personId ?? null,
        JSON.stringify(e.payload),
      );
    }
    await trx.executeQuery(CompiledQuery.raw(insertEventsSql(chunk.length, sqlite), parameters));
  }
}

/** Rows per insert statement: 500 × 8 parameters stays under every driver's limit. */
const INSERT_ROWS = 500;
const insertTexts = new Map<string, string>();

/**
 * The outbox insert for `rows` events, written once per size and dialect: the query builder spent
 * more time assembling a 500-row insert (4,000 values) than SQLite took to run it, on every one of
 * the millions of events of a wave. SQLite gets the number as id and seq; PostgreSQL numbers
 * after commit (seq stays null) and takes the id from its sequence.
 */
function insertEventsSql(rows: number, sqlite: boolean): string {
  const key = `${sqlite ? 's' : 'p'}${rows}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    const columns = [
      ...(sqlite ? ['id', 'seq'] : []),
      'type',
      'occurred_at',
      'region_ids',
      'organisation_ids',
      'person_id',
      'payload',
    ];
    let n = 0;
    const row = () => `(${columns.map(() => (sqlite ? '?' : `$${++n}`)).join(', ')})`;
    text = `insert into events (${columns.join(', ')}) values ${Array.from({ length: rows }, row).join(', ')}`;
    insertTexts.set(key, text);
  }
  return text;
}

/**
 * Above every id and every sequence number given so far (a database sequenced before may have
 * them apart). Two scalar sub-queries: SQLite answers each max from its index's end, but scans
 * the whole table for two aggregates in one select.
 */
async function nextEventNumber(trx: Db): Promise<number> {
  const { rows } = await sql<{ id: number | null; seq: number | null }>`
    select (select max(id) from events) as id, (select max(seq) from events) as seq`.execute(trx);
  return Math.max(Number(rows[0]?.id ?? 0), Number(rows[0]?.seq ?? 0)) + 1;
}

/**
 * Gives committed, undelivered events their delivery sequence, in commit-visible order. Sequence
 * numbers are assigned by one dispatcher after commit, never at insert: on PostgreSQL a
 * transaction that took a lower id can commit later, and delivery order must never go back.
 * Returns how many were sequenced.
 */
export async function sequenceEvents(store: Store, limit = 5000): Promise<number> {
  // SQLite numbers events as it writes them: only a database written before that has any left.
  if (store.dialect === 'sqlite' && !(await anyUnsequenced(store.db))) return 0;
  return store.db.transaction().execute(async (trx) => {
    if (store.dialect === 'postgres') {
      // One sequencer at a time across processes.
      await sql`select pg_advisory_xact_lock(7301)`.execute(trx);
    }
    const pending = await trx
      .selectFrom('events')
      .select('id')
      .where('seq', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
    if (pending.length === 0) return 0;
    const last = await trx
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('max'))
      .executeTakeFirst();
    let next = Number(last?.max ?? 0) + 1;
    const first = next;
    const ids = pending.map((p) => p.id);
    // Ids are ascending; write seq = first + position in one statement per chunk.
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      const cases = chunk.map((id, k) => sql`when ${sql.lit(id)} then ${sql.lit(first + i + k)}`);
      await trx
        .updateTable('events')
        .set({ seq: sql<number>`case id ${sql.join(cases, sql` `)} end` })
        .where('id', 'in', chunk)
        .execute();
      next += chunk.length;
    }
    return pending.length;
  });
}

async function anyUnsequenced(db: Db): Promise<boolean> {
  const row = await db.selectFrom('events').select('id').where('seq', 'is', null).limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Events after `afterSeq` in delivery order. `types` reads only those (a consumer's), and `upTo`
 * stops at a sequence number read before, so a reader of few types does not parse the others.
 */
export async function readEventsAfter(
  db: Db,
  afterSeq: number,
  limit: number,
  options: { types?: readonly string[]; upTo?: number } = {},
): Promise<CordonEvent[]> {
  let query = db.selectFrom('events').selectAll().where('seq', '>', afterSeq);
  if (options.upTo !== undefined) query = query.where('seq', '<=', options.upTo);
  if (options.types) query = query.where('type', 'in', [...options.types]);
  const rows = await query.orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({
    id: Number(r.seq),
    type: r.type,
    occurredAt: r.occurred_at,
    regionIds: JSON.parse(r.region_ids) as number[],
    organisationIds: JSON.parse(r.organisation_ids) as number[],
    personId: r.person_id,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  }));
}

export async function lastSequencedEvent(db: Db): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('seq').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

export async function readConsumerOffset(db: Db, consumer: string): Promise<number> {
  const row = await db
    .selectFrom('consumer_offsets')
    .select('last_seq')
    .where('consumer', '=', consumer)
    .executeTakeFirst();
  return row?.last_seq ?? 0;
}

/** Every consumer's offset, in one read (consumers without one yet are absent: offset 0). */
export async function readConsumerOffsets(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('consumer_offsets').select(['consumer', 'last_seq']).execute();
  return new Map(rows.map((r) => [r.consumer, Number(r.last_seq)]));
}

/**
 * Moves consumers' offsets forward to at least the given sequence numbers, in one statement; an
 * offset already further (another dispatcher's) stays where it is.
 */
export async function advanceConsumerOffsets(db: Db, offsets: readonly [string, number][]): Promise<void> {
  if (offsets.length === 0) return;
  await db
    .insertInto('consumer_offsets')
    .values(offsets.map(([consumer, lastSeq]) => ({ consumer, last_seq: lastSeq })))
    .onConflict((oc) =>
      oc.column('consumer').doUpdateSet({
        last_seq: sql<number>`case when consumer_offsets.last_seq > excluded.last_seq then consumer_offsets.last_seq else excluded.last_seq end`,
      }),
    )
    .execute();
}

export async function writeConsumerOffset(db: Db, consumer: string, lastSeq: number): Promise<void> {
  await db
    .insertInto('consumer_offsets')
    .values({ consumer, last_seq: lastSeq })
    .onConflict((oc) => oc.column('consumer').doUpdateSet({ last_seq: lastSeq }))
    .execute();
}

/** Serialises one consumer across processes for the rest of the transaction (SQLite writes are already serial). */
export async function lockConsumer(store: Store, trx: Db, consumer: string): Promise<void> {
  if (store.dialect === 'postgres') {
    await sql`select pg_advisory_xact_lock(hashtext(${consumer}))`.execute(trx);
  }
}
