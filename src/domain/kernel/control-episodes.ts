/**
 * Control episodes (../SPEC "Shared kernel"): one record of a person being under control,
 * whatever the reason. Screening, cases, zones, tracing and status all read and write these;
 * nobody keeps a private "under control" flag. Pure: instants come in as arguments.
 */
export const CONTROL_KINDS = [
  /** 集中隔离 — centralised quarantine (close contacts). */
  'quarantine',
  /** 隔离收治 — isolation of a case (shelter or designated hospital). */
  'isolation',
  /** 封控区居住 — living in a sealed place. */
  'sealed_residence',
  /** 管控区居住 — living in a controlled place. */
  'controlled_residence',
  /** 混管阳性临时管控 — held on the spot after a positive pool, until the single-tube retest clears. */
  'pool_hold',
  /** 居家健康监测 — home health monitoring. */
  'home_monitoring',
] as const;

export type ControlKind = (typeof CONTROL_KINDS)[number];

/** What put the person under control: a pool, a case, a zone period, a contact record… */
export interface ControlSource {
  type: string;
  id: string;
}

export interface ControlEpisode {
  id: number;
  personId: number;
  districtId: number;
  kind: ControlKind;
  from: number;
  /** Planned or actual end (exclusive); null = until ended. */
  until: number | null;
  source: ControlSource;
  /** Set when the episode was ended explicitly (released, transferred, superseded…). */
  endedReason: string | null;
  createdAt: number;
}

export function isControlKind(value: string): value is ControlKind {
  return (CONTROL_KINDS as readonly string[]).includes(value);
}

/** Active at `t`: started at or before it and not yet ended ([from, until)). */
export function isActiveAt(episode: Pick<ControlEpisode, 'from' | 'until'>, t: number): boolean {
  return episode.from <= t && (episode.until == null || t < episode.until);
}

/**
 * Whether any episode of a kind that counts puts the person under control at `t`. Which kinds
 * count depends on the question (社会面 classification reads the rule set's `insideControlKinds`).
 */
export function isUnderControlAt(
  episodes: readonly Pick<ControlEpisode, 'kind' | 'from' | 'until'>[],
  t: number,
  countingKinds: readonly ControlKind[] = CONTROL_KINDS,
): boolean {
  return episodes.some((e) => countingKinds.includes(e.kind) && isActiveAt(e, t));
}

/** The distinct kinds active at `t`, in catalogue order. */
export function controlKindsAt(
  episodes: readonly Pick<ControlEpisode, 'kind' | 'from' | 'until'>[],
  t: number,
): ControlKind[] {
  const active = new Set(episodes.filter((e) => isActiveAt(e, t)).map((e) => e.kind));
  return CONTROL_KINDS.filter((k) => active.has(k));
}

/** The identity that makes opening idempotent: one episode per (person, kind, source). */
export function episodeKey(personId: number, kind: ControlKind, source: ControlSource): string {
  return `${personId}:${kind}:${source.type}:${source.id}`;
}

/**
 * The end to record when an episode is ended at `now`: now, unless it already ended earlier
 * (a planned end in the past stays as it was). Null means there is nothing to end.
 */
export function endInstant(
  episode: Pick<ControlEpisode, 'until' | 'endedReason' | 'from'>,
  now: number,
): number | null {
  if (episode.endedReason != null) return null;
  if (episode.until != null && episode.until <= now) return null;
  return Math.max(now, episode.from);
}
