import type { OutbreakSimulation } from '../../../domain/simulation/engine.ts';
import type { SimOrganisationRecord } from '../../../domain/simulation/population.ts';
import type { ActorTokens } from '../accounts.ts';
import type { ApiClient } from '../http-client.ts';
import { groupValuesBy } from '../../../domain/group-by.ts';

/**
 * What every actor shares during a run: the API client and the staff's tokens, the model (for
 * who is who), the city's organisations by kind, and what earlier actions left in Cordon that
 * later ones refer to (round ids, tubes a lab received, stays to discharge). Actors only act
 * through `api`; nothing here touches the database.
 */
export interface ActorContext {
  api: ApiClient;
  tokens: ActorTokens;
  sim: OutbreakSimulation;
  /** Person id → [ref, district id]: what each resident's code carries. */
  codes: Map<number, [string, number]>;
  codeKey: Buffer;
  /** Epoch ms of a day's minute (local time of the deployment). */
  instant(day: number, minute: number): number;
  /** Prefix for this run's client ids and barcodes. */
  runTag: string;
  organisations: {
    /** Sample couriers (送) and transfer crews (转) by district id. */
    couriersByDistrict: Map<number, number[]>;
    crewsByDistrict: Map<number, number[]>;
    facilityOrgOf: Map<number, number>;
    facilitiesByKind: Map<string, number[]>;
    siteOrgOf: Map<number, number>;
  };
  state: ActorState;
  /** Routes missing from the server (a capability not landed yet): reported, never faked. */
  missing: Set<string>;
  /** Problems worth a line in the summary (counted by kind). */
  problems: Map<string, number>;
  log(line: string): void;
}

export interface ActorState {
  /** Model round key of the day → Cordon round id. */
  roundIds: Map<string, number>;
  /** Tubes Cordon accepted and a lab received: only these get results. */
  receivedTubes: Set<string>;
  /** Single tubes made at a site for members Cordon refused in a pool, by the pool's tube code. */
  singlesByTube: Map<string, { person: number; code: string }[]>;
  /** Person id → the stay Cordon opened for them. */
  stays: Map<number, { admissionId: number; facilityId: number }>;
  /** Compounds designated by hand for static management. */
  lockedDown: Set<number>;
  counts: Map<string, number>;
}

export function newActorState(): ActorState {
  return {
    roundIds: new Map(),
    receivedTubes: new Set(),
    singlesByTube: new Map(),
    stays: new Map(),
    lockedDown: new Set(),
    counts: new Map(),
  };
}

export function count(actors: ActorContext, what: string, n = 1): void {
  actors.state.counts.set(what, (actors.state.counts.get(what) ?? 0) + n);
}

export function problem(actors: ActorContext, what: string, n = 1): void {
  actors.problems.set(what, (actors.problems.get(what) ?? 0) + n);
}

export function organisationIndex(
  orgs: readonly SimOrganisationRecord[],
  facilities: { id: number; organisationId: number; kind: string }[],
  sites: { id: number; organisationId: number }[],
): ActorContext['organisations'] {
  const byDistrict = (sector: string) => {
    return groupValuesBy(
      orgs.filter((o) => o.kind === 'transport' && o.sector === sector),
      (o) => o.districtId,
      (o) => o.id,
    );
  };
  const facilitiesByKind = groupValuesBy(
    facilities,
    (f): string => f.kind,
    (f) => f.id,
  );
  return {
    couriersByDistrict: byDistrict('samples'),
    crewsByDistrict: byDistrict('transfer'),
    facilityOrgOf: new Map(facilities.map((f) => [f.id, f.organisationId])),
    facilitiesByKind,
    siteOrgOf: new Map(sites.map((s) => [s.id, s.organisationId])),
  };
}

/** The token of an organisation's account (sampler, lab, crew, facility). */
export function orgToken(actors: ActorContext, organisationId: number): string {
  const token = actors.tokens.organisations.get(organisationId);
  if (!token) throw new Error(`no simulation account for organisation ${organisationId}`);
  return token;
}
