import type { Kysely, Transaction } from 'kysely';
import type { AuditHead, ChainedRecord } from '../../domain/access/audit-chain.ts';
import type { DialectName } from '../../store/database.ts';
import type { Database } from '../../store/schema.ts';

/**
 * Reading and writing the audit tables. `details` was added by migration 0002_access; it is
 * typed here until store/schema.ts declares it.
 */
type AuditDatabase = Database & { audit_log: { details: string | null } };
type Db = Kysely<Database> | Transaction<Database>;

function auditDb(db: Db): Kysely<AuditDatabase> {
  return db.withTables<{ audit_log: { details: string | null } }>() as unknown as Kysely<AuditDatabase>;
}

const HEAD_ID = 1;

/**
 * Reads the head and locks it for the rest of the transaction, so that two writers (threads or
 * processes) can never both append after the same record and fork the chain.
 */
export async function lockHead(
  trx: Transaction<Database>,
  dialect: DialectName,
  now: number,
): Promise<AuditHead | null> {
  if (dialect === 'postgres') {
    const row = await trx
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', HEAD_ID)
      .forUpdate()
      .executeTakeFirst();
    return row ? { seq: Number(row.seq), hash: row.hash } : null;
  }
  // SQLite has no row locks: writing first takes the database's write lock at the start of the
  // transaction (waiting out busy_timeout), so no other process can append in between.
  await trx.updateTable('audit_head').set({ updated_at: now }).where('id', '=', HEAD_ID).execute();
  return readHead(trx);
}

export async function readHead(db: Db): Promise<AuditHead | null> {
  const row = await db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', HEAD_ID)
    .executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash } : null;
}

export async function readHeadRow(db: Db): Promise<{ seq: number; hash: string; updatedAt: number } | null> {
  const row = await db
    .selectFrom('audit_head')
    .select(['seq', 'hash', 'updated_at'])
    .where('id', '=', HEAD_ID)
    .executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash, updatedAt: Number(row.updated_at) } : null;
}

export async function appendRecords(
  trx: Transaction<Database>,
  records: readonly ChainedRecord[],
  head: AuditHead,
  now: number,
): Promise<void> {
  const db = auditDb(trx);
  for (let i = 0; i < records.length; i += 200) {
    await db
      .insertInto('audit_log')
      .values(
        records.slice(i, i + 200).map((r) => ({
          seq: r.seq,
          at: r.at,
          user_id: r.userId,
          username: r.username,
          role: r.role,
          action: r.action,
          subject_type: r.subjectType,
          subject_ids: JSON.stringify(r.subjectIds),
          fields: JSON.stringify(r.fields),
          reason: r.reason,
          request_id: r.requestId,
          details: r.details == null ? null : JSON.stringify(r.details),
          prev_hash: r.prevHash,
          hash: r.hash,
        })),
      )
      .execute();
  }
  await trx
    .updateTable('audit_head')
    .set({ seq: head.seq, hash: head.hash, updated_at: now })
    .where('id', '=', HEAD_ID)
    .execute();
}

export type StoredAuditRow = Awaited<ReturnType<typeof readAuditPage>>[number];

/** One page of the log in seq order (keyset), for verification and listing. */
export async function readAuditPage(db: Db, afterSeq: number, limit: number) {
  return auditDb(db)
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** A stored row back into a record; throws if its JSON columns do not parse. */
export function rowToRecord(row: StoredAuditRow): ChainedRecord {
  return {
    seq: Number(row.seq),
    at: Number(row.at),
    userId: row.user_id == null ? null : Number(row.user_id),
    username: row.username,
    role: row.role,
    action: row.action,
    subjectType: row.subject_type,
    subjectIds: JSON.parse(row.subject_ids) as (number | string)[],
    fields: JSON.parse(row.fields) as string[],
    reason: row.reason,
    requestId: row.request_id,
    details: row.details == null ? null : (JSON.parse(row.details) as Record<string, unknown>),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
