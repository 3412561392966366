import type { Selectable } from 'kysely';
import type { ControlEpisode, ControlKind, ControlSource } from '../../../domain/kernel/control-episodes.ts';
import type { ControlEpisodeTable } from '../../../store/schema.ts';
import { chunks, type Db } from './db.ts';
import { unindexedEquals } from '../../../store/unindexed-guard.ts';

type Row = Selectable<ControlEpisodeTable>;

export function toControlEpisode(r: Row): ControlEpisode {
  return {
    id: r.id,
    personId: r.person_id,
    districtId: r.district_id,
    kind: r.kind,
    from: r.from_at,
    until: r.until_at,
    source: { type: r.source_type, id: r.source_id },
    endedReason: r.ended_reason,
    createdAt: r.created_at,
  };
}

export interface NewEpisodeRow {
  district_id: number;
  person_id: number;
  kind: ControlKind;
  from_at: number;
  until_at: number | null;
  source_type: string;
  source_id: string;
  created_at: number;
}

/**
 * Inserts episodes; one that already exists by identity (person, kind, source) is skipped by the
 * unique index rather than duplicated, even when two writers race. Returns the rows inserted.
 */
export async function insertEpisodes(db: Db, rows: readonly NewEpisodeRow[]): Promise<ControlEpisode[]> {
  const out: ControlEpisode[] = [];
  for (const chunk of chunks(rows, 300)) {
    const inserted = await db
      .insertInto('control_episodes')
      .values(chunk.map((r) => ({ ...r, ended_reason: null })))
      .onConflict((oc) =>
        oc.columns(['district_id', 'person_id', 'kind', 'source_type', 'source_id']).doNothing(),
      )
      .returningAll()
      .execute();
    out.push(...inserted.map(toControlEpisode));
  }
  return out;
}

/** Episodes of these people, optionally only those from the given sources. */
export async function episodesOfPeople(
  db: Db,
  personIds: readonly number[],
  sources?: readonly ControlSource[],
): Promise<ControlEpisode[]> {
  const out: ControlEpisode[] = [];
  const sourceIds = sources ? [...new Set(sources.map((s) => s.id))] : [];
  for (const chunk of chunks([...new Set(personIds)])) {
    let q = db.selectFrom('control_episodes').selectAll().where('person_id', 'in', chunk);
    // Narrow by source id when there are few (the usual case: one pool, one zone period, one case).
    if (sources && sourceIds.length <= 200) q = q.where('source_id', 'in', sourceIds);
    const rows = await q.execute();
    out.push(...rows.map(toControlEpisode));
  }
  return out;
}

export interface EpisodeFilter {
  source?: ControlSource;
  personId?: number;
  kind?: ControlKind;
  ids?: readonly number[];
}

/** Episodes matching every given criterion; at least a source, a person or ids must be given. */
export async function findEpisodes(db: Db, filter: EpisodeFilter): Promise<ControlEpisode[]> {
  if (!filter.source && filter.personId === undefined && !filter.ids) {
    throw new Error('findEpisodes needs a source, a person or ids');
  }
  const idChunks = filter.ids ? chunks([...filter.ids]) : [null];
  const out: ControlEpisode[] = [];
  for (const ids of idChunks) {
    let q = db.selectFrom('control_episodes').selectAll();
    if (ids) q = q.where('id', 'in', ids.length ? ids : [-1]);
    if (filter.source) {
      q = q.where('source_type', '=', filter.source.type).where('source_id', '=', filter.source.id);
    }
    if (filter.personId !== undefined) q = q.where('person_id', '=', filter.personId);
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    out.push(...(await q.orderBy('id').execute()).map(toControlEpisode));
  }
  return out;
}

/** Records the end of episodes that all end at the same instant, within one district (the row key). */
export async function markEnded(
  db: Db,
  districtId: number,
  ids: readonly number[],
  until: number,
  reason: string,
): Promise<void> {
  for (const chunk of chunks(ids)) {
    await db
      .updateTable('control_episodes')
      .set({ until_at: until, ended_reason: reason })
      .where(unindexedEquals(db, 'district_id', districtId))
      .where('id', 'in', chunk)
      .where('ended_reason', 'is', null)
      .execute();
  }
}

/** Every episode of one person, newest first (history). */
export async function episodesOfPerson(
  db: Db,
  personId: number,
  districtId?: number,
): Promise<ControlEpisode[]> {
  let q = db.selectFrom('control_episodes').selectAll().where('person_id', '=', personId);
  if (districtId !== undefined) q = q.where('district_id', '=', districtId);
  const rows = await q.orderBy('from_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toControlEpisode);
}
