import { poolingFor, type RoundPooling } from './pooling.ts';
import { rejection, type ScanRejection } from './sampler-errors.ts';
import { isFull, type Tube } from './tube.ts';
import type { ControlKind } from '../kernel/control-episodes.ts';

/**
 * The rules of one scan (person code + tube barcode), as a pure decision over facts the store
 * has looked up. The same function decides on SQLite and PostgreSQL, for a batch of 1 or of
 * 10,000, so that a sampler sees the same answer whatever path the scan took.
 */
export interface RoundFacts {
  id: number;
  name: string;
  startsAt: number;
  endsAt: number;
  closedAt: number | null;
  pooling: RoundPooling;
}

export interface PersonFacts {
  id: number;
  districtId: number;
  streetId: number;
  committeeId: number | null;
  householdId: number | null;
  occupation: string | null;
  vulnerable: string;
  controlKinds: ControlKind[];
}

export interface ScanFacts {
  collectedAt: number;
  now: number;
  /** A problem with the person code found before any look-up (signature, expiry). */
  codeProblem: 'invalid_person_code' | 'expired_person_code' | null;
  round: RoundFacts | null;
  roundId: number;
  /** The scan with this client id, if it is already stored. */
  existing: { tubeCode: string } | null;
  person: PersonFacts | null;
  tube: Tube;
  /** This person's screening sample in this round, if any (slot 0). */
  prior: { tubeCode: string } | null;
  /** For retest tubes: the person's open pool-retest or resample order, if any. */
  retestOrderId: number | null;
}

export type ScanDecision =
  | { kind: 'accepted'; slot: number }
  | { kind: 'duplicate'; tubeCode: string }
  | { kind: 'rejected'; rejection: ScanRejection };

/** Devices' clocks drift; a scan dated more than this after the server's now is refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Offline devices upload late; a round accepts scans collected up to this long before it opened. */
export const ROUND_EARLY_SLACK_MS = 15 * 60_000;

const rejected = (r: ScanRejection): ScanDecision => ({ kind: 'rejected', rejection: r });

export function decideScan(f: ScanFacts): ScanDecision {
  // A retry of a stored scan is answered as before, whatever changed since (tube now full, code expired).
  if (f.existing) return { kind: 'duplicate', tubeCode: f.existing.tubeCode };
  if (f.codeProblem) return rejected(rejection(f.codeProblem));
  if (!f.round) return rejected(rejection('unknown_round', { round: f.roundId }));
  if (f.collectedAt > f.now + MAX_CLOCK_SKEW_MS) return rejected(rejection('collected_in_future'));
  const round = f.round;
  if (
    round.closedAt != null ||
    f.collectedAt < round.startsAt - ROUND_EARLY_SLACK_MS ||
    f.collectedAt > round.endsAt
  ) {
    return rejected(rejection('round_not_open', { round: round.name }));
  }
  if (!f.person) return rejected(rejection('unknown_person'));
  const tube = f.tube;
  if (tube.roundId !== round.id) {
    return rejected(rejection('wrong_round', { tube: tube.barcode, round: tube.roundId }));
  }
  if (tube.state !== 'open') return rejected(rejection('tube_closed', { tube: tube.barcode }));
  if (isFull(tube)) return rejected(rejection('tube_full', { tube: tube.barcode, capacity: tube.capacity }));

  let slot = 0;
  if (tube.purpose === 'retest') {
    if (f.retestOrderId == null) return rejected(rejection('no_retest_order', { tube: tube.barcode }));
    // The order's id is the sample's slot: one retest sample per order, however many rounds run.
    slot = f.retestOrderId;
  } else {
    if (f.prior) return rejected(rejection('already_sampled', { tube: f.prior.tubeCode }));
    const need = poolingFor(round.pooling, f.person);
    const householdOk = tube.purpose === 'household' && need.perHousehold;
    if (tube.capacity > need.maxSize && !householdOk) {
      return rejected(
        rejection('pool_too_large', { size: need.maxSize, reason: need.reason, capacity: tube.capacity }),
      );
    }
    if (
      tube.purpose === 'household' &&
      tube.householdId != null &&
      tube.householdId !== f.person.householdId
    ) {
      return rejected(rejection('other_household', { tube: tube.barcode }));
    }
  }
  return { kind: 'accepted', slot };
}
