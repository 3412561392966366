/**
 * A scenario (or drill, 演练): a starting outbreak and events at given local times — a lockdown,
 * a screening round, a lab going down, a shelter hospital opening, a rule-set change. Plain data,
 * so a drill file (drills/*.yaml) and the built-in spring-2022 wave share one shape. Event times
 * are local wall times in the deployment's zone, `YYYY-MM-DD` (00:00) or `YYYY-MM-DDTHH:MM`.
 */
export type ScenarioEvent =
  | {
      at: string;
      kind: 'seed';
      /** Hidden infections introduced, per million residents (scaled with the city)… */
      perMillion?: number;
      /** …or an absolute number (drills on a known street). */
      infections?: number;
      /** Spread over this many days from `at`. */
      overDays?: number;
      /** District codes (310115 = Pudong); all when absent. */
      districts?: string[];
    }
  | { at: string; kind: 'lockdown'; districts?: string[] }
  | { at: string; kind: 'three_zones' }
  | { at: string; kind: 'reopen'; districts?: string[] }
  | { at: string; kind: 'round'; name?: string; districts?: string[]; firstRound?: boolean }
  | { at: string; kind: 'lab_outage'; share: number; hours: number }
  /** Share of the registry's lab capacity in service from then on. */
  | { at: string; kind: 'labs'; share: number }
  | { at: string; kind: 'beds'; facilityKind: string; share: number }
  | { at: string; kind: 'transfers'; perMillion: number }
  | { at: string; kind: 'rule_set'; name: string }
  | { at: string; kind: 'controls'; zones?: boolean; quarantine?: boolean; tracing?: boolean };

export type ScenarioEventKind = ScenarioEvent['kind'];

export interface Scenario {
  name: string;
  description: string;
  /** First simulated day. */
  start: string;
  /** Rule set in force at the start (a `rule_set` event switches it). */
  ruleSet: string;
  events: ScenarioEvent[];
}

const PUDONG = '310115';
const PUXI = [
  '310101',
  '310104',
  '310105',
  '310106',
  '310107',
  '310109',
  '310110',
  '310112',
  '310113',
  '310114',
  '310116',
  '310117',
  '310118',
  '310120',
  '310151',
];

/**
 * Shanghai, spring 2022, as the seed documents and the official reports tell it: a hidden wave
 * from early March; Pudong under static management from 28 March, Puxi from 1 April, citywide
 * rounds on 4 and 9 April; three zones from 11 April; shelter hospitals (方舱) opening through
 * April; the May rule set from 16 May; the city reopening on 1 June.
 */
export const SPRING_2022: Scenario = {
  name: 'spring-2022',
  description: 'The Shanghai wave of spring 2022 and the response as it happened (the calibration scenario).',
  start: '2022-03-01',
  ruleSet: 'shanghai-2022-04-11',
  events: [
    // Before the three zones there was no sealing of whole places, only targeted quarantine (精准防控).
    { at: '2022-03-01', kind: 'controls', zones: false },
    { at: '2022-03-01', kind: 'seed', perMillion: 165, overDays: 26 },
    // Lab capacity grew through April as labs from other provinces arrived (4–5 M tubes a day by mid-April).
    { at: '2022-03-01', kind: 'labs', share: 0.2 },
    {
      at: '2022-03-12T06:00',
      kind: 'round',
      name: '3月12日 区域筛查',
      districts: [PUDONG, '310104', '310106', '310112'],
    },
    { at: '2022-03-28T05:00', kind: 'lockdown', districts: [PUDONG] },
    {
      at: '2022-03-28T06:00',
      kind: 'round',
      name: '浦东 封控核酸筛查',
      districts: [PUDONG],
      firstRound: true,
    },
    { at: '2022-03-30T06:00', kind: 'round', name: '浦东 第二轮筛查', districts: [PUDONG] },
    { at: '2022-04-01T05:00', kind: 'lockdown', districts: PUXI },
    { at: '2022-04-01T06:00', kind: 'round', name: '浦西 封控核酸筛查', districts: PUXI, firstRound: true },
    { at: '2022-04-04T06:00', kind: 'round', name: '4月4日 全市核酸筛查' },
    { at: '2022-04-05', kind: 'beds', facilityKind: 'shelter_hospital', share: 0.3 },
    { at: '2022-04-05', kind: 'transfers', perMillion: 2500 },
    { at: '2022-04-05', kind: 'labs', share: 0.35 },
    { at: '2022-04-09T06:00', kind: 'round', name: '4月9日 全市核酸筛查' },
    { at: '2022-04-09', kind: 'labs', share: 0.6 },
    { at: '2022-04-10', kind: 'beds', facilityKind: 'shelter_hospital', share: 0.7 },
    { at: '2022-04-11', kind: 'three_zones' },
    { at: '2022-04-14', kind: 'labs', share: 1 },
    { at: '2022-04-15', kind: 'beds', facilityKind: 'shelter_hospital', share: 1 },
    { at: '2022-04-15', kind: 'beds', facilityKind: 'quarantine_hotel', share: 1 },
    { at: '2022-04-15', kind: 'beds', facilityKind: 'observation_point', share: 1 },
    { at: '2022-04-15', kind: 'transfers', perMillion: 3500 },
    { at: '2022-05-16', kind: 'rule_set', name: 'shanghai-2022-05-16' },
    { at: '2022-06-01', kind: 'reopen' },
  ],
};

export const BUILT_IN_SCENARIOS: Record<string, Scenario> = { [SPRING_2022.name]: SPRING_2022 };

const AT = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2}))?$/;

/** The calendar day and minute of the day of an event's `at`. */
export function eventTime(at: string): { day: string; minute: number } {
  const m = AT.exec(at);
  if (!m) throw new RangeError(`not a local time (YYYY-MM-DD or YYYY-MM-DDTHH:MM): ${at}`);
  return { day: m[1], minute: m[2] ? Number(m[2]) * 60 + Number(m[3]) : 0 };
}

/** A scenario's events in time order (stable for equal times). */
export function orderedEvents(scenario: Scenario): ScenarioEvent[] {
  return scenario.events
    .map((e, i) => ({ e, i, t: eventTime(e.at) }))
    .sort((a, b) => (a.t.day < b.t.day ? -1 : a.t.day > b.t.day ? 1 : a.t.minute - b.t.minute || a.i - b.i))
    .map((x) => x.e);
}
