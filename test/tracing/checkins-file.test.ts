import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCheckinsFile } from '../../src/app/tracing/checkins-file.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { addVenues, VENUE_A, VENUE_B } from './support.ts';

const T0 = Date.parse('2022-04-12T02:00:00Z');

describe.each(testDialects())('check-in file import on %s', (dialect) => {
  let ctx: TestContext;
  const write = (name: string, text: string) => {
    const file = path.join(ctx.dataDir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const count = async () =>
    Number(
      (
        await ctx.store.db
          .selectFrom('tracing_checkins')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    await addVenues(ctx);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('refuses the whole file for one bad line and names it', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => `${VENUE_A},${FIXTURE.personA1},${T0 + i * 1000}`);
    rows.push(`${VENUE_B},${FIXTURE.personB1},2022-04-12 10:00`);
    const file = write('bad.csv', `venue_id,person_id,at\n${rows.join('\n')}\n`);
    const error = await importCheckinsFile(ctx, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('import_failed');
    expect((error as DomainError).details[0]).toMatchObject({ line: 252, field: 'at' });
    expect(await count()).toBe(0);
  });

  it('refuses a file whose header is not venue_id,person_id,at', async () => {
    const file = write('header.csv', `person_id,venue_id,at\n${FIXTURE.personA1},${VENUE_A},${T0}\n`);
    const error = (await importCheckinsFile(ctx, file).catch((e: unknown) => e)) as DomainError;
    expect(error.details[0].line).toBe(1);
  });

  it('stores a good file, and a second import of it adds nothing', async () => {
    const file = write(
      'good.csv',
      `venue_id,person_id,at\n${VENUE_A},${FIXTURE.personA1},${T0}\n${VENUE_B},${FIXTURE.personB1},2022-04-12T10:05:00+08:00\n`,
    );
    expect(await importCheckinsFile(ctx, file)).toEqual({ received: 2, inserted: 2 });
    expect(await importCheckinsFile(ctx, file)).toEqual({ received: 2, inserted: 0 });
    const rows = await ctx.store.db.selectFrom('tracing_checkins').selectAll().orderBy('venue_id').execute();
    expect(rows.map((r) => [r.venue_id, r.district_id, r.person_district_id])).toEqual([
      [VENUE_A, FIXTURE.districtA, FIXTURE.districtA],
      [VENUE_B, FIXTURE.districtB, FIXTURE.districtB],
    ]);
  });
});
