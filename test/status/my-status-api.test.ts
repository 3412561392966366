import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/app/access/tokens.ts';
import { inTransaction } from '../../src/app/context.ts';
import { openEpisode } from '../../src/app/kernel/control-episodes.ts';
import { createTestOrder } from '../../src/app/kernel/test-orders.ts';
import { recordExemption } from '../../src/app/status/corrections.ts';
import { statusRules } from '../../src/app/status/status.ts';
import { presentStatus } from '../../src/api/status/presenter.ts';
import { StatusView } from '../../src/api/status/schema.ts';
import { buildServer, type CordonApp } from '../../src/api/server.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import { computeStatus } from '../../src/domain/status/compute.ts';
import { statusReader } from '../../src/store/status/reader.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { at } from '../zones/helpers.ts';

/**
 * `GET /me/status`, the hot look-up: its JSON text is written by the presenter and a computed
 * status is reused while the clock alone cannot change it. Whatever is reused, every answer must
 * be what computing it afresh from the database at that instant gives, in the schema's shape.
 */
const resident: Principal = {
  userId: 920,
  username: 'resident-a1',
  role: 'resident',
  scope: { kind: 'self', personId: FIXTURE.personA1, districtId: FIXTURE.districtA },
};
const street: Principal = {
  userId: 921,
  username: 'street',
  role: 'street_staff',
  scope: { kind: 'region', regionId: FIXTURE.streetA1 },
};
const DAY = 86_400_000;
const run = promisify(execFile);

describe.each(testDialects())('my status over HTTP on %s', (dialect) => {
  let ctx: TestContext;
  let app: CordonApp;

  beforeAll(async () => {
    ctx = await openTestContext(dialect, { now: at('2022-04-13', 9) });
    await loadFixture(ctx);
    app = await buildServer(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  /** One look-up, checked against the schema and against a fresh computation at the same instant. */
  const lookUp = async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/me/status',
      headers: { authorization: `Bearer ${issueToken(ctx.secrets.tokenKey, resident, ctx.clock.now())}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const now = ctx.clock.now();
    const inputs = await statusReader(ctx.store).inputs(FIXTURE.personA1, now, now - 30 * DAY);
    const fresh = presentStatus(computeStatus(inputs, await statusRules(ctx), now), now);
    expect(res.body).toBe(JSON.stringify(fresh));
    return StatusView.parse(JSON.parse(res.body));
  };

  it('answers in the schema, computed at the instant of the request', async () => {
    expect(await lookUp()).toEqual({
      colour: 'green',
      reasons: [],
      waived: [],
      computedAt: at('2022-04-13', 9),
    });
    ctx.clock.set(at('2022-04-13', 9) + 1);
    expect((await lookUp()).computedAt).toBe(at('2022-04-13', 9) + 1);
  });

  it('follows the clock alone: a deadline passed a millisecond ago shows, and a clock set back', async () => {
    await inTransaction(ctx, (uow) =>
      createTestOrder(uow, {
        personId: FIXTURE.personA1,
        reason: 'screening_duty',
        dueAt: at('2022-04-13', 12),
        source: { type: 'compliance.duty', id: 'my-status:1' },
      }),
    );
    expect((await lookUp()).colour).toBe('green');
    ctx.clock.set(at('2022-04-13', 12));
    expect((await lookUp()).colour).toBe('green');
    ctx.clock.set(at('2022-04-13', 12) + 1);
    expect(await lookUp()).toMatchObject({
      colour: 'yellow',
      reasons: [{ code: 'screening_overdue', since: at('2022-04-13', 12) }],
    });
    ctx.clock.set(at('2022-04-13', 11));
    expect((await lookUp()).colour).toBe('green');
    ctx.clock.set(at('2022-04-13', 13));
  });

  it('shows a change the moment it is committed, and waived reasons with their notes as written', async () => {
    expect((await lookUp()).colour).toBe('yellow');
    await recordExemption(ctx, street, FIXTURE.personA1, {
      reasonCode: 'screening_overdue',
      kind: 'tested_elsewhere',
      note: '在外区检测 "tested" in Minhang \\ 14:00',
      until: at('2022-04-15'),
    });
    expect(await lookUp()).toMatchObject({
      colour: 'green',
      waived: [{ code: 'screening_overdue', exemption: { note: '在外区检测 "tested" in Minhang \\ 14:00' } }],
    });
    await inTransaction(ctx, (uow) =>
      openEpisode(uow, {
        personId: FIXTURE.personA1,
        kind: 'sealed_residence',
        until: null,
        source: { type: 'zone', id: 'my-status:2' },
      }),
    );
    expect(await lookUp()).toMatchObject({ colour: 'red', reasons: [{ code: 'lives_in_sealed_place' }] });
    // The exemption ends by the clock; the sealed home stays.
    ctx.clock.set(at('2022-04-15'));
    expect((await lookUp()).reasons.map((r) => r.code).sort()).toEqual([
      'lives_in_sealed_place',
      'screening_overdue',
    ]);
  });

  // The cache asks SQLite for other processes' commits once per turn of the event loop; PostgreSQL
  // look-ups read the database every time, so there is nothing of this kind to prove there.
  it.runIf(dialect === 'sqlite')('shows a change another process committed in the next look-up', async () => {
    expect((await lookUp()).reasons.map((r) => r.code)).not.toContain('pool_positive_awaiting_retest');
    const script = path.join(import.meta.dirname, 'support/hold-elsewhere.ts');
    const args = [ctx.dataDir, String(FIXTURE.personA1), String(ctx.clock.now())];
    await run(process.execPath, ['--import', 'tsx', script, ...args]);
    expect((await lookUp()).reasons.map((r) => r.code)).toContain('pool_positive_awaiting_retest');
  });
});
