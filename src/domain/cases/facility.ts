import type { TransferNeed } from './risk.ts';

import { FACILITY_KINDS, type FacilityKind } from '../registry/vocabulary.ts';

/** 隔离酒店 / 健康驿站 / 方舱医院 / 定点医院 — the registry's facility kinds. */
export { FACILITY_KINDS, type FacilityKind };

/**
 * Which facility kinds a need goes to first (../SPEC "Cases, transfer and admission"): critical,
 * severe or high-risk → designated hospital; mild or asymptomatic → shelter hospital; contacts →
 * quarantine hotel or health observation point (one tier: both are central quarantine). A
 * facility whose `admits` list takes the need but whose kind is not listed (a designated hospital
 * that also takes mild cases) is a fallback, used only when no preferred facility has a free bed.
 */
export const PREFERRED_KINDS: Record<TransferNeed, readonly (readonly FacilityKind[])[]> = {
  case_critical: [['designated_hospital']],
  case_severe: [['designated_hospital']],
  case_mild: [['shelter_hospital']],
  case_asymptomatic: [['shelter_hospital']],
  close_contact: [['quarantine_hotel', 'observation_point']],
  secondary_contact: [['quarantine_hotel', 'observation_point']],
};

/** 0 = first choice; higher = further down; the fallback tier is after every listed one. */
export function kindTier(need: TransferNeed, kind: string): number {
  const tiers = PREFERRED_KINDS[need];
  const index = tiers.findIndex((tier) => (tier as readonly string[]).includes(kind));
  return index === -1 ? tiers.length : index;
}

/** Beds kept for the critically ill (重症监护): only a critical case is placed in one. */
export const CRITICAL_BED_KINDS: readonly string[] = ['icu'];

/** Whether a bed kind may take this order at all. */
export function bedKindFits(bedKind: string, critical: boolean): boolean {
  return critical || !CRITICAL_BED_KINDS.includes(bedKind);
}

/** A critical case goes to an intensive-care bed first, then any other hospital bed. */
export function bedKindTier(bedKind: string, critical: boolean): number {
  if (!critical) return 0;
  return CRITICAL_BED_KINDS.includes(bedKind) ? 0 : 1;
}

/** Whether the facility takes this need (its `admits` list, e.g. ["case_mild","close_contact"]). */
export function admitsNeed(admits: readonly string[], need: TransferNeed): boolean {
  return admits.includes(need);
}

/** Great-circle distance in km between two WGS-84 points (haversine; ample for a city). */
export function distanceKm(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}
