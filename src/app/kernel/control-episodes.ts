import {
  CONTROL_KINDS,
  endInstant,
  episodeKey,
  type ControlEpisode,
  type ControlKind,
  type ControlSource,
} from '../../domain/kernel/control-episodes.ts';
import { invalid, notFound } from '../../domain/errors.ts';
import type { UnitOfWork } from '../context.ts';
import type { RegionDirectory } from '../registry/region-directory.ts';
import {
  episodesOfPeople,
  findEpisodes,
  insertEpisodes,
  markEnded,
  toControlEpisode,
  type EpisodeFilter,
  type NewEpisodeRow,
} from './repositories/control-episodes-repo.ts';
import type { Db } from './repositories/db.ts';
import { loadPersonAddresses, type PersonAddress } from './repositories/person-addresses.ts';

/**
 * Control episodes as services: every capability opens and ends them here, in its own unit of
 * work, so the change and its `control.started` / `control.ended` events commit together.
 */
export interface OpenEpisodeInput {
  personId: number;
  kind: ControlKind;
  /** Defaults to the unit of work's now. */
  from?: number;
  /** Planned end (exclusive), e.g. the end of quarantine day 7; null = until ended. */
  until?: number | null;
  source: ControlSource;
}

export interface OpenedEpisode {
  episode: ControlEpisode;
  /** False when the (person, kind, source) episode already existed: nothing was written or published. */
  created: boolean;
}

function publishEpisode(
  uow: UnitOfWork,
  type: 'control.started' | 'control.ended',
  e: ControlEpisode,
  address: PersonAddress,
): void {
  uow.publish({
    type,
    occurredAt: type === 'control.started' ? e.from : (e.until ?? uow.now),
    regionIds: [address.leafRegionId],
    personId: e.personId,
    payload: {
      episodeId: e.id,
      kind: e.kind,
      from: e.from,
      until: e.until,
      source: e.source,
      districtId: e.districtId,
      streetId: address.streetId,
      ...(type === 'control.ended' ? { reason: e.endedReason } : {}),
    },
  });
}

/**
 * Opens episodes, idempotently per (person, kind, source): an episode that already exists for
 * that identity — open or ended — is returned as it is, so replaying a pool result or a zone
 * change never opens a second one (a new zone period is a new source).
 */
export async function openEpisodes(
  uow: UnitOfWork,
  inputs: readonly OpenEpisodeInput[],
): Promise<OpenedEpisode[]> {
  for (const [i, input] of inputs.entries()) {
    if (!CONTROL_KINDS.includes(input.kind)) {
      throw invalid(`episodes.${i}.kind`, `unknown control kind ${String(input.kind)}`);
    }
    const from = input.from ?? uow.now;
    if (input.until != null && input.until <= from) {
      throw invalid(`episodes.${i}.until`, 'must be after from');
    }
  }
  if (inputs.length === 0) return [];
  const addresses = await loadPersonAddresses(
    uow.trx,
    inputs.map((i) => i.personId),
  );
  const key = (e: { personId: number; kind: ControlKind; source: ControlSource }) =>
    episodeKey(e.personId, e.kind, e.source);
  const existing = new Map<string, ControlEpisode>();
  const people = inputs.map((i) => i.personId);
  for (const e of await episodesOfPeople(
    uow.trx,
    people,
    inputs.map((i) => i.source),
  )) {
    existing.set(key(e), e);
  }

  const wanted = new Map<string, NewEpisodeRow>();
  for (const input of inputs) {
    const k = key(input);
    if (existing.has(k) || wanted.has(k)) continue;
    wanted.set(k, {
      district_id: addresses.get(input.personId)!.districtId,
      person_id: input.personId,
      kind: input.kind,
      from_at: input.from ?? uow.now,
      until_at: input.until ?? null,
      source_type: input.source.type,
      source_id: input.source.id,
      created_at: uow.now,
    });
  }
  const created = await insertEpisodes(uow.trx, [...wanted.values()]);
  const createdKeys = new Set<string>();
  for (const e of created) {
    createdKeys.add(key(e));
    existing.set(key(e), e);
    publishEpisode(uow, 'control.started', e, addresses.get(e.personId)!);
  }
  // A concurrent writer may have inserted one between our read and our insert: read those back.
  const raced = [...wanted.keys()].filter((k) => !existing.has(k));
  if (raced.length) {
    for (const e of await episodesOfPeople(
      uow.trx,
      people,
      inputs.map((i) => i.source),
    )) {
      existing.set(key(e), e);
    }
  }
  return inputs.map((input) => {
    const k = key(input);
    const episode = existing.get(k);
    if (!episode) throw notFound(`control episode ${k}`);
    // A key repeated within one call was created once: by its first occurrence.
    const created = createdKeys.delete(k);
    return { episode, created };
  });
}

export async function openEpisode(uow: UnitOfWork, input: OpenEpisodeInput): Promise<OpenedEpisode> {
  const [opened] = await openEpisodes(uow, [input]);
  return opened;
}

/**
 * Ends the matching episodes that are still running at the unit of work's now, recording the
 * reason; episodes already ended (explicitly or by their planned end) are left alone, so ending
 * twice publishes once. Returns the episodes ended by this call.
 */
export async function endEpisodes(
  uow: UnitOfWork,
  filter: EpisodeFilter,
  reason: string,
): Promise<ControlEpisode[]> {
  if (!reason.trim()) throw invalid('reason', 'say why the episode ends');
  const candidates = await findEpisodes(uow.trx, filter);
  const toEnd = candidates
    .map((e) => ({ e, until: endInstant(e, uow.now) }))
    .filter((x): x is { e: ControlEpisode; until: number } => x.until !== null);
  if (toEnd.length === 0) return [];
  const groups = new Map<string, { districtId: number; until: number; ids: number[] }>();
  for (const { e, until } of toEnd) {
    const g = groups.get(`${e.districtId}:${until}`) ?? { districtId: e.districtId, until, ids: [] };
    g.ids.push(e.id);
    groups.set(`${e.districtId}:${until}`, g);
  }
  for (const g of groups.values()) await markEnded(uow.trx, g.districtId, g.ids, g.until, reason);
  const addresses = await loadPersonAddresses(
    uow.trx,
    toEnd.map((x) => x.e.personId),
  );
  const ended = toEnd.map(({ e, until }) => ({ ...e, until, endedReason: reason }));
  for (const e of ended) publishEpisode(uow, 'control.ended', e, addresses.get(e.personId)!);
  return ended;
}

/** Ends every running episode a source opened (a pool cleared, a zone period over, a case discharged). */
export function endEpisodesBySource(
  uow: UnitOfWork,
  source: ControlSource,
  reason: string,
  narrow: Omit<EpisodeFilter, 'source'> = {},
) {
  return endEpisodes(uow, { ...narrow, source }, reason);
}

export async function endEpisode(
  uow: UnitOfWork,
  id: number,
  reason: string,
): Promise<ControlEpisode | null> {
  const found = await findEpisodes(uow.trx, { ids: [id] });
  if (found.length === 0) throw notFound(`control episode ${id}`);
  const [ended] = await endEpisodes(uow, { ids: [id] }, reason);
  return ended ?? null;
}

/** A person's episodes active at `at` ([from, until)). */
export async function activeEpisodes(db: Db, personId: number, at: number): Promise<ControlEpisode[]> {
  const rows = await db
    .selectFrom('control_episodes')
    .selectAll()
    .where('person_id', '=', personId)
    .where('from_at', '<=', at)
    .where((eb) => eb.or([eb('until_at', 'is', null), eb('until_at', '>', at)]))
    .orderBy('from_at')
    .execute();
  return rows.map(toControlEpisode);
}

/**
 * The given people's episodes of one kind that are running at `at` or planned to start after it
 * (tracing plans quarantine, then home monitoring), oldest first per person.
 */
export async function currentOrPlannedEpisodes(
  db: Db,
  personIds: readonly number[],
  kind: ControlKind,
  at: number,
): Promise<Map<number, ControlEpisode[]>> {
  const out = new Map<number, ControlEpisode[]>();
  const unique = [...new Set(personIds)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('control_episodes')
      .selectAll()
      .where('person_id', 'in', unique.slice(i, i + 500))
      .where('kind', '=', kind)
      .where((eb) => eb.or([eb('until_at', 'is', null), eb('until_at', '>', at)]))
      .orderBy('person_id')
      .orderBy('from_at')
      .execute();
    for (const e of rows.map(toControlEpisode)) {
      const episodes = out.get(e.personId);
      if (episodes) episodes.push(e);
      else out.set(e.personId, [e]);
    }
  }
  return out;
}

export interface PersonUnderControl {
  personId: number;
  kinds: ControlKind[];
}

/**
 * Everyone in a region's subtree under control at `at` (optionally only the given kinds), with
 * the kinds that hold them. The region's level picks the column: district → the episode's own
 * district (no join), street / committee → the person's row.
 */
export async function peopleUnderControl(
  db: Db,
  regions: RegionDirectory,
  regionId: number,
  at: number,
  kinds: readonly ControlKind[] = CONTROL_KINDS,
): Promise<PersonUnderControl[]> {
  const region = regions.get(regionId);
  if (!region) throw notFound(`region ${regionId}`);
  let q = db
    .selectFrom('control_episodes as e')
    .innerJoin('people as p', (j) =>
      j.onRef('p.id', '=', 'e.person_id').onRef('p.district_id', '=', 'e.district_id'),
    )
    .select(['e.person_id', 'e.kind'])
    .where('e.from_at', '<=', at)
    .where((eb) => eb.or([eb('e.until_at', 'is', null), eb('e.until_at', '>', at)]))
    .where('e.kind', 'in', [...kinds]);
  if (region.level === 'district') q = q.where('e.district_id', '=', regionId);
  if (region.level === 'street') q = q.where('p.street_id', '=', regionId);
  if (region.level === 'committee') q = q.where('p.committee_id', '=', regionId);
  const rows = await q.orderBy('e.person_id').execute();
  const byPerson = new Map<number, Set<ControlKind>>();
  for (const r of rows) {
    const set = byPerson.get(r.person_id) ?? new Set<ControlKind>();
    set.add(r.kind);
    byPerson.set(r.person_id, set);
  }
  return [...byPerson].map(([personId, set]) => ({
    personId,
    kinds: CONTROL_KINDS.filter((k) => set.has(k)),
  }));
}
