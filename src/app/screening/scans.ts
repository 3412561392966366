import type { Principal } from '../../domain/access/principal.ts';
import { DomainError } from '../../domain/errors.ts';
import type { TubePurpose } from '../../domain/screening/pooling.ts';
import type { ItemOutcome, ScanItem } from '../../domain/screening/scan-group.ts';
import { decodePersonCode } from '../access/person-code.ts';
import { actorOf } from '../access/audit.ts';
import type { AppContext } from '../context.ts';
import { scanQueue } from './ingest-queue.ts';
import { authoriseSite } from './sites.ts';

/**
 * Scan ingest (采): batches from sampler devices that retry. Person codes are verified by their
 * signature here, before anything is looked up; the batch then joins the group-commit queue and
 * is answered when its transaction is on disk.
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

export async function ingestScanBatch(
  ctx: AppContext,
  principal: Principal,
  batch: ScanBatchInput,
  requestId?: string,
): Promise<ItemOutcome[]> {
  if (batch.scans.length > MAX_SCANS_PER_BATCH) {
    throw new DomainError('validation_failed', `at most ${MAX_SCANS_PER_BATCH} scans per batch`, [
      { field: 'scans', message: `at most ${MAX_SCANS_PER_BATCH}` },
    ]);
  }
  const items = batch.scans.map((s) => toScanItem(ctx.secrets.codeKey, batch, s, principal.userId));
  return ingestScanItems(ctx, principal, { roundId: batch.roundId, siteId: batch.siteId, items }, requestId);
}

/** The same, for scans already decoded (by a decoder worker): authorise, queue, audit, answer after commit. */
export async function ingestScanItems(
  ctx: AppContext,
  principal: Principal,
  batch: { roundId: number; siteId: number; items: ScanItem[] },
  requestId?: string,
): Promise<ItemOutcome[]> {
  await authoriseSite(ctx, principal, batch.siteId);
  const items = batch.items;
  for (const item of items) item.samplerId = principal.userId;
  const outcomes = await scanQueue(ctx).submit(items, {
    actor: actorOf(principal),
    action: 'scans.record',
    subjectType: 'scan_batch',
    subjectIds: [],
    fields: ['health'],
    requestId: requestId ?? null,
    details: { roundId: batch.roundId, siteId: batch.siteId, scans: items.length },
  });
  return outcomes;
}
