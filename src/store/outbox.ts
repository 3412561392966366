import { sql, type Kysely, type Transaction } from 'kysely';
import type { CordonEvent, NewEvent } from '../domain/kernel/events.ts';
import type { Database } from './schema.ts';
import type { Store } from './database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Writes events into the outbox inside the caller's transaction; they are delivered only after commit. */
export async function appendEvents(trx: Db, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  for (let i = 0; i < events.length; i += 500) {
    await trx
      .insertInto('events')
      .values(
        events.slice(i, i + 500).map((e) => ({
          seq: null,
          type: e.type,
          occurred_at: e.occurredAt,
          region_ids: JSON.stringify(e.regionIds),
          organisation_ids: JSON.stringify(e.organisationIds ?? []),
          person_id: e.personId ?? null,
          payload: JSON.stringify(e.payload),
        })),
      )
      .execute();
  }
}

/**
 * Gives committed, undelivered events their delivery sequence, in commit-visible order. Sequence
 * numbers are assigned by one dispatcher after commit, never at insert: on PostgreSQL a
 * transaction that took a lower id can commit later, and delivery order must never go back.
 * Returns how many were sequenced.
 */
export async function sequenceEvents(store: Store, limit = 5000): Promise<number> {
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
