import type { ControlKind } from '../kernel/control-episodes.ts';
import type { ZonesSection } from '../rules/zones-schema.ts';
import { LEVEL_ORDER, type ZoneDesignation, type ZoneLevel } from './types.ts';

/**
 * Residents live in buildings; a building is covered by its own designation (a hold, or a seal
 * when the set seals buildings) and by its compound's. A resident's zone is the strictest of
 * them, and the control episode they hold is the one that level asks for (../SPEC "Zones":
 * "residents of sealed places drive the needs queue"; kernel: one control-episode record).
 */

export interface ResidentZone {
  level: ZoneLevel;
  /** The designation that gives the level (the earliest at it, so a change of cover keeps the episode). */
  designation: Pick<ZoneDesignation, 'id' | 'placeId' | 'levelSince'>;
}

type Covering = Pick<ZoneDesignation, 'id' | 'placeId' | 'level' | 'levelSince' | 'hold'>;

export function residentZone(covering: readonly (Covering | null | undefined)[]): ResidentZone | null {
  let best: Covering | null = null;
  for (const d of covering) {
    if (!d || d.level === 'precaution') continue;
    if (
      !best ||
      LEVEL_ORDER.indexOf(d.level) < LEVEL_ORDER.indexOf(best.level) ||
      (d.level === best.level && d.levelSince < best.levelSince)
    ) {
      best = d;
    }
  }
  return best
    ? { level: best.level, designation: { id: best.id, placeId: best.placeId, levelSince: best.levelSince } }
    : null;
}

/** The episode a resident should hold for a zone: kind and an identity that changes only when the cover does. */
export interface WantedEpisode {
  kind: ControlKind;
  sourceType: typeof ZONE_EPISODE_SOURCE;
  sourceId: string;
}

/** Source type on control episodes that zones open (the id names the designation and when its level began). */
export const ZONE_EPISODE_SOURCE = 'zone';

export function wantedEpisode(zones: ZonesSection, zone: ResidentZone | null): WantedEpisode | null {
  if (!zone) return null;
  const kind = zones.levels[zone.level].controlKind;
  if (!kind) return null;
  return {
    kind,
    sourceType: ZONE_EPISODE_SOURCE,
    sourceId: `${zone.designation.id}@${zone.designation.levelSince}`,
  };
}

export interface HeldEpisode {
  id: number;
  kind: ControlKind;
  sourceId: string;
}

/** What to do with one resident's zone episodes: which to end and whether to open one. */
export function episodePlan(
  held: readonly HeldEpisode[],
  wanted: WantedEpisode | null,
): { end: HeldEpisode[]; open: WantedEpisode | null } {
  const keep = wanted
    ? held.find((h) => h.kind === wanted.kind && h.sourceId === wanted.sourceId)
    : undefined;
  return { end: held.filter((h) => h !== keep), open: wanted && !keep ? wanted : null };
}
