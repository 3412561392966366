import type { PlannedRegion } from '../../domain/registry/city-plan.ts';
import { REGION_COLUMNS, regionRowSchema, type RegionCsvRow } from '../../domain/registry/import-rows.ts';
import { atomicBulkWrite } from '../../store/bulk.ts';
import { regionRow } from '../../store/registry/rows.ts';
import { regionsByCode } from '../../store/registry/lookups.ts';
import type { AppContext } from '../context.ts';
import {
  ImportErrors,
  parseCsv,
  type CsvInput,
  type ImportOptions,
  type ImportSummary,
  type ParsedRow,
} from './import-csv.ts';

const LEVEL_ORDER = { city: 0, district: 1, street: 2, committee: 3 } as const;
const PARENT_LEVEL = { district: 'city', street: 'district', committee: 'street' } as const;

/**
 * `cordon import regions FILE.csv`: adds regions (city, districts, streets, committees) to the
 * tree. Parents may be in the database or anywhere in the same file. All or nothing.
 */
export async function importRegionsCsv(
  ctx: AppContext,
  input: CsvInput,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const errors = new ImportErrors();
  const rows = await parseCsv(
    input,
    { known: REGION_COLUMNS, required: ['code', 'name', 'level'] },
    regionRowSchema,
    errors,
    options,
  );
  options.onProgress?.({ phase: 'checking', rows: rows.length });
  const existing = await regionsByCode(ctx.store.db);
  const inFile = new Map<string, ParsedRow<RegionCsvRow>>();
  for (const row of rows) {
    const { code } = row.value;
    const first = inFile.get(code);
    if (existing.has(code)) errors.add(row.line, 'code', `region ${code} already exists`);
    else if (first) errors.add(row.line, 'code', `code ${code} appears twice (first on line ${first.line})`);
    else inFile.set(code, row);
  }
  const hasCity = [...existing.values()].some((r) => r.level === 'city');
  let cityLine: number | null = null;
  for (const { line, value } of rows) {
    if (value.level === 'city') {
      if (value.parent_code) errors.add(line, 'parent_code', 'a city has no parent region');
      if (hasCity || cityLine !== null) {
        errors.add(line, 'level', 'there is already a city; a deployment has one');
      }
      cityLine ??= line;
      continue;
    }
    const expected = PARENT_LEVEL[value.level];
    if (!value.parent_code) {
      errors.add(line, 'parent_code', `a ${value.level} needs the code of its ${expected}`);
      continue;
    }
    const parentLevel = existing.get(value.parent_code)?.level ?? inFile.get(value.parent_code)?.value.level;
    if (!parentLevel) errors.add(line, 'parent_code', `no region with code ${value.parent_code}`);
    else if (parentLevel !== expected) {
      errors.add(
        line,
        'parent_code',
        `the parent of a ${value.level} must be a ${expected}; ${value.parent_code} is a ${parentLevel}`,
      );
    }
  }
  errors.throwIfAny();

  options.onProgress?.({ phase: 'writing', rows: rows.length });
  const ordered = [...rows].sort(
    (a, b) => LEVEL_ORDER[a.value.level] - LEVEL_ORDER[b.value.level] || a.line - b.line,
  );
  const created = await atomicBulkWrite(ctx.store, async (writer) => {
    let nextId = await writer.nextId('regions');
    const known = new Map(
      [...existing.values()].map((r) => [
        r.code,
        { id: r.id, districtId: r.districtId, streetId: r.streetId },
      ]),
    );
    const out: PlannedRegion[] = [];
    for (const { value } of ordered) {
      const id = nextId++;
      const parent = value.parent_code ? known.get(value.parent_code)! : null;
      const districtId = value.level === 'district' ? id : (parent?.districtId ?? null);
      const streetId =
        value.level === 'street' ? id : value.level === 'committee' ? (parent?.streetId ?? null) : null;
      known.set(value.code, { id, districtId, streetId });
      out.push({
        id,
        parentId: parent?.id ?? null,
        level: value.level,
        code: value.code,
        name: value.name,
        nameEn: value.name_en ?? '',
        districtId,
        streetId,
        population: value.population ?? 0,
        areaKm2: null,
        geometry: null,
        lng: value.lng ?? null,
        lat: value.lat ?? null,
      });
    }
    await writer.write({ regions: out.map(regionRow) });
    return out.length;
  });
  await ctx.regions.reload(ctx.store.db);
  options.onProgress?.({ phase: 'done', rows: rows.length });
  return { rows: rows.length, created: { regions: created } };
}
