import { PLACE_COLUMNS, placeRowSchema, type PlaceCsvRow } from '../../domain/registry/import-rows.ts';
import type { PlaceRecord } from '../../domain/registry/records.ts';
import { atomicBulkWrite } from '../../store/bulk.ts';
import { placesInStreets, regionsByCode, type RegionRef } from '../../store/registry/lookups.ts';
import { placeRow } from '../../store/registry/rows.ts';
import type { AppContext } from '../context.ts';
import {
  ImportErrors,
  parseCsv,
  type CsvInput,
  type ImportOptions,
  type ImportSummary,
  type ParsedRow,
} from './import-csv.ts';

/** A place is found by its address within its street (people's CSV refers to it the same way). */
const addressKey = (streetId: number, address: string) => `${streetId}\u0000${address}`;

interface CheckedPlace {
  row: ParsedRow<PlaceCsvRow>;
  street: RegionRef;
  committee: RegionRef | null;
}

/**
 * `cordon import places FILE.csv`: compounds, buildings, worksites, enterprises… in existing
 * streets. A building names its compound by `parent_address` (in the database or the file).
 * Addresses are unique within a street. All or nothing.
 */
export async function importPlacesCsv(
  ctx: AppContext,
  input: CsvInput,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const errors = new ImportErrors();
  const rows = await parseCsv(
    input,
    { known: PLACE_COLUMNS, required: ['kind', 'name', 'street_code', 'address'] },
    placeRowSchema,
    errors,
    options,
  );
  options.onProgress?.({ phase: 'checking', rows: rows.length });
  const regions = await regionsByCode(ctx.store.db);
  const checked: CheckedPlace[] = [];
  for (const row of rows) {
    const { street_code, committee_code } = row.value;
    const street = regions.get(street_code);
    if (!street || street.level !== 'street') {
      errors.add(row.line, 'street_code', `no street with code ${street_code}`);
      continue;
    }
    const committee = committee_code ? (regions.get(committee_code) ?? null) : null;
    if (
      committee_code &&
      (!committee || committee.level !== 'committee' || committee.parentId !== street.id)
    ) {
      errors.add(row.line, 'committee_code', `no committee ${committee_code} in street ${street_code}`);
      continue;
    }
    checked.push({ row, street, committee });
  }

  const existing = new Map(
    (await placesInStreets(ctx.store.db, [...new Set(checked.map((c) => c.street.id))])).map((p) => [
      addressKey(p.streetId, p.address),
      p,
    ]),
  );
  const inFile = new Map<string, CheckedPlace>();
  for (const place of checked) {
    const key = addressKey(place.street.id, place.row.value.address);
    const first = inFile.get(key);
    if (existing.has(key)) {
      errors.add(
        place.row.line,
        'address',
        `a place at ${place.row.value.address} already exists in street ${place.street.code}`,
      );
    } else if (first) {
      errors.add(
        place.row.line,
        'address',
        `address ${place.row.value.address} appears twice in street ${place.street.code} (first on line ${first.row.line})`,
      );
    } else inFile.set(key, place);
  }
  for (const { row, street } of checked) {
    const parent = row.value.parent_address;
    if (!parent) continue;
    const key = addressKey(street.id, parent);
    const kind = existing.get(key)?.kind ?? inFile.get(key)?.row.value.kind;
    if (!kind) errors.add(row.line, 'parent_address', `no place at ${parent} in street ${street.code}`);
    else if (kind !== 'compound') {
      errors.add(row.line, 'parent_address', `${parent} is a ${kind}; a parent must be a compound`);
    }
  }
  errors.throwIfAny();

  options.onProgress?.({ phase: 'writing', rows: rows.length });
  const created = await atomicBulkWrite(ctx.store, async (writer) => {
    let nextId = await writer.nextId('places');
    const ids = new Map<string, number>([...existing].map(([key, p]) => [key, p.id]));
    for (const place of checked) ids.set(addressKey(place.street.id, place.row.value.address), nextId++);
    const records: PlaceRecord[] = checked.map(({ row: { value }, street, committee }) => ({
      id: ids.get(addressKey(street.id, value.address))!,
      districtId: street.districtId!,
      streetId: street.id,
      committeeId: committee?.id ?? null,
      kind: value.kind,
      name: value.name,
      parentPlaceId: value.parent_address ? ids.get(addressKey(street.id, value.parent_address))! : null,
      floors: value.floors ?? null,
      address: value.address,
      lng: value.lng ?? null,
      lat: value.lat ?? null,
    }));
    await writer.write({ places: records.map(placeRow) });
    return records.length;
  });
  options.onProgress?.({ phase: 'done', rows: rows.length });
  return { rows: rows.length, created: { places: created } };
}
