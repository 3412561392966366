import type { RoundFacts } from '../../domain/screening/scan-decision.ts';
import type { RoundPooling } from '../../domain/screening/pooling.ts';
import type { Tube } from '../../domain/screening/tube.ts';
import type { TubeTable } from './tables.ts';

/** Row ↔ domain mapping shared by both dialects' scan stores. */
export type TubeRow = Pick<
  TubeTable,
  | 'district_id'
  | 'street_id'
  | 'round_id'
  | 'barcode'
  | 'site_id'
  | 'purpose'
  | 'capacity'
  | 'filled'
  | 'state'
  | 'household_id'
  | 'collected_at'
  | 'closed_at'
> & { id: number };

export function toTube(r: TubeRow): Tube {
  return {
    id: Number(r.id),
    districtId: Number(r.district_id),
    streetId: Number(r.street_id),
    barcode: r.barcode,
    roundId: Number(r.round_id),
    siteId: Number(r.site_id),
    purpose: r.purpose,
    capacity: Number(r.capacity),
    filled: Number(r.filled),
    state: r.state,
    householdId: r.household_id == null ? null : Number(r.household_id),
    collectedAt: r.collected_at == null ? null : Number(r.collected_at),
    closedAt: r.closed_at == null ? null : Number(r.closed_at),
  };
}

export interface RoundRow {
  id: number;
  name: string;
  starts_at: number;
  ends_at: number;
  closed_at: number | null;
  pooling: string;
}

export function toRoundFacts(r: RoundRow): RoundFacts {
  return {
    id: Number(r.id),
    name: r.name,
    startsAt: Number(r.starts_at),
    endsAt: Number(r.ends_at),
    closedAt: r.closed_at == null ? null : Number(r.closed_at),
    pooling: JSON.parse(r.pooling) as RoundPooling,
  };
}

/** The columns of a new tube row (the database assigns the id). */
export function newTubeValues(t: Tube, openedBy: number | null) {
  return {
    district_id: t.districtId,
    street_id: t.streetId,
    round_id: t.roundId,
    barcode: t.barcode,
    site_id: t.siteId,
    purpose: t.purpose,
    capacity: t.capacity,
    filled: t.filled,
    state: t.state,
    household_id: t.householdId,
    opened_by: openedBy,
    collected_at: t.collectedAt,
    closed_at: t.closedAt,
  };
}

/** Scan columns in insert order (PostgreSQL writes a group's scans with COPY in this order). */
export const SCAN_COLUMNS = [
  'district_id',
  'client_id',
  'round_id',
  'person_id',
  'tube_id',
  'tube_district_id',
  'site_id',
  'sampler_id',
  'slot',
  'collected_at',
  'received_at',
] as const;
