import { DomainError, invalid } from '../../domain/errors.ts';
import type { AppContext } from '../context.ts';
import { HmacSha256 } from '../kernel/hmac-sha256.ts';

/**
 * A person's code (the QR code samplers and employers scan; SPEC "Identity and scope"): a
 * signed, expiring token carrying the person's opaque `ref` and district — never the national
 * id, and nothing a reader of the QR learns about the person. Layout:
 * `pc1.<base64url JSON {r, d, e}>.<base64url HMAC-SHA256>`.
 */
export const PERSON_CODE_TTL_MS = 24 * 3600_000;
const VERSION = 'pc1';

interface CodeBody {
  /** people.ref */
  r: string;
  /** people.district_id: with the ref, the row's key on every database. */
  d: number;
  /** Expiry, epoch ms. */
  e: number;
}

export interface ResolvedPersonCode {
  personId: number;
  districtId: number;
  ref: string;
  expiresAt: number;
}

/** One prepared HMAC per key: scan ingest verifies a code per scan, ~25 M in a citywide round. */
const signers = new WeakMap<Buffer, HmacSha256>();

/** The signature as the code carries it: unpadded base64url. */
function signature(key: Buffer, signed: string): string {
  let signer = signers.get(key);
  if (!signer) {
    signer = new HmacSha256(key);
    signers.set(key, signer);
  }
  return signer.base64url(signed);
}

/** Compares in time independent of where the strings differ, as timingSafeEqual does for bytes. */
function sameSignature(given: string, expected: string): boolean {
  if (given.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < given.length; i++) difference |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0;
}

export function encodePersonCode(
  key: Buffer,
  body: { ref: string; districtId: number; expiresAt: number },
): string {
  const payload = Buffer.from(
    JSON.stringify({ r: body.ref, d: body.districtId, e: body.expiresAt } satisfies CodeBody),
  ).toString('base64url');
  const signed = `${VERSION}.${payload}`;
  return `${signed}.${signature(key, signed)}`;
}

/** Checks the signature, then the expiry; throws invalid_person_code / expired_person_code. */
export function decodePersonCode(key: Buffer, code: string, now: number): CodeBody {
  const parts = code.trim().split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) {
    throw new DomainError('invalid_person_code', 'not a Cordon person code');
  }
  if (!sameSignature(parts[2], signature(key, `${parts[0]}.${parts[1]}`))) {
    throw new DomainError('invalid_person_code', "the code's signature does not match");
  }
  let body: CodeBody;
  try {
    body = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as CodeBody;
  } catch {
    throw new DomainError('invalid_person_code', "the code's content is unreadable");
  }
  if (typeof body.r !== 'string' || !Number.isInteger(body.d) || !Number.isFinite(body.e)) {
    throw new DomainError('invalid_person_code', "the code's content is incomplete");
  }
  if (body.e <= now) {
    throw new DomainError('expired_person_code', `the code expired at ${new Date(body.e).toISOString()}`);
  }
  return body;
}

/** Issues a fresh code for a person (the caller has already decided the asker may have it). */
export async function issuePersonCode(
  ctx: AppContext,
  personId: number,
  options: { districtId?: number; ttlMs?: number } = {},
): Promise<{ code: string; expiresAt: number }> {
  let query = ctx.store.db.selectFrom('people').select(['ref', 'district_id']).where('id', '=', personId);
  if (options.districtId != null) query = query.where('district_id', '=', options.districtId);
  const person = await query.executeTakeFirst();
  if (!person) {
    throw new DomainError('not_found', `person ${personId} not found`, [
      { field: 'personId', message: 'no such person' },
    ]);
  }
  const expiresAt = ctx.clock.now() + (options.ttlMs ?? PERSON_CODE_TTL_MS);
  return {
    code: encodePersonCode(ctx.secrets.codeKey, {
      ref: person.ref,
      districtId: person.district_id,
      expiresAt,
    }),
    expiresAt,
  };
}

/**
 * Resolves a scanned code to a person. The signature and expiry are checked before anything is
 * looked up, so forged or stale codes cost no database work and reveal nothing.
 */
export async function resolvePersonCode(ctx: AppContext, code: string): Promise<ResolvedPersonCode> {
  const body = decodePersonCode(ctx.secrets.codeKey, code, ctx.clock.now());
  const person = await ctx.store.db
    .selectFrom('people')
    .select('id')
    .where('district_id', '=', body.d)
    .where('ref', '=', body.r)
    .executeTakeFirst();
  if (!person) throw new DomainError('invalid_person_code', 'the code names nobody registered');
  return { personId: person.id, districtId: body.d, ref: body.r, expiresAt: body.e };
}

/** CORDON_PERSON_CODE_TTL_HOURS, read once at the edge; 24 h by default. */
export function personCodeTtlMs(value: string | undefined): number {
  if (value == null || value.trim() === '') return PERSON_CODE_TTL_MS;
  const hours = Number(value);
  if (!(hours > 0) || !Number.isFinite(hours)) {
    throw invalid('CORDON_PERSON_CODE_TTL_HOURS', 'must be a positive number of hours', value);
  }
  return Math.round(hours * 3600_000);
}
