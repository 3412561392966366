import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type CordonApp } from '../../src/api/server.ts';
import { isWebBuildCurrent, type WebPaths } from '../../src/app/web/build.ts';
import { serveWebApp } from '../../src/app/web/serve.ts';
import { openTestContext, type TestContext } from '../support/harness.ts';

/** A stand-in build output, so serving is tested without running Vite. */
function fakeDist(): string {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-dist-'));
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dist, '.inputs.json'), '[]');
  return dist;
}

describe('serving the built dashboard', () => {
  let ctx: TestContext;
  let app: CordonApp;
  let dist: string;

  beforeAll(async () => {
    ctx = await openTestContext('sqlite');
    dist = fakeDist();
    app = await buildServer(ctx);
    await serveWebApp(app, { dist });
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('serves the page at / and for the page’s own paths, never cached', async () => {
    for (const url of ['/', '/?region=10', '/some/page']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets with a long cache', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('leaves /api to the API: unknown API paths are 404 JSON, not the page', async () => {
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/json');
    const health = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(health.json().ok).toBe(true);
  });

  it('serves a file added after start (a rebuild elsewhere)', async () => {
    fs.writeFileSync(path.join(dist, 'assets', 'index-new456.js'), 'console.log(2)');
    const res = await app.inject({ method: 'GET', url: '/assets/index-new456.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log(2)');
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('answers a missing file with 404 rather than the page, and hides the build manifest', async () => {
    expect((await app.inject({ method: 'GET', url: '/assets/../../etc/passwd.txt' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/.inputs.json' })).statusCode).toBe(404);
  });
});

describe('web build freshness', () => {
  it('is stale when missing, current after a build, stale again when a source or an outside input changes', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-web-'));
    const paths: WebPaths = {
      repoRoot: root,
      source: path.join(root, 'src/web'),
      dist: path.join(root, 'src/web/dist'),
      config: path.join(root, 'vite.config.ts'),
      lock: path.join(root, 'src/web/.build-lock'),
    };
    fs.mkdirSync(path.join(paths.source, 'app'), { recursive: true });
    fs.mkdirSync(path.join(root, 'src/domain'), { recursive: true });
    fs.writeFileSync(path.join(paths.source, 'app/App.tsx'), 'x');
    fs.writeFileSync(path.join(root, 'src/domain/kinds.ts'), 'x');
    fs.writeFileSync(paths.config, 'x');
    expect(isWebBuildCurrent(paths)).toBe(false);

    const past = new Date(Date.now() - 60_000);
    for (const f of [
      path.join(paths.source, 'app/App.tsx'),
      path.join(root, 'src/domain/kinds.ts'),
      paths.config,
    ]) {
      fs.utimesSync(f, past, past);
    }
    fs.mkdirSync(paths.dist);
    fs.writeFileSync(path.join(paths.dist, 'index.html'), 'built');
    fs.writeFileSync(path.join(paths.dist, '.inputs.json'), JSON.stringify(['src/domain/kinds.ts']));
    expect(isWebBuildCurrent(paths)).toBe(true);

    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 'src/domain/kinds.ts'), later, later);
    expect(isWebBuildCurrent(paths)).toBe(false);
    fs.utimesSync(path.join(root, 'src/domain/kinds.ts'), past, past);
    fs.writeFileSync(path.join(paths.source, 'app/New.tsx'), 'new');
    fs.utimesSync(path.join(paths.source, 'app/New.tsx'), later, later);
    expect(isWebBuildCurrent(paths)).toBe(false);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
