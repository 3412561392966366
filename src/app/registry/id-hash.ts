import crypto from 'node:crypto';
import { normaliseNationalId } from '../../domain/registry/national-id.ts';

/**
 * The keyed hash (HMAC-SHA256, hex) stored instead of a national id number; the store keeps its
 * 32 bytes (ADR 0009). Keyed with ctx.secrets.idHashKey, which never enters the database, so a
 * dump cannot be reversed by hashing every possible number (there are only ~10^10 plausible ones).
 */
export function hashNationalId(key: Uint8Array, nationalId: string): string {
  return crypto.createHmac('sha256', key).update(normaliseNationalId(nationalId)).digest('hex');
}
