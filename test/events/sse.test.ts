import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/app/access/tokens.ts';
import { inTransaction } from '../../src/app/context.ts';
import { buildServer, type CordonApp } from '../../src/api/server.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { SseClient } from '../support/sse.ts';

describe.each(testDialects())('event stream (SSE) on %s', (dialect) => {
  let ctx: TestContext;
  let app: CordonApp;
  let base: string;
  const token = (p: Principal) => issueToken(ctx.secrets.tokenKey, p, ctx.clock.now());
  const districtA: Principal = {
    userId: 1,
    username: 'a',
    role: 'district_command',
    scope: { kind: 'region', regionId: FIXTURE.districtA },
  };
  const districtB: Principal = {
    userId: 2,
    username: 'b',
    role: 'district_command',
    scope: { kind: 'region', regionId: FIXTURE.districtB },
  };
  const workplace: Principal = {
    userId: 3,
    username: 'w',
    role: 'employer',
    scope: { kind: 'organisation', organisationId: FIXTURE.workplaceA },
  };

  const publish = (street: number, n: number, organisationIds: number[] = []) =>
    inTransaction(ctx, async (uow) => {
      uow.publish({
        type: 'test.sse',
        occurredAt: uow.now,
        regionIds: [street],
        organisationIds,
        payload: { n },
      });
    });

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    await ctx.events.start();
    app = await buildServer(ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/events`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('refuses a caller without a token', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/events' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthenticated');
  });

  it('a district user receives only its own district, live', async () => {
    const a = new SseClient(`${base}?access_token=${token(districtA)}`);
    const b = new SseClient(`${base}?access_token=${token(districtB)}`);
    const w = new SseClient(`${base}?access_token=${token(workplace)}`);
    expect(await a.status()).toBe(200);
    await b.status();
    await w.status();
    await publish(FIXTURE.streetA1, 1);
    await publish(FIXTURE.streetB1, 2);
    await publish(FIXTURE.streetA2, 3, [FIXTURE.workplaceA]);
    await a.waitFor(2);
    await b.waitFor(1);
    await w.waitFor(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(a.messages.map((m) => m.data.payload)).toEqual([{ n: 1 }, { n: 3 }]);
    expect(b.messages.map((m) => m.data.payload)).toEqual([{ n: 2 }]);
    expect(w.messages.map((m) => m.data.payload)).toEqual([{ n: 3 }]);
    a.close();
    b.close();
    w.close();
  });

  it('resumes from Last-Event-ID without loss or repeat', async () => {
    const first = new SseClient(`${base}?access_token=${token(districtA)}`);
    await first.status();
    await publish(FIXTURE.streetA1, 10);
    await publish(FIXTURE.streetA1, 11);
    await first.waitFor(2);
    first.close();
    const lastSeen = first.messages[1].id;
    // Missed while disconnected: two for A, one for B.
    await publish(FIXTURE.streetA1, 12);
    await publish(FIXTURE.streetB1, 13);
    await publish(FIXTURE.streetA1, 14);
    await ctx.events.drain();
    const resumed = new SseClient(base, {
      authorization: `Bearer ${token(districtA)}`,
      'last-event-id': String(lastSeen),
    });
    await resumed.waitFor(2);
    await publish(FIXTURE.streetA1, 15);
    await resumed.waitFor(3);
    await new Promise((r) => setTimeout(r, 100));
    expect(resumed.messages.map((m) => m.data.payload)).toEqual([{ n: 12 }, { n: 14 }, { n: 15 }]);
    const ids = resumed.messages.map((m) => m.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(ids[0]).toBeGreaterThan(lastSeen);
    resumed.close();
  });
});
