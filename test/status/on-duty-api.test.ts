import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePersonCode } from '../../src/app/access/person-code.ts';
import { issueToken } from '../../src/app/access/tokens.ts';
import { inTransaction } from '../../src/app/context.ts';
import { createTestOrder } from '../../src/app/kernel/test-orders.ts';
import { buildServer, type CordonApp } from '../../src/api/server.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { at } from '../zones/helpers.ts';

/**
 * The employer's on-duty check and a resident's own status over HTTP: the employer sees allowed or
 * not and why for its own workers only, nothing else, and every check is in the audit log.
 */
const employer: Principal = {
  userId: 910,
  username: 'courier-boss',
  role: 'employer',
  scope: { kind: 'organisation', organisationId: FIXTURE.workplaceA },
};
const otherEmployer: Principal = {
  userId: 911,
  username: 'other-boss',
  role: 'employer',
  scope: { kind: 'organisation', organisationId: 777 },
};
const resident: Principal = {
  userId: 912,
  username: 'zhang-wei',
  role: 'resident',
  scope: { kind: 'self', personId: FIXTURE.personA1, districtId: FIXTURE.districtA },
};
const street: Principal = {
  userId: 913,
  username: 'street',
  role: 'street_staff',
  scope: { kind: 'region', regionId: FIXTURE.streetA1 },
};

describe.each(testDialects())('on-duty check and my status over HTTP on %s', (dialect) => {
  let ctx: TestContext;
  let app: CordonApp;
  const auth = (p: Principal) => ({
    authorization: `Bearer ${issueToken(ctx.secrets.tokenKey, p, ctx.clock.now())}`,
  });
  const code = (personId: number, district = FIXTURE.districtA) =>
    encodePersonCode(ctx.secrets.codeKey, {
      ref: `ref-${personId}`,
      districtId: district,
      expiresAt: ctx.clock.now() + 3600_000,
    });
  const check = (p: Principal, c: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/status/on-duty-check',
      headers: auth(p),
      payload: { code: c },
    });

  beforeAll(async () => {
    ctx = await openTestContext(dialect, { now: at('2022-04-13') });
    await loadFixture(ctx);
    app = await buildServer(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('allows a green worker, with nothing but allowed and reasons', async () => {
    const res = await check(employer, code(FIXTURE.personA1));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ allowed: true, reasons: [] });
  });

  it('refuses an overdue worker and says why — by the clock alone', async () => {
    await inTransaction(ctx, (uow) =>
      createTestOrder(uow, {
        personId: FIXTURE.personA1,
        reason: 'screening_duty',
        dueAt: at('2022-04-13', 12),
        source: { type: 'compliance.duty', id: '1:i' },
      }),
    );
    expect((await check(employer, code(FIXTURE.personA1))).json()).toMatchObject({ allowed: true });
    ctx.clock.set(at('2022-04-13', 12) + 1);
    const body = (await check(employer, code(FIXTURE.personA1))).json();
    expect(body).toEqual({
      allowed: false,
      reasons: [{ code: 'screening_overdue', label: { zh: '应检未检', en: 'Overdue for a screening duty' } }],
    });
    expect(Object.keys(body).sort()).toEqual(['allowed', 'reasons']);
  });

  it('cannot check a person outside its organisation, and learns nothing about them', async () => {
    const stranger = await check(employer, code(FIXTURE.personA2));
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json().error.code).toBe('out_of_scope');
    const otherOrg = await check(otherEmployer, code(FIXTURE.personA1));
    expect(otherOrg.statusCode).toBe(404);
    // Same answer as a code naming nobody: probing reveals nothing.
    const nobody = await check(
      employer,
      encodePersonCode(ctx.secrets.codeKey, {
        ref: 'ref-none',
        districtId: 10,
        expiresAt: ctx.clock.now() + 60_000,
      }),
    );
    expect(nobody.json().error.code).toBe('out_of_scope');
  });

  it('rejects forged and expired codes before any look-up, and non-employers', async () => {
    const forged = code(FIXTURE.personA1).slice(0, -3) + 'abc';
    expect((await check(employer, forged)).json().error.code).toBe('invalid_person_code');
    const expired = encodePersonCode(ctx.secrets.codeKey, {
      ref: 'ref-1',
      districtId: 10,
      expiresAt: ctx.clock.now() - 1,
    });
    expect((await check(employer, expired)).json().error.code).toBe('expired_person_code');
    expect((await check(street, code(FIXTURE.personA1))).statusCode).toBe(403);
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/status/on-duty-check', payload: { code: code(1) } }))
        .statusCode,
    ).toBe(401);
  });

  it('audits every check with its outcome', async () => {
    const rows = await ctx.store.db
      .selectFrom('audit_log')
      .select(['action', 'username', 'subject_ids'])
      .where('action', '=', 'status.on_duty_check')
      .orderBy('seq')
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(rows[0]).toEqual({ action: 'status.on_duty_check', username: 'courier-boss', subject_ids: '[1]' });
    // A refused attempt names who was tried, for an auditor; the caller was told nothing.
    expect(rows.some((r) => r.username === 'other-boss' && r.subject_ids === '[1]')).toBe(true);
    expect(rows.some((r) => r.username === 'courier-boss' && r.subject_ids === '[]')).toBe(true);
  });

  it('a resident reads their own status with reasons; staff read it in their area', async () => {
    const mine = await app.inject({ method: 'GET', url: '/api/v1/me/status', headers: auth(resident) });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({
      colour: 'yellow',
      reasons: [{ code: 'screening_overdue', since: at('2022-04-13', 12) }],
      computedAt: ctx.clock.now(),
    });
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me/status', headers: auth(employer) })).statusCode,
    ).toBe(403);
    const staff = await app.inject({
      method: 'GET',
      url: `/api/v1/status/people/${FIXTURE.personA1}`,
      headers: auth(street),
    });
    expect(staff.json()).toMatchObject({ colour: 'yellow' });
    const outside = await app.inject({
      method: 'GET',
      url: `/api/v1/status/people/${FIXTURE.personB1}`,
      headers: auth(street),
    });
    expect(outside.statusCode).toBe(404);
  });
});
