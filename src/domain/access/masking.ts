/**
 * How personal fields look when not revealed (SPEC "Data protection"). Masked values keep just
 * enough to tell people apart on a worklist (family name, phone prefix and tail, building) and
 * nothing that identifies a person on its own.
 */

/** 张伟 → 张*, 欧阳娜娜 → 欧*: the family character and one star, so the length does not leak either. */
export function maskName(name: string | null): string | null {
  if (name == null) return null;
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  return `${chars[0]}*`;
}

/** 13800000001 → 138****0001 (the carrier prefix and the last four, as on Chinese receipts). */
export function maskPhone(phone: string | null): string | null {
  if (phone == null) return null;
  const digits = phone.trim();
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length > 4) return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
  return '*'.repeat(digits.length);
}

export interface AddressParts {
  /** The building's (or other residence place's) own address: 贵州路1弄1号. */
  building: string | null;
  floor: number | null;
  /** The flat: 301. */
  room: string | null;
}

/** The full address: building, then flat (or floor when the flat is unknown). */
export function fullAddress(parts: AddressParts): string | null {
  if (!parts.building) return null;
  if (parts.room) return `${parts.building}${parts.room}室`;
  if (parts.floor != null) return `${parts.building}${parts.floor}楼`;
  return parts.building;
}

/** Building level only: which door to knock on is itself personal data. */
export function maskedAddress(parts: AddressParts): string | null {
  return parts.building ?? null;
}
