import type { Selectable } from 'kysely';
import type { Alert, AlertLevel, AlertState, AlertSubject } from '../../../domain/kernel/alerts.ts';
import type { AlertTable } from '../../../store/schema.ts';
import { chunks, type Db } from './db.ts';

type Row = Selectable<AlertTable>;

export function toAlert(r: Row): Alert {
  return {
    id: r.id,
    rule: r.rule,
    level: r.level,
    regionIds: JSON.parse(r.region_ids) as number[],
    subject: { type: r.subject_type, id: r.subject_id },
    details: JSON.parse(r.details) as Record<string, unknown>,
    openedAt: r.opened_at,
    owner: r.owner_user_id,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    resolution: r.resolution,
  };
}

/** The unresolved alerts under these open keys, by key (one query per few hundred keys). */
export async function findOpenAlerts(db: Db, openKeys: readonly string[]): Promise<Map<string, Alert>> {
  const out = new Map<string, Alert>();
  for (const chunk of chunks([...new Set(openKeys)])) {
    const rows = await db.selectFrom('alerts').selectAll().where('open_key', 'in', chunk).execute();
    for (const row of rows) out.set(row.open_key!, toAlert(row));
  }
  return out;
}

export async function findAlert(db: Db, id: number): Promise<Alert | null> {
  const row = await db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAlert(row) : null;
}

export interface NewAlert {
  rule: string;
  level: AlertLevel;
  districtId: number | null;
  regionIds: number[];
  subject: AlertSubject;
  openKey: string;
  details: Record<string, unknown>;
  openedAt: number;
}

/** Inserts an alert unless one is open under the same key (unique open_key); null when one was. */
export async function insertAlert(db: Db, a: NewAlert): Promise<Alert | null> {
  const row = await db
    .insertInto('alerts')
    .values({
      rule: a.rule,
      level: a.level,
      district_id: a.districtId,
      region_ids: JSON.stringify(a.regionIds),
      subject_type: a.subject.type,
      subject_id: a.subject.id,
      open_key: a.openKey,
      details: JSON.stringify(a.details),
      opened_at: a.openedAt,
      owner_user_id: null,
      acknowledged_at: null,
      acknowledged_by: null,
      resolved_at: null,
      resolved_by: null,
      resolution: null,
    })
    .onConflict((oc) => oc.column('open_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) return null;
  await db
    .insertInto('alert_regions')
    .values(a.regionIds.map((regionId) => ({ region_id: regionId, alert_id: row.id })))
    .execute();
  return toAlert(row);
}

export async function updateAlertDetails(
  db: Db,
  id: number,
  details: Record<string, unknown>,
): Promise<void> {
  await db
    .updateTable('alerts')
    .set({ details: JSON.stringify(details) })
    .where('id', '=', id)
    .execute();
}

export async function markAcknowledged(
  db: Db,
  id: number,
  at: number,
  by: number,
  owner: number,
): Promise<void> {
  await db
    .updateTable('alerts')
    .set({ acknowledged_at: at, acknowledged_by: by, owner_user_id: owner })
    .where('id', '=', id)
    .where('resolved_at', 'is', null)
    .execute();
}

/** Resolves and frees the open key, so the rule can raise a new alert on the same subject later. */
export async function markResolved(
  db: Db,
  id: number,
  at: number,
  by: number | null,
  resolution: string,
): Promise<void> {
  await db
    .updateTable('alerts')
    .set({ resolved_at: at, resolved_by: by, resolution, open_key: null })
    .where('id', '=', id)
    .where('resolved_at', 'is', null)
    .execute();
}

export interface AlertListQuery {
  /** Only alerts concerning this region (its own or a descendant's); omitted = all. */
  regionId?: number;
  state?: AlertState;
  rule?: string;
  /** Page to ids below this one (newest first). */
  beforeId?: number;
  limit: number;
}

/** Newest first; region filtering is an indexed join on alert_regions (region, alert). */
export async function listAlertRows(db: Db, query: AlertListQuery): Promise<Alert[]> {
  let q = db.selectFrom('alerts as a').selectAll('a');
  if (query.regionId !== undefined) {
    const regionId = query.regionId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('alert_regions as r')
          .select('r.alert_id')
          .whereRef('r.alert_id', '=', 'a.id')
          .where('r.region_id', '=', regionId),
      ),
    );
  }
  if (query.state === 'resolved') q = q.where('a.resolved_at', 'is not', null);
  if (query.state === 'acknowledged') {
    q = q.where('a.resolved_at', 'is', null).where('a.acknowledged_at', 'is not', null);
  }
  if (query.state === 'open') q = q.where('a.resolved_at', 'is', null).where('a.acknowledged_at', 'is', null);
  if (query.rule) q = q.where('a.rule', '=', query.rule);
  if (query.beforeId !== undefined) q = q.where('a.id', '<', query.beforeId);
  const rows = await q.orderBy('a.id', 'desc').limit(query.limit).execute();
  return rows.map(toAlert);
}

export async function alertConcerns(db: Db, alertId: number, regionId: number): Promise<boolean> {
  const row = await db
    .selectFrom('alert_regions')
    .select('alert_id')
    .where('region_id', '=', regionId)
    .where('alert_id', '=', alertId)
    .executeTakeFirst();
  return row !== undefined;
}
