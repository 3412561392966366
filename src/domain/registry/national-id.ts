/**
 * Resident identity card numbers (居民身份证号码, GB 11643-1999): 6-digit area code, birth date
 * YYYYMMDD, 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check
 * character. Used to make synthetic numbers and to validate imported ones; Cordon stores only
 * their keyed hash.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

export function makeNationalId(
  areaCode: string,
  birthDate: string,
  sequence: number,
  sex: 'M' | 'F',
): string {
  // The last sequence digit carries the sex; keep the other two from `sequence`.
  const base = (sequence % 500) * 2 + (sex === 'M' ? 1 : 0);
  const first17 = areaCode + birthDate + String(base).padStart(3, '0');
  return first17 + checkCharacter(first17);
}

export interface NationalIdCheck {
  ok: boolean;
  reason?: string;
  birthYear?: number;
  sex?: 'M' | 'F';
}

/** Normalises (upper-case X, trimmed) and checks a number's shape, date and check character. */
export function checkNationalId(raw: string): NationalIdCheck {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) {
    return { ok: false, reason: 'expected 18 characters: 17 digits and a digit or X' };
  }
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { ok: false, reason: 'the birth date inside the number is not a real date' };
  }
  if (checkCharacter(id.slice(0, 17)) !== id[17]) {
    return { ok: false, reason: 'the check character does not match' };
  }
  return { ok: true, birthYear: year, sex: Number(id[16]) % 2 === 1 ? 'M' : 'F' };
}

export function normaliseNationalId(raw: string): string {
  return raw.trim().toUpperCase();
}
