import type { Kysely, Transaction } from 'kysely';
import { chainRecords, type AuditContent } from '../../domain/access/audit-chain.ts';
import type { DialectName } from '../../store/database.ts';
import type { Database } from '../../store/schema.ts';
import type { AuditEntry } from '../access/audit.ts';
import { appendRecords, lockHead } from '../access/audit-store.ts';

/**
 * The audit records of scan batches, written in the scans' own transaction on SQLite: the
 * audit writer's separate commit would add an fsync per flush on the request thread, which at
 * 50 batches a second costs more than the scans. Same chain, same head lock, same record shape
 * as app/access/audit.ts.
 */
export function auditContent(entry: AuditEntry, at: number): Omit<AuditContent, 'seq'> {
  return {
    at,
    userId: entry.actor.userId,
    username: entry.actor.username,
    role: entry.actor.role,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectIds: [...entry.subjectIds],
    fields: [...(entry.fields ?? [])],
    reason: entry.reason ?? null,
    requestId: entry.requestId ?? null,
    details: entry.details ?? null,
  };
}

/**
 * Appends to the chain through a connection whose transaction the caller opened (the scan
 * writer's raw BEGIN IMMEDIATE): the statements below run inside it.
 */
export async function appendAuditInOpenTransaction(
  conn: Kysely<Database>,
  dialect: DialectName,
  contents: Omit<AuditContent, 'seq'>[],
  now: number,
): Promise<void> {
  if (contents.length === 0) return;
  const trx = conn as unknown as Transaction<Database>;
  const head = await lockHead(trx, dialect, now);
  if (!head) throw new Error('the audit head row is missing; run `cordon audit verify` and restore it');
  const chained = chainRecords(head, contents);
  await appendRecords(trx, chained.records, chained.head, now);
}
