import { DomainError } from '../../domain/errors.ts';
import type { TubePurpose } from '../../domain/screening/pooling.ts';
import type { ScanItem } from '../../domain/screening/scan-group.ts';
import { decodePersonCode } from '../access/person-code.ts';

/**
 * A scan as a device sends it, and as the writer takes it. Kept apart from the ingest service so
 * that a decoder thread loads only this (and the person-code check), not the stores.
 */
export interface ScanInput {
  clientId: string;
  personCode: string;
  tubeCode: string;
  collectedAt: number;
  tubeCapacity?: number;
  tubePurpose?: TubePurpose;
}

export interface ScanBatchInput {
  roundId: number;
  siteId: number;
  scans: ScanInput[];
}

export const MAX_SCANS_PER_BATCH = 1000;

/**
 * A scan as the writer takes it, with its person code verified (signature, then expiry at the
 * moment of the scan). Pure but for the HMAC: runs on the request thread or in a decoder worker.
 */
export function toScanItem(
  codeKey: Buffer,
  batch: Pick<ScanBatchInput, 'roundId' | 'siteId'>,
  s: ScanInput,
  samplerId: number | null,
): ScanItem {
  const item: ScanItem = {
    clientId: s.clientId,
    personRef: null,
    districtId: null,
    codeProblem: null,
    tubeCode: s.tubeCode,
    collectedAt: s.collectedAt,
    roundId: batch.roundId,
    siteId: batch.siteId,
    samplerId,
    tubeCapacity: s.tubeCapacity ?? null,
    tubePurpose: s.tubePurpose ?? null,
  };
  try {
    // Expiry is judged at the moment of the scan: an offline device uploads hours later.
    const body = decodePersonCode(codeKey, s.personCode, s.collectedAt);
    item.personRef = body.r;
    item.districtId = body.d;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    item.codeProblem = error.code === 'expired_person_code' ? 'expired_person_code' : 'invalid_person_code';
  }
  return item;
}
