/**
 * The outbreak simulator's day loop (pure, in memory, deterministic for a seed): scenario events
 * → transmission → sampling → boxes and labs → results → cases, holds and sealing → tracing →
 * transfers. Each day yields its figures and the actions the actors will perform through
 * Cordon's API, in the order and at the local times they happen.
 */
import { Random } from '../random.ts';
import type { RuleBundle } from '../rules/schema.ts';
import { addDays } from '../time/calendar.ts';
import { DAY_MINUTES, LabNetwork, type SimBox, type TubeResult } from './lab.ts';
import { Logistics, type Movement } from './logistics.ts';
import type { ModelParameters } from './parameters.ts';
import type { CityRecords, Population } from './population.ts';
import { applyResults, traceCase, type ResultEffects, type SimCase, type TracedCase } from './response.ts';
import { simulationRules } from './rules-view.ts';
import { planSampling, type PlannedRound, type SimTube } from './sampling.ts';
import { applyEvent, type AppliedEvent } from './scenario-effects.ts';
import { eventTime, orderedEvents, type Scenario, type ScenarioEvent } from './scenario.ts';
import { SiteBook } from './sites.ts';
import { CASE, SimState } from './state.ts';
import { summariseDay } from './summary.ts';
import type { DayFigures } from './figures.ts';
import { drawVisits, transmit, type Visit } from './transmission.ts';

export interface SimulationOptions {
  scenario: Scenario;
  seed: number;
  parameters: ModelParameters;
  /** Resolves a rule set by name (the shipped sets, or the deployment's). */
  ruleSet: (name: string) => RuleBundle;
  /** Keep this rule set throughout (the CLI's --rules): `rule_set` events are then ignored. */
  pinnedRuleSet?: string;
  /** Prefix of tube and box barcodes (unique per run, so runs on one database never collide). */
  tubePrefix?: string;
  /** The city's scale (for the 2022 reference column). */
  scale: number;
  reference?: Map<string, number>;
}

export interface DayActions {
  day: number;
  date: string;
  events: AppliedEvent[];
  rounds: PlannedRound[];
  tubes: SimTube[];
  boxes: SimBox[];
  results: TubeResult[];
  cases: SimCase[];
  traced: TracedCase[];
  transfers: Movement[];
  discharges: Movement[];
  visits: Visit[];
}

export interface DayOutcome {
  figures: DayFigures;
  actions: DayActions;
}

export class OutbreakSimulation {
  readonly state: SimState;
  readonly labs: LabNetwork;
  readonly logistics: Logistics;
  readonly sites: SiteBook;
  day = 0;
  private readonly random: Random;
  private readonly events: ScenarioEvent[];
  private readonly visitLog: Visit[][] = [];
  private readonly toTrace = new Map<number, SimCase[]>();
  private resample = new Set<number>();
  private streetsToScreen = new Set<number>();
  private readonly days: DayFigures[] = [];
  private readonly positivesBySampledDay: { all: number; inside: number }[] = [];

  constructor(
    readonly population: Population,
    readonly options: SimulationOptions,
  ) {
    const city: CityRecords = population.city;
    const rules = simulationRules(options.ruleSet(options.pinnedRuleSet ?? options.scenario.ruleSet));
    this.state = new SimState(population, rules);
    this.random = new Random(`epidemic:${options.seed}`);
    const labs = city.organisations
      .filter((o) => o.kind === 'lab')
      .map((o) => ({ organisationId: o.id, districtId: o.districtId, dailyCapacity: o.dailyCapacity ?? 0 }));
    this.sites = new SiteBook(population, city.sites, labs);
    this.labs = new LabNetwork(labs, this.state, options.parameters.disease, options.seed);
    this.logistics = new Logistics(city.facilities, this.state, options.parameters, options.seed);
    this.events = orderedEvents(options.scenario);
  }

  dateOf(day: number): string {
    return addDays(this.options.scenario.start, day);
  }

  step(): DayOutcome {
    const day = this.day++;
    const date = this.dateOf(day);
    const dayCode = date.slice(2).replace(/-/g, '');
    const prefix = this.options.tubePrefix ?? 'SIM';
    const { parameters: params, seed } = this.options;
    const applied: AppliedEvent[] = [];
    for (const event of this.events) {
      const t = eventTime(event.at);
      if (t.day !== date) continue;
      applied.push(
        applyEvent(this, event, day, t.minute, this.random.fork(`event:${date}:${applied.length}`)),
      );
    }
    const screeningRounds = applied.flatMap((a) => (a.round ? [a.round] : []));

    const visits = drawVisits(this.state, day, params, this.random);
    const infections = transmit(this.state, day, visits, params, this.random);
    this.visitLog.push(visits);
    // Check-ins of the exposure window (and today) are what tracing looks through.
    if (this.visitLog.length > this.state.rules.exposureDays + 1) this.visitLog.shift();

    // Results uploaded before sampling begins (the 03:00 and 06:00 uploads) seal their cases'
    // places first: a sampler that morning finds the place sealed in Cordon and samples by it.
    const early = this.labs.workUntil(day * DAY_MINUTES + BEFORE_SAMPLING_MINUTE);
    const earlyEffects = applyResults(this.state, early);
    const { rounds, tubes } = planSampling(
      this.state,
      {
        day,
        dayCode,
        tubePrefix: prefix,
        screeningRounds,
        streetsToScreen: this.streetsToScreen,
        resample: this.resample,
        seed,
      },
      this.sites,
      params,
    );
    const boxes = this.labs.receive(day, dayCode, prefix, tubes);
    const late = this.labs.workUntil((day + 1) * DAY_MINUTES);
    const results = [...early, ...late];
    const effects = mergeEffects(earlyEffects, applyResults(this.state, late));
    this.resample = effects.resample;
    for (const c of effects.cases) {
      const counts = (this.positivesBySampledDay[c.sampledDay] ??= { all: 0, inside: 0 });
      counts.all++;
      if (c.insideControl) counts.inside++;
      this.logistics.enqueue(c.person, 'case', c.reportedAt + 60);
      if (this.state.controls.tracing) {
        const at = day + params.response.tracingDelayDays;
        this.toTrace.set(at, [...(this.toTrace.get(at) ?? []), c]);
      }
    }
    this.streetsToScreen = new Set(
      params.response.screenStreetOfCase
        ? effects.cases
            .filter((c) => this.state.area[this.population.district[c.person]] === 0)
            .map((c) => this.population.street[c.person])
        : [],
    );
    const traced = this.trace(day);
    const discharges = this.logistics.discharge(day);
    const transfers = this.logistics.transfer(day);
    this.pruneQuarantine(day);

    const figures = summariseDay(this, {
      date,
      infections,
      tubes,
      results,
      effects,
      traced,
      transfers,
      reference: this.options.reference?.get(date),
    });
    this.days.push(figures);
    return {
      figures,
      actions: {
        day,
        date,
        events: applied,
        rounds,
        tubes,
        boxes,
        results,
        cases: effects.cases,
        traced,
        transfers,
        discharges,
        visits,
      },
    };
  }

  /** The run's figures with positives attributed to their sampling day (final once the run ends). */
  dailyFigures(): DayFigures[] {
    return this.days.map((d, i) => {
      const p = this.positivesBySampledDay[i] ?? { all: 0, inside: 0 };
      return { ...d, positives: p.all, insideControl: p.inside, community: p.all - p.inside };
    });
  }

  /** Absolute minute of the current day's start. */
  minuteOf(day: number, minute: number): number {
    return day * DAY_MINUTES + minute;
  }

  private trace(day: number): TracedCase[] {
    const due = this.toTrace.get(day) ?? [];
    this.toTrace.delete(day);
    const firstDay = day - this.visitLog.length + 1;
    const out: TracedCase[] = [];
    for (const c of due) {
      const t = traceCase(this.state, c, day, this.visitLog, firstDay, this.options.parameters, this.random);
      for (const contact of t.contacts) {
        if (contact.degree === 'close' && this.state.rules.close.central) {
          this.logistics.enqueue(contact.person, 'contact', day * DAY_MINUTES + 8 * 60);
        }
      }
      out.push(t);
    }
    return out;
  }

  private pruneQuarantine(day: number): void {
    const s = this.state;
    s.quarantined = s.quarantined.filter((p) => {
      const regime = s.contactDegree[p] === 1 ? s.rules.close : s.rules.secondary;
      return s.quarantineUntil[p] + regime.monitoringDays > day && s.caseStatus[p] === CASE.none;
    });
  }
}

/** Minute of the day before which uploaded results act before the day's sampling is planned. */
const BEFORE_SAMPLING_MINUTE = 6 * 60;

function mergeEffects(a: ResultEffects, b: ResultEffects): ResultEffects {
  return {
    cases: [...a.cases, ...b.cases],
    poolPositives: a.poolPositives + b.poolPositives,
    resample: new Set([...a.resample, ...b.resample]),
  };
}
