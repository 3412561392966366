/**
 * The day's simulated figures (daily.csv) and the calibration checks against the 2022 wave.
 * Only simulated quantities — no ids, no wall-clock times — so one seed gives one file, byte for
 * byte, whether or not the actors drove a server.
 */
export interface DayFigures {
  date: string;
  /** New infections that day (the model's truth, mostly unseen). */
  infections: number;
  /** New positives by sampling day (../SPEC "Time": a positive is dated by its sampling time). */
  positives: number;
  /** New positives by the day their result was reported — how the 2022 bulletins counted them. */
  reported: number;
  insideControl: number;
  community: number;
  /** People sampled, tubes filled, tubes resulted, tubes waiting at labs at the end of the day. */
  sampled: number;
  tubes: number;
  tubesResulted: number;
  labBacklog: number;
  poolPositiveTubes: number;
  closeContacts: number;
  secondaryContacts: number;
  inQuarantine: number;
  sealedResidents: number;
  controlledResidents: number;
  /** People moved by transfer teams (cases and contacts), cases admitted, cases still waiting. */
  transfers: number;
  admissions: number;
  waitingTransfer: number;
  bedsOpen: number;
  bedsOccupied: number;
  /** The 2022 reference for the day, times the scale (empty beyond the reference data). */
  reference2022: number | null;
}

export const DAILY_COLUMNS: (keyof DayFigures)[] = [
  'date',
  'infections',
  'positives',
  'reported',
  'insideControl',
  'community',
  'sampled',
  'tubes',
  'tubesResulted',
  'labBacklog',
  'poolPositiveTubes',
  'closeContacts',
  'secondaryContacts',
  'inQuarantine',
  'sealedResidents',
  'controlledResidents',
  'transfers',
  'admissions',
  'waitingTransfer',
  'bedsOpen',
  'bedsOccupied',
  'reference2022',
];

const SNAKE = (k: string) => k.replace(/[A-Z0-9]+/g, (m) => `_${m.toLowerCase()}`);

export function dailyCsv(days: readonly DayFigures[]): string {
  const lines = [DAILY_COLUMNS.map(SNAKE).join(',')];
  for (const d of days) lines.push(DAILY_COLUMNS.map((c) => (d[c] == null ? '' : String(d[c]))).join(','));
  return `${lines.join('\n')}\n`;
}

export interface ReferenceDay {
  date: string;
  newInfections: number;
}

export interface Calibration {
  peakDay: string;
  peakHeight: number;
  /** 27,605 × S and 2022-04-13. */
  referencePeakHeight: number;
  referencePeakDay: string;
  peakDayOffset: number;
  peakHeightRatio: number;
  /** Share of positives found inside control from 20 April to the end of the run (null when none). */
  insideShareFrom20April: number | null;
  /** First day of the first run of 3 consecutive days with no community positive after the peak (null = never). */
  communityZeroFrom: string | null;
  /**
   * The last day (by sampling day) with a community positive, null when there was none. Read
   * beside `communityZeroFrom`: when community positives stopped before the peak (static
   * management counts as control under the April rule set), the zero run starts at the peak.
   */
  lastCommunityDay: string | null;
  targets: { peakDay: boolean; peakHeight: boolean; insideShare: boolean; communityZero: boolean };
}

const MS_DAY = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / MS_DAY;

export function calibrate(
  days: readonly DayFigures[],
  reference: readonly ReferenceDay[],
  scale: number,
): Calibration {
  const refPeak = reference.reduce(
    (best, r) => (r.newInfections > best.newInfections ? r : best),
    reference[0] ?? { date: '2022-04-13', newInfections: 27_605 },
  );
  // The 2022 series counts positives by report day, so the peak is compared on the same footing.
  let peak = days[0];
  for (const d of days) if (d.reported > peak.reported) peak = d;
  const from = days.filter((d) => d.date >= '2022-04-20');
  const found = from.reduce((s, d) => s + d.positives, 0);
  const inside = from.reduce((s, d) => s + d.insideControl, 0);
  let communityZeroFrom: string | null = null;
  for (let i = days.indexOf(peak); i >= 0 && i + 2 < days.length; i++) {
    if (days[i].community === 0 && days[i + 1].community === 0 && days[i + 2].community === 0) {
      communityZeroFrom = days[i].date;
      break;
    }
  }
  const lastCommunityDay = days.findLast((d) => d.community > 0)?.date ?? null;
  const referencePeakHeight = refPeak.newInfections * scale;
  const peakDayOffset = dayNumber(peak.date) - dayNumber(refPeak.date);
  const peakHeightRatio = referencePeakHeight > 0 ? peak.reported / referencePeakHeight : 0;
  const insideShare = found > 0 ? inside / found : null;
  return {
    peakDay: peak.date,
    peakHeight: peak.reported,
    referencePeakHeight,
    referencePeakDay: refPeak.date,
    peakDayOffset,
    peakHeightRatio,
    insideShareFrom20April: insideShare,
    communityZeroFrom,
    lastCommunityDay,
    targets: {
      peakDay: Math.abs(peakDayOffset) <= 7,
      peakHeight: Math.abs(peakHeightRatio - 1) <= 0.3,
      insideShare: insideShare != null && insideShare > 0.9,
      // Zero for 3 consecutive days, the third of them by 31 May.
      communityZero: communityZeroFrom != null && dayNumber(communityZeroFrom) + 2 <= dayNumber('2022-05-31'),
    },
  };
}
