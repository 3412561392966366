import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoUsers } from '../../src/app/access/demo-users.ts';
import { createUser } from '../../src/app/access/users.ts';
import { buildServer, type CordonApp } from '../../src/api/server.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { PASSWORD, createTestUsers } from './support.ts';

describe.each(testDialects())('users and login on %s', (dialect) => {
  let ctx: TestContext;
  let app: CordonApp;

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    await createTestUsers(ctx);
    app = await buildServer(ctx);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const login = (username: string, password: string, remoteAddress = '127.0.0.1') =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress });

  it('logs in with the right password and says who the token is', async () => {
    const res = await login('cmdA', PASSWORD, '10.0.0.1');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.user).toEqual({
      username: 'cmdA',
      role: 'district_command',
      scope: { kind: 'region', regionId: FIXTURE.districtA, regionName: '黄浦区', level: 'district' },
    });
    expect(body.expiresAt).toBe(ctx.clock.now() + 12 * 3600_000);
    const me = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(me.json()).toMatchObject({ username: 'cmdA', role: 'district_command' });
  });

  it('gives one answer for a wrong password and an unknown user', async () => {
    const wrong = await login('cmdA', 'not the password', '10.0.0.2');
    const unknown = await login('nobody', 'not the password', '10.0.0.2');
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('invalid_credentials');
    }
  });

  it('refuses an expired or tampered token', async () => {
    const { token } = (await login('cmdB', PASSWORD, '10.0.0.3')).json() as { token: string };
    const tampered = `${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}A`;
    const bad = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${tampered}` },
    });
    expect(bad.statusCode).toBe(401);
    ctx.clock.advance(12 * 3600_000 + 1);
    try {
      const expired = await app.inject({
        method: 'GET',
        url: '/api/v1/people',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(expired.statusCode).toBe(401);
      expect(expired.json().error.code).toBe('token_expired');
    } finally {
      ctx.clock.advance(-(12 * 3600_000 + 1));
    }
  });

  it('limits login attempts per address and per username, with Retry-After', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await login(`user${i}`, 'guess-guess', '10.1.1.1')).statusCode).toBe(401);
    }
    const perAddress = await login('cmdA', PASSWORD, '10.1.1.1');
    expect(perAddress.statusCode).toBe(429);
    expect(perAddress.json().error.code).toBe('rate_limited');
    expect(Number(perAddress.headers['retry-after'])).toBeGreaterThan(0);

    for (let i = 0; i < 10; i++) {
      expect((await login('tracerA', 'guess-guess', `10.2.0.${i}`)).statusCode).toBe(401);
    }
    const perUser = await login('tracerA', PASSWORD, '10.2.1.99');
    expect(perUser.statusCode).toBe(429);
    expect(perUser.json().error.code).toBe('rate_limited');
    expect(Number(perUser.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('creates users only with a scope that suits the role', async () => {
    const fails = async (input: Parameters<typeof createUser>[1]) => {
      const error = await createUser(ctx, input).then(
        () => null,
        (e: unknown) => e as DomainError,
      );
      expect(error).toBeInstanceOf(DomainError);
      return { code: error!.code, field: error!.details[0]?.field };
    };
    const base = { username: 'new.user', password: 'long enough' };
    expect(await fails({ ...base, role: 'district_command', regionId: FIXTURE.streetA1 })).toEqual({
      code: 'validation_failed',
      field: 'regionId',
    });
    expect(await fails({ ...base, role: 'district_command', regionId: 999 })).toEqual({
      code: 'validation_failed',
      field: 'regionId',
    });
    expect(await fails({ ...base, role: 'lab', organisationId: FIXTURE.workplaceA })).toEqual({
      code: 'validation_failed',
      field: 'organisationId',
    });
    expect(await fails({ ...base, role: 'employer', organisationId: 999 })).toEqual({
      code: 'validation_failed',
      field: 'organisationId',
    });
    expect(await fails({ ...base, role: 'resident', personId: 999 })).toEqual({
      code: 'validation_failed',
      field: 'personId',
    });
    expect(await fails({ ...base, username: 'cmdA', role: 'tracer', regionId: FIXTURE.districtA })).toEqual({
      code: 'conflict',
      field: 'username',
    });
    const ok = await createUser(ctx, { ...base, role: 'street_staff', regionId: FIXTURE.committeeA1 });
    expect(ok.scope).toEqual({ kind: 'region', regionId: FIXTURE.committeeA1 });
    const stored = await ctx.store.db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'new.user')
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    expect(stored.password_hash).not.toContain('long enough');
  });

  it('creates the demo users once and can print their credentials again', async () => {
    const first = await ensureDemoUsers(ctx);
    expect(first.map((c) => [c.username, c.role, c.regionName])).toEqual([
      ['admin', 'admin', '上海市'],
      ['district', 'district_command', '黄浦区'],
    ]);
    const again = await ensureDemoUsers(ctx);
    expect(again.map((c) => c.password)).toEqual(first.map((c) => c.password));
    const res = await login('district', first[1].password!, '10.3.0.1');
    expect(res.statusCode).toBe(200);
  });
});
