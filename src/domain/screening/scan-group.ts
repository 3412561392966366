import { defaultTubeCapacity, type TubePurpose } from './pooling.ts';
import { decideScan, type PersonFacts, type RoundFacts } from './scan-decision.ts';
import { rejection, type ScanRejection } from './sampler-errors.ts';
import { addMember, restore, type Tube } from './tube.ts';

/**
 * Decides a whole group of scans (several devices' batches merged into one commit) against the
 * stored facts plus the group's own earlier decisions: two scans of one person in one group are
 * a sample and an "already sampled", a client id seen twice is a duplicate, a tube fills across
 * batches. Pure: the facts come from a synchronous source the store provides (prepared
 * statements on SQLite, maps prefetched in bulk on PostgreSQL).
 *
 * A source may be optimistic (SQLite): it does not look up the person's earlier sample before
 * accepting, and instead reports from `accept` that the unique keys refused the row; the scan is
 * then taken back and answered from the stored row (a duplicate, or "already sampled in X").
 * Rejections always check the stored rows first, so a retry is a duplicate whatever changed.
 */
export interface ScanItem {
  clientId: string;
  /** From the verified person code; null when the code failed verification. */
  personRef: string | null;
  districtId: number | null;
  codeProblem: 'invalid_person_code' | 'expired_person_code' | null;
  tubeCode: string;
  collectedAt: number;
  roundId: number;
  siteId: number;
  samplerId: number | null;
  tubeCapacity: number | null;
  tubePurpose: TubePurpose | null;
}

export interface SiteFacts {
  id: number;
  districtId: number;
  streetId: number;
  kind: 'fixed' | 'mobile' | 'door_to_door';
}

export interface AcceptedScan {
  item: ScanItem;
  personId: number;
  districtId: number;
  slot: number;
  tube: Tube;
}

export interface ScanFactsSource {
  /** True: `prior` is consulted only after a refusal, and `accept` reports the unique keys' verdict. */
  optimistic: boolean;
  round(id: number): RoundFacts | null;
  site(id: number): SiteFacts | null;
  /** The person with the control kinds active at `at`. */
  person(districtId: number, ref: string, at: number): PersonFacts | null;
  existing(districtId: number, clientId: string): { tubeCode: string } | null;
  /** The person's slot-0 sample in the round, with its client id (a retry is recognised by it). */
  prior(districtId: number, personId: number, roundId: number): { clientId: string; tubeCode: string } | null;
  tube(barcode: string): Tube | null;
  retestOrder(personId: number): number | null;
  /** Stores (or stages) an accepted scan; false when a unique key refused it. */
  accept(scan: AcceptedScan): boolean;
}

export type ItemOutcome =
  | { status: 'accepted'; tubeCode: string }
  | { status: 'duplicate'; tubeCode: string }
  | { status: 'rejected'; rejection: ScanRejection };

export interface GroupDecision {
  outcomes: ItemOutcome[];
  accepted: AcceptedScan[];
  /** Tubes the group touched, by barcode, in their final state (id null: not yet stored). */
  tubes: Map<string, Tube>;
}

export function decideScanGroup(
  items: readonly ScanItem[],
  source: ScanFactsSource,
  now: number,
): GroupDecision {
  const group = scanGroup(source, now);
  const outcomes = items.map((item) => group.decide(item));
  return { outcomes, accepted: group.accepted, tubes: group.tubes };
}

/**
 * The same, one scan at a time, for a writer that decides a long group in slices (yielding to
 * other work between them) inside one transaction.
 */
export function scanGroup(source: ScanFactsSource, now: number) {
  const tubes = new Map<string, Tube>();
  const samples = new Map<number, Map<number, { clientId: string; tubeCode: string }>>();
  const clients = new Map<string, string>();
  const accepted: AcceptedScan[] = [];
  return { decide: decideOne, accepted, tubes };

  function sampleOf(personId: number, roundId: number) {
    return samples.get(roundId)?.get(personId) ?? null;
  }

  function tubeFor(item: ScanItem, round: RoundFacts): Tube | ScanRejection {
    let tube = tubes.get(item.tubeCode);
    if (tube) return tube;
    const stored = source.tube(item.tubeCode);
    if (stored) {
      tubes.set(item.tubeCode, stored);
      return stored;
    }
    const site = source.site(item.siteId);
    if (!site) return rejection('unknown_site', { site: item.siteId });
    const fallback = defaultTubeCapacity(round.pooling, site.kind);
    const purpose = item.tubePurpose ?? fallback.purpose;
    tube = {
      id: null,
      districtId: site.districtId,
      streetId: site.streetId,
      barcode: item.tubeCode,
      roundId: round.id,
      siteId: site.id,
      purpose,
      capacity: purpose === 'retest' ? 1 : (item.tubeCapacity ?? fallback.capacity),
      filled: 0,
      state: 'open',
      householdId: null,
      collectedAt: null,
      closedAt: null,
    };
    // Not kept until a scan is accepted into it: a refused scan opens no tube.
    return tube;
  }

  /** A refusal or a conflict: a stored scan with this client id makes it a duplicate, else the stored sample decides. */
  function fromStored(
    item: ScanItem,
    districtId: number,
    personId: number | null,
    roundId: number,
  ): ItemOutcome | null {
    const prior = personId == null ? null : source.prior(districtId, personId, roundId);
    if (prior && prior.clientId === item.clientId) return { status: 'duplicate', tubeCode: prior.tubeCode };
    const existing = source.existing(districtId, item.clientId);
    if (existing) return { status: 'duplicate', tubeCode: existing.tubeCode };
    if (prior) {
      return { status: 'rejected', rejection: rejection('already_sampled', { tube: prior.tubeCode }) };
    }
    return null;
  }

  function decideOne(item: ScanItem): ItemOutcome {
    const districtId = item.districtId;
    if (item.codeProblem || districtId == null || item.personRef == null) {
      return { status: 'rejected', rejection: rejection(item.codeProblem ?? 'invalid_person_code') };
    }
    const clientKey = `${districtId}:${item.clientId}`;
    const seen = clients.get(clientKey);
    if (seen) return { status: 'duplicate', tubeCode: seen };
    const round = source.round(item.roundId);
    if (!round) {
      return (
        fromStored(item, districtId, null, item.roundId) ?? {
          status: 'rejected',
          rejection: rejection('unknown_round', { round: item.roundId }),
        }
      );
    }
    const person = source.person(districtId, item.personRef, item.collectedAt);
    const tube = tubeFor(item, round);
    if (!('barcode' in tube)) return { status: 'rejected', rejection: tube };
    const inGroup = person ? sampleOf(person.id, round.id) : null;
    const prior =
      inGroup ?? (person && !source.optimistic ? source.prior(districtId, person.id, round.id) : null);
    if (prior && prior.clientId === item.clientId) return { status: 'duplicate', tubeCode: prior.tubeCode };
    const decision = decideScan({
      collectedAt: item.collectedAt,
      now,
      codeProblem: null,
      round,
      roundId: item.roundId,
      existing: null,
      person,
      tube,
      prior,
      retestOrderId: person && tube.purpose === 'retest' ? source.retestOrder(person.id) : null,
    });
    if (decision.kind === 'duplicate') return { status: 'duplicate', tubeCode: decision.tubeCode };
    if (decision.kind === 'rejected') {
      if (inGroup) return { status: 'rejected', rejection: decision.rejection };
      return (
        fromStored(item, districtId, person?.id ?? null, round.id) ?? {
          status: 'rejected',
          rejection: decision.rejection,
        }
      );
    }
    const p = person!;
    const snapshot = addMember(tube, item.collectedAt, p.householdId);
    const scan: AcceptedScan = { item, personId: p.id, districtId, slot: decision.slot, tube };
    if (!source.accept(scan)) {
      restore(tube, snapshot);
      // The store may have written the new tube before its unique keys refused the scan: keep using that row.
      if (tube.id != null) tubes.set(tube.barcode, tube);
      return (
        fromStored(item, districtId, p.id, round.id) ?? {
          status: 'rejected',
          rejection: rejection('already_sampled', { tube: '?' }),
        }
      );
    }
    tubes.set(tube.barcode, tube);
    clients.set(clientKey, tube.barcode);
    if (decision.slot === 0) {
      let perRound = samples.get(round.id);
      if (!perRound) samples.set(round.id, (perRound = new Map()));
      perRound.set(p.id, { clientId: item.clientId, tubeCode: tube.barcode });
    }
    accepted.push(scan);
    return { status: 'accepted', tubeCode: tube.barcode };
  }
}
