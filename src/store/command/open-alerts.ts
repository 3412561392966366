import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The unresolved alerts of a rule, by subject id, with their details as stored (JSON text). */
export async function openAlertsOf(db: Db, rule: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('alerts')
    .select(['subject_id', 'details'])
    .where('rule', '=', rule)
    .where('resolved_at', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.subject_id, r.details]));
}
