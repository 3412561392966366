/**
 * Natural history of one infection (Omicron BA.2 as seen in Shanghai, spring 2022): a short
 * latent period, a week of declining infectiousness, symptoms in a minority, PCR positive for
 * about two weeks. Drawn once at infection; everything later is read from the state.
 */
import type { Random } from '../random.ts';
import { DRAW, keyedUniform } from './hash.ts';
import type { DiseaseParameters } from './parameters.ts';
import { NEVER, type SimState } from './state.ts';

export function infect(
  state: SimState,
  person: number,
  day: number,
  infector: number,
  setting: number,
  p: DiseaseParameters,
  random: Random,
): boolean {
  if (state.infectedDay[person] !== NEVER) return false;
  const latent = random.int(p.latentDays[0], p.latentDays[1]);
  state.infectedDay[person] = day;
  state.infectiousFrom[person] = day + latent;
  state.infectiousUntil[person] = day + latent + p.infectiousProfile.length;
  state.symptomatic[person] = random.chance(1 - p.asymptomaticShare) ? 1 : 0;
  state.infector[person] = infector;
  state.setting[person] = setting;
  state.active.push(person);
  return true;
}

/** Relative infectiousness on `day` (0 outside the infectious days). */
export function infectiousness(state: SimState, person: number, day: number, p: DiseaseParameters): number {
  if (state.infectedDay[person] === NEVER) return 0;
  const k = day - state.infectiousFrom[person];
  if (k < 0 || k >= p.infectiousProfile.length) return 0;
  return p.infectiousProfile[k] * (state.symptomatic[person] ? 1 : p.asymptomaticInfectiousness);
}

/** Day symptoms begin (NEVER for an asymptomatic infection). */
export function onsetDay(state: SimState, person: number, p: DiseaseParameters): number {
  return state.symptomatic[person] ? state.infectiousFrom[person] + p.onsetAfterInfectiousDays : NEVER;
}

/**
 * Whether a sample taken from the person on `day` is positive: inside the PCR window, and then
 * with the test's sensitivity. A keyed draw, so the answer is the same whoever asks (the model,
 * or a lab actor resulting a tube a sampler had to re-make).
 */
export function samplePositive(
  state: SimState,
  person: number,
  day: number,
  p: DiseaseParameters,
  seed: number,
): boolean {
  const infected = state.infectedDay[person];
  if (infected === NEVER) return false;
  const since = day - infected;
  if (since < p.pcrPositiveFromDay || since > p.pcrPositiveUntilDay) return false;
  return keyedUniform(seed, DRAW.pcr, person, day) < p.pcrSensitivity;
}

/**
 * A positive sample's Ct values (lower = more virus): lowest around the infectious peak, rising
 * as the infection clears; ORF1ab and N move together with a little noise.
 */
export function sampleCt(
  state: SimState,
  person: number,
  day: number,
  seed: number,
): { orf1ab: number; n: number } {
  const since = day - state.infectedDay[person];
  const base = 22 + Math.abs(since - 4) * 1.6;
  const u = keyedUniform(seed, DRAW.ct, person, day);
  const orf1ab = Math.min(39.5, Math.round((base + (u - 0.5) * 6) * 10) / 10);
  const n = Math.min(39.5, Math.round((orf1ab - 1 + u * 2) * 10) / 10);
  return { orf1ab, n };
}
