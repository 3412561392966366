import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app/context.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

const HOUR = 3_600_000;

/**
 * Through the real chain of capabilities: screening's `result.positive` → the cases service makes
 * a case and publishes `case.created` → tracing opens the investigation and adds the household;
 * the household contact's own positive quarantine test → a second case, linked to the first.
 */
describe.each(testDialects())(
  'a contact’s positive test becomes a linked case, end to end, on %s',
  (dialect) => {
    let ctx: TestContext;
    const positive = async (personId: number, tubeCode: string, source: 'screening' | 'quarantine_test') => {
      await inTransaction(ctx, async (uow) => {
        uow.publish({
          type: 'result.positive',
          occurredAt: uow.now,
          regionIds: [FIXTURE.streetA1],
          personId,
          payload: {
            personId,
            tubeCode,
            roundId: null,
            sampledAt: uow.now - 6 * HOUR,
            resultedAt: uow.now,
            ct: 24,
            source,
          },
        });
      });
      await ctx.events.drain();
    };
    const caseOf = (personId: number) =>
      ctx.store.db
        .selectFrom('tracing_investigations')
        .selectAll()
        .where('person_id', '=', personId)
        .executeTakeFirst();

    beforeAll(async () => {
      ctx = await openTestContext(dialect);
      await loadFixture(ctx);
    });
    afterAll(async () => {
      await ctx.close();
    });

    it('a screening positive opens an investigation with the household under quarantine', async () => {
      await positive(FIXTURE.personA1, 'SH-T-1', 'screening');
      const first = await caseOf(FIXTURE.personA1);
      expect(first).toBeDefined();
      const contacts = await ctx.store.db
        .selectFrom('tracing_contacts')
        .selectAll()
        .where('case_id', '=', first!.case_id)
        .execute();
      expect(contacts.find((c) => c.person_id === FIXTURE.personA2)).toMatchObject({
        degree: 'close',
        status: 'confirmed',
      });
    });

    it('the contact’s positive quarantine test makes a case whose source is the first case', async () => {
      ctx.clock.advance(30 * HOUR);
      await positive(FIXTURE.personA2, 'SH-T-2', 'quarantine_test');
      const first = (await caseOf(FIXTURE.personA1))!;
      const second = await caseOf(FIXTURE.personA2);
      expect(second).toMatchObject({
        source_status: 'linked',
        cluster_id: Math.min(first.case_id, second!.case_id),
      });
      const links = await ctx.store.db
        .selectFrom('tracing_source_links')
        .selectAll()
        .where('case_id', '=', second!.case_id)
        .execute();
      expect(links.map((l) => [l.source_case_id, l.basis])).toEqual([[first.case_id, 'contact']]);
    });
  },
);
