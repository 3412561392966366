import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodePersonCode,
  encodePersonCode,
  issuePersonCode,
  PERSON_CODE_TTL_MS,
  resolvePersonCode,
} from '../../src/app/access/person-code.ts';
import type { AppContext } from '../../src/app/context.ts';
import { secretsFromMaster } from '../../src/app/secrets.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
  );

describe.each(testDialects())('person codes on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('carries the opaque ref and district, never the id hash, and resolves back to the person', async () => {
    const { code, expiresAt } = await issuePersonCode(ctx, FIXTURE.personB1);
    expect(expiresAt).toBe(ctx.clock.now() + PERSON_CODE_TTL_MS);
    const payload = Buffer.from(code.split('.')[1], 'base64url').toString('utf8');
    expect(JSON.parse(payload)).toEqual({ r: 'ref-4', d: FIXTURE.districtB, e: expiresAt });
    expect(payload).not.toContain('hash-4');
    expect(await resolvePersonCode(ctx, code)).toEqual({
      personId: FIXTURE.personB1,
      districtId: FIXTURE.districtB,
      ref: 'ref-4',
      expiresAt,
    });
  });

  it('rejects a tampered, foreign or malformed code', async () => {
    const { code, expiresAt } = await issuePersonCode(ctx, FIXTURE.personA1);
    const [v, , sig] = code.split('.');
    const otherPerson = Buffer.from(
      JSON.stringify({ r: 'ref-2', d: FIXTURE.districtA, e: expiresAt }),
    ).toString('base64url');
    expect(await codeOf(resolvePersonCode(ctx, `${v}.${otherPerson}.${sig}`))).toBe('invalid_person_code');
    expect(await codeOf(resolvePersonCode(ctx, `${code.slice(0, -3)}xyz`))).toBe('invalid_person_code');
    const foreign = encodePersonCode(secretsFromMaster('another deployment').codeKey, {
      ref: 'ref-1',
      districtId: FIXTURE.districtA,
      expiresAt,
    });
    expect(await codeOf(resolvePersonCode(ctx, foreign))).toBe('invalid_person_code');
    expect(await codeOf(resolvePersonCode(ctx, 'hello'))).toBe('invalid_person_code');
  });

  it('rejects an expired code', async () => {
    const { code } = await issuePersonCode(ctx, FIXTURE.personA1, { ttlMs: 60_000 });
    ctx.clock.advance(60_000);
    try {
      expect(await codeOf(resolvePersonCode(ctx, code))).toBe('expired_person_code');
    } finally {
      ctx.clock.advance(-60_000);
    }
  });

  it('checks signature and expiry before touching the database', async () => {
    const { code } = await issuePersonCode(ctx, FIXTURE.personA1, { ttlMs: 1 });
    const noDatabase = new Proxy({} as AppContext['store']['db'], {
      get() {
        throw new Error('the database was touched');
      },
    });
    const blind: AppContext = { ...ctx, store: { ...ctx.store, db: noDatabase } };
    expect(await codeOf(resolvePersonCode(blind, `${code.slice(0, -3)}xyz`))).toBe('invalid_person_code');
    ctx.clock.advance(1);
    try {
      expect(await codeOf(resolvePersonCode(blind, code))).toBe('expired_person_code');
    } finally {
      ctx.clock.advance(-1);
    }
    expect(() => decodePersonCode(ctx.secrets.codeKey, code, ctx.clock.now())).not.toThrow();
  });
});
