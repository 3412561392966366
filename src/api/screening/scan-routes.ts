import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../app/context.ts';
import { scanQueue } from '../../app/screening/ingest-queue.ts';
import { ingestScanBatch, ingestScanItems } from '../../app/screening/scans.ts';
import { ScanDecoder } from './scan-decoder.ts';
import { DomainError } from '../../domain/errors.ts';
import { rejectionMessage } from '../../domain/screening/sampler-errors.ts';
import { preferredLanguage } from '../language.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { presentScanOutcomes } from './presenter.ts';
import { scanBatchBody, scanBatchResponse, scanResultSchema, singleScanBody } from './schema.ts';

/**
 * Scan ingest for sampler devices (采). 200 means committed to disk; each scan has its own
 * result. Over capacity the answer is 429 with Retry-After (the device keeps its queue and
 * retries); retries are no-ops by client id.
 */
function withRetryAfter(ctx: AppContext, reply: FastifyReply, error: unknown): never {
  if (error instanceof DomainError && error.code === 'overloaded') {
    void reply.header('retry-after', String(scanQueue(ctx).retryAfterSeconds()));
  }
  throw error;
}

export async function scanRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  const decoder = new ScanDecoder(ctx.secrets.codeKey);
  api.addHook('onClose', async () => decoder.close());
  // The batch route takes its body as bytes: a decoder thread parses, validates (the same schema,
  // errors naming the field) and verifies the person codes, off the request thread.
  await api.register(async (raw) => {
    raw.removeContentTypeParser('application/json');
    raw.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: 16 * 1024 * 1024 },
      (_request, body, done) => done(null, body),
    );
    raw.post(
      '/scans/batch',
      {
        schema: {
          tags: ['screening'],
          summary:
            'Record up to 1,000 scans (person code + tube) from a sampler device; answered after commit',
          body: scanBatchBody,
          response: { 200: scanBatchResponse },
        },
        // Validated by the decoder thread; the schema stays here for the API reference.
        validatorCompiler: () => (value: unknown) => ({ value }),
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const queue = scanQueue(ctx);
        // Refused before decoding: an overloaded server spends nothing on a batch it cannot take.
        if (queue.pendingScans >= queue.maxPendingScans) {
          withRetryAfter(ctx, reply, new DomainError('overloaded', 'scan queue full'));
        }
        const batch = await decoder.decode(request.body as unknown as Buffer);
        const outcomes = await ingestScanItems(ctx, principal, batch, request.id).catch((e: unknown) =>
          withRetryAfter(ctx, reply, e),
        );
        return presentScanOutcomes(
          request,
          batch.items.map((s) => s.clientId),
          outcomes,
        );
      },
    );
  });

  api.post(
    '/scans',
    {
      schema: {
        tags: ['screening'],
        summary:
          'Record one scan (simple clients): 201 accepted, 200 duplicate, an error naming the reason otherwise',
        body: singleScanBody,
        response: { 200: scanResultSchema, 201: scanResultSchema },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { roundId, siteId, ...scan } = request.body;
      const [outcome] = await ingestScanBatch(
        ctx,
        principal,
        { roundId, siteId, scans: [scan] },
        request.id,
      ).catch((e: unknown) => withRetryAfter(ctx, reply, e));
      if (outcome.status === 'rejected') {
        const language = preferredLanguage(request) === 'en' ? 'en' : 'zh';
        throw new DomainError(outcome.rejection.code, rejectionMessage(outcome.rejection, language), [
          {
            field: `body.${fieldOf(outcome.rejection.code)}`,
            message: rejectionMessage(outcome.rejection, 'en'),
          },
        ]);
      }
      void reply.status(outcome.status === 'accepted' ? 201 : 200);
      return { clientId: scan.clientId, status: outcome.status, tubeCode: outcome.tubeCode };
    },
  );
}

/** The request field a refusal is about, so a simple client can point at it. */
function fieldOf(code: string): string {
  if (
    code.endsWith('person_code') ||
    code === 'unknown_person' ||
    code === 'already_sampled' ||
    code === 'pool_too_large' ||
    code === 'no_retest_order'
  ) {
    return 'personCode';
  }
  if (code.startsWith('tube') || code === 'wrong_round' || code === 'other_household') return 'tubeCode';
  if (code === 'collected_in_future') return 'collectedAt';
  if (code === 'unknown_site') return 'siteId';
  return 'roundId';
}
