import type { Principal } from '../../domain/access/principal.ts';
import { DomainError } from '../../domain/errors.ts';
import type { ItemOutcome, ScanItem } from '../../domain/screening/scan-group.ts';
import { actorOf } from '../access/audit.ts';
import type { AppContext } from '../context.ts';
import { scanQueue } from './ingest-queue.ts';
import { MAX_SCANS_PER_BATCH, toScanItem, type ScanBatchInput } from './scan-items.ts';
import { authoriseSite } from './sites.ts';

export { MAX_SCANS_PER_BATCH, toScanItem, type ScanBatchInput, type ScanInput } from './scan-items.ts';

/**
 * Scan ingest (采): batches from sampler devices that retry. Person codes are verified by their
 * signature before anything is looked up (scan-items.ts, here or in a decoder thread); the batch
 * then joins the group-commit queue and is answered when its transaction is on disk.
 */
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
