/**
 * The epidemic model's numbers, in one place, with where each comes from. Rates are per day;
 * "contacts" are infectious contacts (a contact that would infect a susceptible person), so
 * a rate is already contact frequency × per-contact probability. The defaults are calibrated
 * (docs/SIMULATION.md) so that the spring-2022 scenario reproduces the Shanghai wave's shape
 * at any scale ≥ 0.01; everything here is per person, so it does not change with the scale.
 */
export interface DiseaseParameters {
  /** Days from infection to becoming infectious (uniform, inclusive). Omicron BA.2: 2–3. */
  latentDays: [number, number];
  /** Relative infectiousness on each infectious day (day 0 = first infectious day). */
  infectiousProfile: number[];
  /** Share who never develop symptoms: about 90% of Shanghai's spring 2022 positives. */
  asymptomaticShare: number;
  /** Infectiousness of an asymptomatic infection relative to a symptomatic one. */
  asymptomaticInfectiousness: number;
  /** Symptom onset, in days after becoming infectious. */
  onsetAfterInfectiousDays: number;
  /** PCR is positive from this many days after infection… */
  pcrPositiveFromDay: number;
  /** …until this many days after infection. */
  pcrPositiveUntilDay: number;
  /** Probability that a positive person's sample is positive (per sample). */
  pcrSensitivity: number;
  /** Share of tubes that come back invalid (→ a resample order). */
  invalidTubeShare: number;
  /** Share of cases that need a designated hospital rather than a shelter bed. */
  hospitalShare: number;
  /** Days a case stays in a shelter hospital or hospital before discharge (two negatives). */
  isolationDays: [number, number];
}

export interface MixingParameters {
  /** Daily hazard of infection for each household member, per unit of infectiousness. */
  household: number;
  /** Infectious contacts per day in the building, the compound, the workplace, the city. */
  building: number;
  compound: number;
  workplace: number;
  community: number;
  /** Infectious contacts per venue visit, among the venue's visitors of the day. */
  venue: number;
  /** Share of people free to move who visit a venue on a given day (and check in there). */
  venueVisitShare: number;
  /** Share of community contacts that cross into another district. */
  crossDistrictShare: number;
  /**
   * Infectious contacts per day in the building and the compound for people confined to their
   * compound (管控区, and the static management of April 2022). Higher than in normal life: everyone
   * is at home all day, and meets the neighbours in stairwells and lifts, in the daily testing
   * queue downstairs, and at group-buying hand-overs — contacts that work and the city used to take.
   */
  controlledBuilding: number;
  controlledCompound: number;
  /** In a precaution zone (防范区) people move within limits: work, venues and city contacts × this… */
  precautionMovement: number;
  /** …and gatherings in the building and compound are restricted too (× this). */
  precautionNeighbours: number;
  /**
   * Families shut in at home all day (sealed, home quarantine, static management, waiting for a
   * transfer) infect each other more: household hazard × this.
   */
  homeboundHousehold: number;
  /** Quarantined family members share a room: household hazard × this. */
  quarantineTogether: number;
}

export interface ResponseParameters {
  /** Probability per day that a symptomatic person not under control goes to a fever clinic. */
  feverClinicPerDay: number;
  /**
   * Residents of sealed and controlled places take an antigen self-test every day (抗原自测, April
   * 2022); an infectious person is caught by it with this probability a day and gets a
   * single-tube PCR the next morning — detection that costs the labs almost nothing.
   */
  antigenPerDay: number;
  /** Share of a case's co-workers the tracers find and quarantine as close contacts. */
  workplaceContactsFound: number;
  /** At most this many co-workers per case become close contacts. */
  workplaceContactsMax: number;
  /** Share of a case's venue co-visitors (from check-ins) confirmed as close contacts. */
  venueContactsFound: number;
  /** Days between a case's report and the quarantine of its contacts. */
  tracingDelayDays: number;
  /** People the transfer teams move per day, per million residents (cases and contacts). */
  transfersPerMillion: number;
  /** Share of the registry's beds open on day 1 by facility kind; scenario events open more. */
  openBedShare: Record<string, number>;
  /** Sample the residents of sealed / controlled / precaution places every N days. */
  sealedEveryDays: number;
  controlledEveryDays: number;
  /** Under static management outside any zone, every N days (0: only the scenario's rounds). */
  lockdownEveryDays: number;
  precautionEveryDays: number;
  /** Key-industry workers are sampled every N days (重点行业 rhythm) when not under control. */
  keyWorkerEveryDays: number;
  /** Around a new case, the whole street is screened the next day (网格化筛查) — before lockdowns. */
  screenStreetOfCase: boolean;
  /** People in a tube at a screening site for open areas (20-in-1) etc. come from the rule set. */
  boxTubes: number;
}

export interface ModelParameters {
  disease: DiseaseParameters;
  mixing: MixingParameters;
  response: ResponseParameters;
}

export const DEFAULT_PARAMETERS: ModelParameters = {
  disease: {
    latentDays: [2, 3],
    infectiousProfile: [0.8, 1, 1, 0.8, 0.5, 0.3, 0.15],
    asymptomaticShare: 0.9,
    asymptomaticInfectiousness: 0.7,
    onsetAfterInfectiousDays: 1,
    pcrPositiveFromDay: 2,
    pcrPositiveUntilDay: 16,
    pcrSensitivity: 0.95,
    invalidTubeShare: 0.002,
    hospitalShare: 0.03,
    isolationDays: [7, 12],
  },
  mixing: {
    household: 0.2,
    building: 0.1,
    compound: 0.07,
    workplace: 0.1,
    community: 0.02,
    venue: 0.2,
    venueVisitShare: 0.08,
    crossDistrictShare: 0.2,
    controlledBuilding: 0.42,
    controlledCompound: 0.2,
    precautionMovement: 0.15,
    precautionNeighbours: 0.35,
    homeboundHousehold: 1.5,
    quarantineTogether: 0.5,
  },
  response: {
    feverClinicPerDay: 0.2,
    antigenPerDay: 0.05,
    workplaceContactsFound: 0.6,
    workplaceContactsMax: 8,
    venueContactsFound: 0.5,
    tracingDelayDays: 1,
    transfersPerMillion: 1500,
    openBedShare: {
      designated_hospital: 1,
      quarantine_hotel: 0.5,
      observation_point: 0.3,
      shelter_hospital: 0,
    },
    sealedEveryDays: 2,
    controlledEveryDays: 2,
    lockdownEveryDays: 4,
    precautionEveryDays: 3,
    keyWorkerEveryDays: 2,
    screenStreetOfCase: false,
    boxTubes: 200,
  },
};

/** A copy of the defaults with some numbers changed (objects merge one level deep). */
export function withParameters(changes: {
  [K in keyof ModelParameters]?: Partial<ModelParameters[K]>;
}): ModelParameters {
  return {
    disease: { ...DEFAULT_PARAMETERS.disease, ...changes.disease },
    mixing: { ...DEFAULT_PARAMETERS.mixing, ...changes.mixing },
    response: { ...DEFAULT_PARAMETERS.response, ...changes.response },
  };
}
