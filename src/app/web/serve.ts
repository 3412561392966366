import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { CordonApp } from '../../api/server.ts';
import { ensureWebBuilt } from './build.ts';
import { WEB_PATHS } from './paths.ts';

/**
 * Serves the built dashboard at `/`: hashed assets cached for a year, index.html never cached
 * (so a rebuilt page is picked up at once), and any other non-API path answered with index.html
 * so the page's own routes survive a reload. `/api/*` is left entirely to the API: an unknown
 * API path gets the API's 404, never the page.
 *
 * Builds the page first if needed. `CORDON_WEB=off` serves the API alone (a headless node).
 * A page that cannot be built is logged and skipped: the API still starts.
 */
export async function serveWebApp(
  app: CordonApp,
  options: { dist?: string; build?: boolean } = {},
): Promise<void> {
  if (process.env.CORDON_WEB === 'off') return;
  const dist = options.dist ?? WEB_PATHS.dist;
  if (options.build !== false && !options.dist) {
    // Without a server logger (`npm start`) these still reach the console: a first start pauses
    // for the build, and a failed build must not go unnoticed.
    const quiet = !app.log.level || app.log.level === 'silent';
    try {
      await ensureWebBuilt({ log: (m) => (quiet ? console.log(m) : app.log.info(m)) });
    } catch (error) {
      if (quiet) console.error('the web dashboard could not be built; serving the API only:', error);
      else app.log.error({ err: error }, 'the web dashboard could not be built; serving the API only');
    }
  }
  if (!fs.existsSync(path.join(dist, 'index.html'))) return;

  await app.register(fastifyStatic, {
    root: dist,
    prefix: '/',
    // Routes for the files present now (the build is complete before this runs); the route
    // below handles files added later and the page's own paths.
    wildcard: false,
    setHeaders(reply, filePath) {
      const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
      void reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(request.url.split('?')[0]);
    } catch {
      return reply.callNotFound();
    }
    if (pathname === '/api' || pathname.startsWith('/api/')) return reply.callNotFound();
    // The build's own bookkeeping (.inputs.json) is not for clients.
    if (pathname.split('/').some((segment) => segment.startsWith('.'))) return reply.callNotFound();
    // A file that appeared after start (a rebuild by another process): served from the root,
    // which send never leaves; a missing one is a real 404, not the page.
    if (path.extname(pathname) !== '') return reply.sendFile(pathname.slice(1));
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
