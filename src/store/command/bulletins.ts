import type { Kysely, Transaction } from 'kysely';
import type { Bulletin } from '../../domain/command/bulletin.ts';
import type { Database } from '../schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function findBulletin(db: Db, day: string): Promise<Bulletin | null> {
  const row = await db.selectFrom('bulletins').select('document').where('day', '=', day).executeTakeFirst();
  return row ? (JSON.parse(row.document) as Bulletin) : null;
}

/** Stores a day's bulletin once: a second writer (another process, a retry) keeps the first. */
export async function insertBulletin(db: Db, bulletin: Bulletin): Promise<boolean> {
  const result = await db
    .insertInto('bulletins')
    .values({
      day: bulletin.day,
      issued_at: bulletin.issuedAt,
      rule_set: bulletin.ruleSet,
      document: JSON.stringify(bulletin),
    })
    .onConflict((oc) => oc.column('day').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Issued bulletins, newest first. */
export async function listBulletins(db: Db, limit: number): Promise<Bulletin[]> {
  const rows = await db
    .selectFrom('bulletins')
    .select('document')
    .orderBy('day', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => JSON.parse(r.document) as Bulletin);
}
