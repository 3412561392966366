import crypto from 'node:crypto';
import type { Principal } from '../../domain/access/principal.ts';
import { isRole } from '../../domain/access/roles.ts';
import { DomainError } from '../../domain/errors.ts';

/**
 * Login tokens: a signed, expiring statement of who the user is (HMAC-SHA256). Checking one
 * needs no database read, which keeps status look-ups fast.
 */
export const TOKEN_TTL_MS = 12 * 3600_000;

interface TokenBody {
  p: Principal;
  exp: number;
}

function sign(key: Buffer, body: string): string {
  return crypto.createHmac('sha256', key).update(body).digest('base64url');
}

export function issueToken(key: Buffer, principal: Principal, now: number, ttlMs = TOKEN_TTL_MS): string {
  const body = Buffer.from(JSON.stringify({ p: principal, exp: now + ttlMs } satisfies TokenBody)).toString(
    'base64url',
  );
  return `${body}.${sign(key, body)}`;
}

export function verifyToken(key: Buffer, token: string, now: number): Principal {
  const dot = token.indexOf('.');
  if (dot <= 0) throw new DomainError('unauthenticated', 'malformed token');
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = Buffer.from(sign(key, body), 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    throw new DomainError('unauthenticated', 'token signature does not match');
  }
  let parsed: TokenBody;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenBody;
  } catch {
    throw new DomainError('unauthenticated', 'malformed token');
  }
  if (!(parsed.exp > now)) throw new DomainError('token_expired');
  if (!isRole(parsed.p?.role)) throw new DomainError('unauthenticated', 'token names no known role');
  return parsed.p;
}
