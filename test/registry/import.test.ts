import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashNationalId } from '../../src/app/registry/id-hash.ts';
import { importPeopleCsv } from '../../src/app/registry/import-people.ts';
import { importPlacesCsv } from '../../src/app/registry/import-places.ts';
import { importRegionsCsv } from '../../src/app/registry/import-regions.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { makeNationalId } from '../../src/domain/registry/national-id.ts';
import { loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

const ID_A = makeNationalId('310101', '19800101', 11, 'M');
const ID_B = makeNationalId('310101', '19820202', 12, 'F');
const ID_C = makeNationalId('310101', '20150303', 13, 'F');

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the import to fail');
}

describe.each(testDialects())('CSV import on %s', (dialect) => {
  let ctx: TestContext;
  const count = async (table: 'people' | 'households' | 'places' | 'regions') =>
    Number(
      (
        await ctx.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('imports regions whose parents are in the database or later in the same file', async () => {
    const csv = [
      'code,name,name_en,level,parent_code,population',
      '310101003001,新桥居委会,Xinqiao,committee,310101003,0',
      '310101003,半淞园路街道,Bansongyuan Road,street,310101,0',
    ].join('\n');
    const summary = await importRegionsCsv(ctx, csv);
    expect(summary.created).toEqual({ regions: 2 });
    const street = await ctx.store.db
      .selectFrom('regions')
      .selectAll()
      .where('code', '=', '310101003')
      .executeTakeFirstOrThrow();
    const committee = await ctx.store.db
      .selectFrom('regions')
      .selectAll()
      .where('code', '=', '310101003001')
      .executeTakeFirstOrThrow();
    expect(committee.parent_id).toBe(street.id);
    expect(committee.street_id).toBe(street.id);
    expect(committee.district_id).toBe(10);
    expect(ctx.regions.ancestry(committee.id)).toEqual([committee.id, street.id, 10, 1]);
  });

  it('imports a compound and the buildings inside it', async () => {
    const csv = [
      'kind,name,street_code,committee_code,address,parent_address,floors,lng,lat',
      'building,新桥小区1号楼,310101003,310101003001,新桥路8弄1号,新桥路8弄,18,121.49,31.21',
      'compound,新桥小区,310101003,310101003001,新桥路8弄,,,121.49,31.21',
    ].join('\n');
    expect((await importPlacesCsv(ctx, csv)).created).toEqual({ places: 2 });
    const building = await ctx.store.db
      .selectFrom('places')
      .selectAll()
      .where('address', '=', '新桥路8弄1号')
      .executeTakeFirstOrThrow();
    const compound = await ctx.store.db
      .selectFrom('places')
      .selectAll()
      .where('address', '=', '新桥路8弄')
      .executeTakeFirstOrThrow();
    expect(building.parent_place_id).toBe(compound.id);
    expect(building.floors).toBe(18);
  });

  it('imports people with households, workplaces and flags, hashing their id numbers', async () => {
    const before = await count('people');
    const csv = [
      'id_number,name,phone,birth_year,sex,street_code,committee_code,place_id,address,household,floor,workplace,occupation,vulnerable',
      `${ID_A},赵一,13912345678,1980,M,310101003,310101003001,,新桥路8弄1号,h1,12,黄浦快递站,delivery,`,
      `${ID_B},钱二,13912345679,1982,女,310101003,310101003001,,新桥路8弄1号,h1,12,,,pregnancy`,
      `${ID_C.toLowerCase()},孙三,,2015,F,310101001,310101001001,1001,,h2,3,,,chronic;disability`,
    ].join('\n');
    const summary = await importPeopleCsv(ctx, csv);
    expect(summary).toEqual({ rows: 3, created: { households: 2, people: 3 } });
    expect(await count('people')).toBe(before + 3);
    const rows = await ctx.store.db
      .selectFrom('people')
      .selectAll()
      .where('id', '>', 5)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.name)).toEqual(['赵一', '钱二', '孙三']);
    expect(rows[0].household_id).toBe(rows[1].household_id);
    expect(rows[0].workplace_org_id).toBe(500);
    expect(rows[1].sex).toBe('F');
    expect(rows[2].vulnerable).toBe('chronic,disability');
    expect(rows[2].place_id).toBe(1001);
    expect(rows[0].id_hash?.toString('hex')).toBe(hashNationalId(ctx.secrets.idHashKey, ID_A));
    expect(rows[2].id_hash?.toString('hex')).toBe(hashNationalId(ctx.secrets.idHashKey, ID_C));
    expect(JSON.stringify(rows)).not.toContain(ID_A.slice(0, 17));
    expect(new Set(rows.map((r) => r.ref)).size).toBe(3);
    const record = await ctx.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'people.import')
      .executeTakeFirstOrThrow();
    expect(record.username).toBe('cli:import');
    expect(JSON.parse(record.details!)).toMatchObject({ people: 3, firstId: rows[0].id, lastId: rows[2].id });
  });

  it('rejects a file with a bad line, names every line and field, and changes nothing', async () => {
    const before = { people: await count('people'), households: await count('households') };
    const csv = [
      'id_number,name,phone,birth_year,sex,street_code,committee_code,place_id,address,household,floor,workplace,occupation,vulnerable',
      `${makeNationalId('310104', '19900101', 20, 'M')},周四,13900000001,1990,M,310104001,,,,h9,,,,`,
      `310104199001010000,吴五,13900000002,1850,X,310104001,,,,,,,,`,
      `${ID_A},郑六,13900000003,1970,M,310199001,,,,,,,teacher,`,
      `${ID_B},王七,13900000004,1971,F,310104001,,,不存在路1号,,,不存在的公司,,asthma`,
    ].join('\n');
    const error = await failure(importPeopleCsv(ctx, csv));
    expect(error.code).toBe('import_failed');
    const at = (line: number, field: string) =>
      error.details.find((d) => d.line === line && d.field === field);
    expect(at(3, 'birth_year')?.message).toBe('expected a year between 1900 and 2022');
    expect(at(3, 'id_number')?.message).toMatch(/check character/);
    expect(at(3, 'sex')).toBeDefined();
    expect(at(4, 'occupation')).toBeDefined();
    expect(at(5, 'vulnerable')).toBeDefined();
    expect(error.message).toMatch(/line 3, field/);
    expect(await count('people')).toBe(before.people);
    expect(await count('households')).toBe(before.households);
    expect(JSON.stringify(error.details)).not.toContain(ID_A);
  });

  it('checks references and duplicates before writing anything', async () => {
    const before = await count('people');
    const csv = [
      'id_number,name,street_code,committee_code,place_id,address,workplace',
      `${ID_A},郑六,310199001,,,,`,
      `${ID_B},王七,310104001,,,不存在路1号,`,
      `${makeNationalId('310104', '19910101', 21, 'M')},冯八,310104001,310101001001,,,`,
      `${makeNationalId('310104', '19920101', 22, 'M')},陈九,310104001,,1001,,不存在的公司`,
      `${makeNationalId('310104', '19920101', 22, 'M')},褚十,310104001,,,,`,
    ].join('\n');
    const error = await failure(importPeopleCsv(ctx, csv));
    const fields = error.details.map((d) => `${d.line}:${d.field}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        '2:street_code',
        '3:address',
        '3:id_number',
        '4:committee_code',
        '5:place_id',
        '5:workplace',
        '6:id_number',
      ]),
    );
    expect(error.details.find((d) => d.line === 3 && d.field === 'id_number')?.message).toBe(
      'a person with this id_number is already registered',
    );
    expect(error.details.find((d) => d.line === 6)?.message).toBe('the same id_number as line 5');
    expect(await count('people')).toBe(before);
  });

  it('reports missing columns and unreadable files at line 1', async () => {
    const error = await failure(importPlacesCsv(ctx, 'kind,name\nbuilding,x\n'));
    expect(error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 1, field: 'street_code' }),
        expect.objectContaining({ line: 1, field: 'address' }),
      ]),
    );
    const regions = await failure(
      importRegionsCsv(ctx, 'code,name,level,parent_code\n310101,重复,district,310000\n'),
    );
    expect(regions.details[0]).toMatchObject({
      line: 2,
      field: 'code',
      message: 'region 310101 already exists',
    });
  });
});
