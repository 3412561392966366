import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HmacSha256 } from '../../src/app/kernel/hmac-sha256.ts';
import { hashNationalId } from '../../src/app/registry/id-hash.ts';
import { checkNationalId, makeNationalId } from '../../src/domain/registry/national-id.ts';

describe('national id hashing', () => {
  it('the prepared HMAC-SHA256 equals node:crypto for every message length and any key', () => {
    for (const keyLength of [16, 32, 64, 100]) {
      const key = crypto.randomBytes(keyLength);
      const hmac = new HmacSha256(key);
      // One, two, three and four blocks, every boundary between them, and the fallback beyond.
      for (let length = 0; length <= 300; length++) {
        const message = crypto.randomBytes(length).toString('base64').slice(0, length);
        const expected = crypto.createHmac('sha256', key).update(message).digest();
        expect(hmac.hex(message)).toBe(expected.toString('hex'));
        expect(hmac.base64url(message)).toBe(expected.toString('base64url'));
      }
      expect(hmac.hex('身份证')).toBe(crypto.createHmac('sha256', key).update('身份证').digest('hex'));
    }
  });

  it('matches RFC 4231 test case 2', () => {
    expect(new HmacSha256(Buffer.from('Jefe')).hex('what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('hashes a normalised number (trimmed, upper-case X) to 64 hex characters', () => {
    const key = crypto.randomBytes(32);
    const id = makeNationalId('310101', '19800101', 7, 'M').slice(0, 17) + 'X';
    expect(hashNationalId(key, ` ${id.toLowerCase()} `)).toBe(hashNationalId(key, id));
    expect(hashNationalId(key, id)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('makes and checks resident id numbers (GB 11643)', () => {
    const id = makeNationalId('310104', '19750615', 42, 'F');
    expect(id).toHaveLength(18);
    expect(checkNationalId(id)).toEqual({ ok: true, birthYear: 1975, sex: 'F' });
    expect(checkNationalId('11010519491231002X')).toMatchObject({ ok: true, birthYear: 1949, sex: 'F' });
    expect(checkNationalId('110105194912310021').ok).toBe(false);
    expect(checkNationalId('310104197502300011').reason).toMatch(/birth date/);
  });
});
