import { audit, systemActor } from '../access/audit.ts';
import crypto from 'node:crypto';
import {
  PEOPLE_COLUMNS,
  personRowSchema,
  vulnerableText,
  type PersonCsvRow,
} from '../../domain/registry/import-rows.ts';
import type { HouseholdRecord, PersonRecord } from '../../domain/registry/records.ts';
import { atomicBulkWrite } from '../../store/bulk.ts';
import {
  existingIdHashes,
  organisationsByIdOrName,
  placesById,
  placesInStreets,
  regionsByCode,
  type RegionRef,
} from '../../store/registry/lookups.ts';
import { householdRow, personRow, type Row } from '../../store/registry/rows.ts';
import type { AppContext } from '../context.ts';
import { hashNationalId } from './id-hash.ts';
import {
  ImportErrors,
  parseCsv,
  type CsvInput,
  type ImportOptions,
  type ImportSummary,
} from './import-csv.ts';

interface CheckedPerson {
  line: number;
  value: PersonCsvRow;
  street: RegionRef;
  committee: RegionRef | null;
  placeId: number | null;
  workplaceId: number | null;
  idHash: string | null;
}

/**
 * `cordon import people FILE.csv` (and uploads): residents with their street, home, household,
 * workplace, occupation and vulnerable flags. National id numbers are hashed as they are read
 * (HMAC with ctx.secrets.idHashKey) and never stored or echoed in errors. Every row is checked —
 * fields, references, duplicates — before one transaction writes them all; any error writes
 * nothing.
 */
export async function importPeopleCsv(
  ctx: AppContext,
  input: CsvInput,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const db = ctx.store.db;
  const errors = new ImportErrors();
  const maxYear = new Date(ctx.clock.now()).getUTCFullYear();
  const rows = await parseCsv(
    input,
    { known: PEOPLE_COLUMNS, required: ['name', 'street_code'] },
    personRowSchema(maxYear),
    errors,
    options,
  );
  options.onProgress?.({ phase: 'checking', rows: rows.length });

  const regions = await regionsByCode(db);
  const people: CheckedPerson[] = [];
  for (const { line, value } of rows) {
    const street = regions.get(value.street_code);
    if (!street || street.level !== 'street') {
      errors.add(line, 'street_code', `no street with code ${value.street_code}`);
      continue;
    }
    const committee = value.committee_code ? (regions.get(value.committee_code) ?? null) : null;
    if (
      value.committee_code &&
      (!committee || committee.level !== 'committee' || committee.parentId !== street.id)
    ) {
      errors.add(
        line,
        'committee_code',
        `no committee ${value.committee_code} in street ${value.street_code}`,
      );
      continue;
    }
    const idHash = value.id_number ? hashNationalId(ctx.secrets.idHashKey, value.id_number) : null;
    people.push({ line, value, street, committee, placeId: null, workplaceId: null, idHash });
  }

  await resolvePlaces(ctx, people, errors);
  await resolveWorkplaces(ctx, people, errors);
  await checkDuplicates(ctx, people, errors);
  const households = groupHouseholds(people, errors);
  errors.throwIfAny();

  options.onProgress?.({ phase: 'writing', rows: rows.length });
  const now = ctx.clock.now();
  const created = await atomicBulkWrite(ctx.store, async (writer) => {
    let householdId = await writer.nextId('households');
    let personId = await writer.nextId('people');
    const householdRows: Row[] = [];
    const householdIds = new Map<string, number>();
    for (const [key, first] of households) {
      const record: HouseholdRecord = {
        id: householdId++,
        districtId: first.street.districtId!,
        streetId: first.street.id,
        committeeId: first.committee?.id ?? null,
        placeId: first.placeId,
        floor: first.value.floor ?? null,
        room: null,
      };
      householdIds.set(key, record.id);
      householdRows.push(householdRow(record));
    }
    const firstPersonId = personId;
    const personRows = people.map((p) => {
      const record: PersonRecord = {
        id: personId++,
        districtId: p.street.districtId!,
        streetId: p.street.id,
        committeeId: p.committee?.id ?? null,
        householdId: p.value.household ? householdIds.get(p.value.household)! : null,
        placeId: p.placeId,
        ref: crypto.randomBytes(12).toString('base64url'),
        nationalId: null,
        name: p.value.name,
        phone: p.value.phone ?? null,
        birthYear: p.value.birth_year ?? null,
        sex: p.value.sex ?? null,
        floor: p.value.floor ?? null,
        workplaceOrgId: p.workplaceId,
        occupation: p.value.occupation ?? null,
        vulnerable: vulnerableText(p.value.vulnerable),
      };
      return personRow(record, p.idHash, now);
    });
    await writer.write({ households: householdRows, people: personRows });
    const ids = personRows.length ? [firstPersonId, personId - 1] : [];
    return { households: householdRows.length, people: personRows.length, ids };
  });
  // Writing residents' personal data is an access like any other (SPEC "Data protection").
  await audit(ctx, {
    actor: options.actor ?? systemActor('import'),
    action: 'people.import',
    subjectType: 'person',
    subjectIds: [],
    fields: ['name', 'phone', 'address', 'national_id'],
    details: {
      rows: rows.length,
      people: created.people,
      firstId: created.ids[0] ?? null,
      lastId: created.ids[1] ?? null,
    },
  });
  options.onProgress?.({ phase: 'done', rows: rows.length });
  return { rows: rows.length, created: { households: created.households, people: created.people } };
}

/** A home is a place id, or an address within the person's street. */
async function resolvePlaces(ctx: AppContext, people: CheckedPerson[], errors: ImportErrors): Promise<void> {
  const ids = [...new Set(people.flatMap((p) => (p.value.place_id ? [p.value.place_id] : [])))];
  const byId = await placesById(ctx.store.db, ids);
  const streets = [...new Set(people.filter((p) => p.value.address).map((p) => p.street.id))];
  const byAddress = new Map(
    (await placesInStreets(ctx.store.db, streets)).map((p) => [`${p.streetId}\u0000${p.address}`, p.id]),
  );
  for (const p of people) {
    if (p.value.place_id) {
      const place = byId.get(p.value.place_id);
      if (!place) errors.add(p.line, 'place_id', `no place with id ${p.value.place_id}`);
      else if (place.streetId !== p.street.id) {
        errors.add(p.line, 'place_id', `place ${p.value.place_id} is not in street ${p.street.code}`);
      } else p.placeId = place.id;
    } else if (p.value.address) {
      const id = byAddress.get(`${p.street.id}\u0000${p.value.address}`);
      if (id === undefined) {
        errors.add(p.line, 'address', `no place at ${p.value.address} in street ${p.street.code}`);
      } else p.placeId = id;
    }
  }
}

/** A workplace is an organisation id, or an organisation's exact name. */
async function resolveWorkplaces(
  ctx: AppContext,
  people: CheckedPerson[],
  errors: ImportErrors,
): Promise<void> {
  const given = people.flatMap((p) => (p.value.workplace ? [p.value.workplace] : []));
  const ids = [...new Set(given.filter((w) => /^\d+$/.test(w)).map(Number))];
  const names = [...new Set(given.filter((w) => !/^\d+$/.test(w)))];
  const found = await organisationsByIdOrName(ctx.store.db, ids, names);
  const byId = new Map(found.map((o) => [String(o.id), [o.id]]));
  const byName = new Map<string, number[]>();
  for (const o of found) byName.set(o.name, [...new Set([...(byName.get(o.name) ?? []), o.id])]);
  for (const p of people) {
    const w = p.value.workplace;
    if (!w) continue;
    const matches = /^\d+$/.test(w) ? byId.get(w) : byName.get(w);
    if (!matches?.length) errors.add(p.line, 'workplace', `no organisation ${w}`);
    else if (matches.length > 1) {
      errors.add(
        p.line,
        'workplace',
        `${matches.length} organisations are named ${w}; give the organisation id`,
      );
    } else p.workplaceId = matches[0];
  }
}

/** One person per national id: not twice in the file, not already registered. */
async function checkDuplicates(
  ctx: AppContext,
  people: CheckedPerson[],
  errors: ImportErrors,
): Promise<void> {
  const firstLine = new Map<string, number>();
  for (const p of people) {
    if (!p.idHash) continue;
    const first = firstLine.get(p.idHash);
    // The number itself is never echoed back: error messages end up in logs and terminals.
    if (first !== undefined) errors.add(p.line, 'id_number', `the same id_number as line ${first}`);
    else firstLine.set(p.idHash, p.line);
  }
  const registered = await existingIdHashes(ctx.store.db, [...firstLine.keys()]);
  for (const p of people) {
    if (p.idHash && registered.has(p.idHash)) {
      errors.add(p.line, 'id_number', 'a person with this id_number is already registered');
    }
  }
}

/** Rows sharing a household key form one household, at the first member's home. */
function groupHouseholds(people: CheckedPerson[], errors: ImportErrors): Map<string, CheckedPerson> {
  const households = new Map<string, CheckedPerson>();
  for (const p of people) {
    const key = p.value.household;
    if (!key) continue;
    const first = households.get(key);
    if (!first) households.set(key, p);
    else if (first.street.id !== p.street.id || first.placeId !== p.placeId) {
      errors.add(
        p.line,
        'household',
        `household ${key} lives elsewhere (line ${first.line}); members share one home`,
      );
    }
  }
  return households;
}
