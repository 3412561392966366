import type { AppContext } from '../../app/context.ts';
import { getBulletin, issuedBulletins, latestBulletin } from '../../app/command/bulletins.ts';
import { DomainError } from '../../domain/errors.ts';
import type { CordonApp } from '../server.ts';
import { bulletinFeed } from './atom.ts';
import { bulletinListResponse, bulletinParams, bulletinSchema, feedQuery } from './schema.ts';

/** Public figures may be cached briefly by browsers and proxies; issued days never change. */
const CACHE_LATEST = 'public, max-age=60';
const CACHE_ISSUED = 'public, max-age=86400';

/** The newest due bulletin, issued if missing; a deployment without a city has none yet. */
async function ensureLatest(ctx: AppContext): Promise<void> {
  try {
    await latestBulletin(ctx);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
}

/**
 * 权威信息发布: the daily bulletin, public — no login, no personal data (counts by district and
 * the residential places of the day's new cases). JSON per day, the list of issued days, and an
 * Atom feed.
 */
export async function bulletinRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  const tags = ['bulletin'];
  api.get(
    '/bulletin',
    {
      schema: {
        tags,
        summary: 'Issued daily bulletins, newest first (public)',
        security: [],
        response: { 200: bulletinListResponse },
      },
    },
    async (_request, reply) => {
      await ensureLatest(ctx);
      void reply.header('cache-control', CACHE_LATEST);
      const items = (await issuedBulletins(ctx)).map((b) => ({
        day: b.day,
        issuedAt: b.issuedAt,
        newPositives: b.totals.newPositives,
        community: b.totals.community,
      }));
      return { items };
    },
  );

  api.get(
    '/bulletin/feed.atom',
    {
      schema: {
        tags,
        summary: 'The daily bulletins as an Atom feed, in Chinese or English (public)',
        security: [],
        querystring: feedQuery,
        produces: ['application/atom+xml'],
      },
    },
    async (request, reply) => {
      await ensureLatest(ctx);
      const bulletins = await issuedBulletins(ctx, 30);
      const city = ctx.regions.city();
      const lang = request.query.lang;
      const xml = bulletinFeed(bulletins, {
        baseUrl: `${request.protocol}://${request.host}`,
        lang,
        city: (lang === 'en' ? city?.nameEn : city?.name) ?? 'Cordon',
        updated: bulletins[0]?.issuedAt ?? ctx.clock.now(),
      });
      return reply
        .header('content-type', 'application/atom+xml; charset=utf-8')
        .header('cache-control', CACHE_LATEST)
        .send(xml);
    },
  );

  api.get(
    '/bulletin/:day',
    {
      schema: {
        tags,
        summary: "A day's bulletin: figures by district and where new cases live, places only (public)",
        security: [],
        params: bulletinParams,
        response: { 200: bulletinSchema },
      },
    },
    async (request, reply) => {
      const { day } = request.params;
      const bulletin = day === 'latest' ? await latestBulletin(ctx) : await getBulletin(ctx, day);
      void reply.header('cache-control', day === 'latest' ? CACHE_LATEST : CACHE_ISSUED);
      return bulletin;
    },
  );
}
