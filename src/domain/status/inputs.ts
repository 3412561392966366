import type { ControlKind } from '../kernel/control-episodes.ts';
import type { TestOrderReason } from '../kernel/test-orders.ts';
import { CONTROL_SOURCE } from '../tracing/types.ts';

/**
 * What a person's status is computed from (../SPEC "Status colours"): the kernel's records about
 * them, read fresh at each look-up — control episodes, open test orders — plus the two records
 * status keeps itself: arrivals from risk areas and exemptions. Nothing here is a stored colour.
 */
export interface EpisodeInput {
  kind: ControlKind;
  from: number;
  /** Planned or actual end (exclusive); null = until ended. */
  until: number | null;
  sourceType: string;
}

export interface OrderInput {
  reason: TestOrderReason;
  dueAt: number;
  notBefore: number;
  sourceType: string;
}

export interface ArrivalInput {
  arrivedAt: number;
  /** The origin's zone level at the time (sealed = high risk, controlled = medium). */
  fromLevel: string;
  origin: string;
}

export const EXEMPTION_KINDS = ['in_hospital', 'away', 'tested_elsewhere', 'record_error'] as const;
export type ExemptionKind = (typeof EXEMPTION_KINDS)[number];

export interface ExemptionInput {
  id: number;
  reasonCode: string;
  kind: string;
  note: string;
  from: number;
  until: number;
}

/** A case not yet discharged (or dead): red from its report, admitted or still waiting for transfer. */
export interface LiveCaseInput {
  reportedAt: number;
}

export interface StatusInputs {
  episodes: readonly EpisodeInput[];
  liveCases: readonly LiveCaseInput[];
  /** Open orders only. */
  orders: readonly OrderInput[];
  arrivals: readonly ArrivalInput[];
  /** Unrevoked exemptions that have not ended. */
  exemptions: readonly ExemptionInput[];
}

/** Source type tracing writes on a contact of a contact's episodes. */
export const SECONDARY_CONTACT_SOURCE = CONTROL_SOURCE.secondary;
