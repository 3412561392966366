import { LEVEL } from '../../../domain/simulation/rules-view.ts';
import type { PlannedRound } from '../../../domain/simulation/sampling.ts';
import type { AppliedEvent } from '../../../domain/simulation/scenario-effects.ts';
import { ApiError, inParallel } from '../http-client.ts';
import { count, problem, type ActorContext } from './actor-context.ts';

/**
 * 指挥部: the command post plans the day's rounds, opens beds as facilities come online, switches
 * the rule set when the city does, puts districts under static management (静态管理) a batch of
 * places a call and then into the three zones, and decides the step-down proposals Cordon makes — the
 * calls a city command centre's staff would make, under its own account.
 */
/** The day's standing rounds (zones, clinics, duties), opened before sampling starts. */
export async function openRounds(
  actors: ActorContext,
  day: number,
  date: string,
  rounds: readonly PlannedRound[],
): Promise<void> {
  for (const round of rounds) {
    if (!round.key.startsWith('round:')) await openRound(actors, day, date, round, 6 * 60 + 45);
  }
}

/** A round a scenario event calls, opened at the event's time. */
export async function openRound(
  actors: ActorContext,
  day: number,
  date: string,
  round: PlannedRound,
  fromMinute: number,
): Promise<void> {
  const city = actors.sim.population.city;
  const regionIds =
    round.districts.length > 0 ? round.districts.map((d) => city.districts[d].id) : [city.cityId];
  const created = await actors.api.post<{ id: number }>(
    actors.tokens.command,
    '/screening/rounds',
    {
      name: `${date} ${round.name}`,
      kind: 'nucleic_acid',
      startsAt: actors.instant(day, fromMinute),
      endsAt: actors.instant(day, 23 * 60 + 59),
      firstRound: round.firstRound,
      regionIds,
    },
    '/screening/rounds',
  );
  actors.state.roundIds.set(round.key, created.id);
  count(actors, 'rounds');
}

/** Registered beds per facility and bed kind, as the registry had them before the run changed any. */
export type RegisteredBeds = Map<number, { bedKind: string; total: number }[]>;

export async function setOpenBeds(
  actors: ActorContext,
  registered: RegisteredBeds,
  kinds: readonly string[],
): Promise<void> {
  const share = actors.sim.logistics.openShare;
  const facilities = kinds.flatMap((k) =>
    (actors.organisations.facilitiesByKind.get(k) ?? []).map((id) => ({ id, kind: k })),
  );
  await inParallel(facilities, 4, async (f) => {
    const beds = (registered.get(f.id) ?? []).map((b) => ({
      bedKind: b.bedKind,
      total: Math.floor(b.total * (share[f.kind] ?? 0)),
    }));
    if (beds.length === 0) return;
    try {
      await actors.api.put(
        actors.tokens.command,
        `/facilities/${f.id}/beds`,
        { beds },
        '/facilities/{id}/beds',
      );
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      // Beds in use cannot be taken away; the facility keeps them until they free up.
      problem(actors, `beds not reduced: ${error.code}`);
    }
  });
}

export async function switchRuleSet(actors: ActorContext, name: string): Promise<void> {
  await actors.api.put(actors.tokens.admin, '/rule-sets/active', { name }, '/rule-sets/active');
}

/** Static management: every compound of the districts becomes a controlled place, by hand, with the reason. */
export async function lockDown(
  actors: ActorContext,
  districtCodes: readonly string[] | undefined,
): Promise<void> {
  const pop = actors.sim.population;
  const wanted = new Set(
    (districtCodes?.length ? districtCodes : pop.city.districts.map((d) => d.code)).map(String),
  );
  const compounds: number[] = [];
  pop.compoundIds.forEach((placeId, c) => {
    if (
      placeId > 0 &&
      wanted.has(pop.city.districts[pop.compoundDistrict[c]].code) &&
      !actors.state.lockedDown.has(placeId)
    ) {
      compounds.push(placeId);
    }
  });
  await designate(actors, compounds, 'controlled', '全域静态管理 static management of the district');
  for (const id of compounds) actors.state.lockedDown.add(id);
}

/** Three zones: the locked-down compounds without recent positives become precaution places. */
export async function threeZones(actors: ActorContext, day: number): Promise<void> {
  const pop = actors.sim.population;
  const state = actors.sim.state;
  const release: number[] = [];
  pop.compoundIds.forEach((placeId, c) => {
    if (!actors.state.lockedDown.has(placeId)) return;
    const resident = pop.compounds.members[pop.compounds.start[c]];
    if (resident === undefined || state.designatedLevel(resident, day) < LEVEL.controlled) {
      release.push(placeId);
    }
  });
  await designate(actors, release, 'precaution', '三区划分: no positive living here in 14 days');
  actors.state.lockedDown.clear();
}

/** Places a batch call designates: a district's compounds in a few calls, each all or nothing. */
const DESIGNATION_BATCH = 2000;

async function designate(
  actors: ActorContext,
  placeIds: readonly number[],
  level: string,
  reason: string,
): Promise<void> {
  // One after another: each batch is one write transaction, so parallel ones would only queue.
  for (let i = 0; i < placeIds.length; i += DESIGNATION_BATCH) {
    const chunk = placeIds.slice(i, i + DESIGNATION_BATCH);
    try {
      await actors.api.post(
        actors.tokens.command,
        '/zones/designations/batch',
        { items: chunk.map((placeId) => ({ placeId, level, reason })) },
        '/zones/designations/batch',
      );
      count(actors, `places designated ${level}`, chunk.length);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      problem(actors, `designation refused: ${error.code}`, chunk.length);
    }
  }
}

/**
 * The morning's step-downs: the command post has Cordon evaluate every place now (the rule
 * clock's own daily run comes at its first tick of the day, in real time, which a fast simulated
 * day may not reach before sampling), then approves each proposal (Cordon re-checks it on approval).
 */
export async function decideProposals(actors: ActorContext): Promise<void> {
  await actors.api.post(actors.tokens.command, '/zones/proposals/run', undefined, '/zones/proposals/run');
  const pending = await actors.api.get<{ id: number }[]>(
    actors.tokens.command,
    '/zones/proposals?status=pending',
    '/zones/proposals',
  );
  await inParallel(pending, 4, async (p) => {
    try {
      await actors.api.post(
        actors.tokens.command,
        `/zones/proposals/${p.id}/decision`,
        { decision: 'approve', reason: '按规则解封 — the rule set allows the step-down' },
        '/zones/proposals/{proposalId}/decision',
      );
      count(actors, 'zone step-downs approved');
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      problem(actors, `step-down refused: ${error.code}`);
    }
  });
}

/** What the command post does for a scenario event (events without an API are the model's alone). */
export async function enactEvent(
  actors: ActorContext,
  applied: AppliedEvent,
  day: number,
  date: string,
  registered: RegisteredBeds,
): Promise<void> {
  const e = applied.event;
  switch (e.kind) {
    case 'round':
      if (applied.round) await openRound(actors, day, date, applied.round, applied.at - day * 1440);
      return;
    case 'lockdown':
      return lockDown(actors, e.districts);
    case 'three_zones':
      return threeZones(actors, day);
    case 'beds':
      return setOpenBeds(actors, registered, [e.facilityKind]);
    case 'rule_set':
      if (!actors.sim.options.pinnedRuleSet) await switchRuleSet(actors, e.name);
      return;
    case 'seed':
    case 'reopen':
    case 'lab_outage':
    case 'labs':
    case 'transfers':
    case 'controls':
      return;
  }
}
