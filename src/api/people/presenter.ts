import type { PersonRow } from '../../app/access/scoped-people.ts';
import {
  fullAddress,
  maskedAddress,
  maskName,
  maskPhone,
  type AddressParts,
} from '../../domain/access/masking.ts';
import type { RevealableField } from '../../domain/access/policy.ts';
import type { PersonView, RevealResponse } from './schema.ts';

/**
 * The only place that shapes people for clients. Masked is the default; clear values appear only
 * for a reveal or a resident's own record, both decided and audited before this runs.
 */
function addressParts(row: PersonRow): AddressParts {
  return { building: row.building_address, floor: row.floor, room: row.room };
}

export function presentPerson(row: PersonRow, mode: 'masked' | 'clear' = 'masked'): PersonView {
  const clear = mode === 'clear';
  return {
    id: row.id,
    districtId: row.district_id,
    streetId: row.street_id,
    committeeId: row.committee_id,
    householdId: row.household_id,
    placeId: row.place_id,
    name: clear ? row.name : maskName(row.name),
    phone: clear ? row.phone : maskPhone(row.phone),
    address: clear ? fullAddress(addressParts(row)) : maskedAddress(addressParts(row)),
    birthYear: row.birth_year,
    sex: row.sex,
    occupation: row.occupation,
    workplaceOrgId: row.workplace_org_id,
    vulnerable: row.vulnerable ? row.vulnerable.split(',').filter(Boolean) : [],
    masked: !clear,
    purged: row.purged_at != null,
  };
}

export function presentReveal(
  row: PersonRow,
  fields: readonly RevealableField[],
  reason: string | null,
): RevealResponse {
  const out: RevealResponse['fields'] = {};
  for (const field of fields) {
    switch (field) {
      case 'name':
        out.name = row.name;
        break;
      case 'phone':
        out.phone = row.phone;
        break;
      case 'address':
        out.address = fullAddress(addressParts(row));
        break;
    }
  }
  return { id: row.id, fields: out, reason };
}

export const CSV_COLUMNS = [
  'id',
  'district_id',
  'street_id',
  'committee_id',
  'household_id',
  'name',
  'phone',
  'address',
  'birth_year',
  'sex',
  'occupation',
  'vulnerable',
  'purged',
] as const;

/** One CSV record, masked like every list. */
export function csvRecord(row: PersonRow): (string | number | null)[] {
  const v = presentPerson(row);
  return [
    v.id,
    v.districtId,
    v.streetId,
    v.committeeId,
    v.householdId,
    v.name,
    v.phone,
    v.address,
    v.birthYear,
    v.sex,
    v.occupation,
    v.vulnerable.join(','),
    v.purged ? 1 : 0,
  ];
}
