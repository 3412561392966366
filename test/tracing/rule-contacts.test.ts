import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app/context.ts';
import { tick } from '../../src/app/kernel/rule-runner.ts';
import { activateRuleSet, copyRuleSet } from '../../src/app/kernel/rule-sets.ts';
import { fulfilTestOrders } from '../../src/app/kernel/test-orders.ts';
import { contactsEditionEdits } from '../../src/domain/rules/catalogue.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { announceCase } from './support.ts';

const HOUR = 3_600_000;

describe.each(testDialects())('contacts by rule and quarantine plans on %s', (dialect) => {
  let ctx: TestContext;
  const contactsOf = (caseId: number) =>
    ctx.store.db
      .selectFrom('tracing_contacts')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('person_id')
      .execute();
  const ordersOf = (personId: number) =>
    ctx.store.db
      .selectFrom('test_orders')
      .selectAll()
      .where('person_id', '=', personId)
      .orderBy('due_at')
      .execute();
  const episodesOf = (personId: number) =>
    // Tracing's own episodes: zones (issue 5) also seal the case's building for its residents.
    ctx.store.db
      .selectFrom('control_episodes')
      .selectAll()
      .where('person_id', '=', personId)
      .where('source_type', 'like', 'tracing.%')
      .orderBy('from_at')
      .execute();
  const openAlerts = (rule: string) =>
    ctx.store.db
      .selectFrom('alerts')
      .selectAll()
      .where('rule', '=', rule)
      .where('resolved_at', 'is', null)
      .execute();
  const localDay = (t: number) => new Date(t + 8 * HOUR).toISOString().slice(0, 10);

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('a case opens an investigation with a 24 h deadline and an exposure window 4 days back', async () => {
    await announceCase(ctx, { caseId: 101, personId: FIXTURE.personA1 });
    const inv = await ctx.store.db
      .selectFrom('tracing_investigations')
      .selectAll()
      .where('case_id', '=', 101)
      .executeTakeFirstOrThrow();
    expect(inv.status).toBe('open');
    expect(inv.deadline_at).toBe(inv.reported_at + 24 * HOUR);
    expect(localDay(inv.exposure_from_at)).toBe('2022-04-09');
    expect(inv.source_status).toBe('unknown');
  });

  it('adds the household as close contacts and the floor above as contacts of contacts', async () => {
    const contacts = await contactsOf(101);
    expect(contacts.map((c) => [c.person_id, c.degree, c.exposure_kind, c.status, c.proposed_by])).toEqual([
      [FIXTURE.personA2, 'close', 'household', 'confirmed', 'rule'],
      [FIXTURE.personA3, 'secondary', 'floor', 'confirmed', 'rule'],
    ]);
    expect(contacts.every((c) => c.plan_edition === '9th')).toBe(true);
  });

  it('puts a close contact under 7 days of quarantine and 3 of home monitoring, tests on days 1,2,3,5,7 and home day 3', async () => {
    const episodes = await episodesOf(FIXTURE.personA2);
    expect(episodes.map((e) => [e.kind, e.source_type, localDay(e.until_at! - 1)])).toEqual([
      ['quarantine', 'tracing.close_contact', '2022-04-19'],
      ['home_monitoring', 'tracing.close_contact', '2022-04-22'],
    ]);
    const orders = await ordersOf(FIXTURE.personA2);
    expect(orders.map((o) => localDay(o.due_at - 1))).toEqual([
      '2022-04-13',
      '2022-04-14',
      '2022-04-15',
      '2022-04-17',
      '2022-04-19',
      '2022-04-22',
    ]);
    expect(orders.every((o) => o.reason === 'quarantine_day' && o.status === 'open')).toBe(true);
    // Central quarantine: the cases service holds a transfer order to a quarantine hotel.
    const transfers = await ctx.store.db
      .selectFrom('transfer_orders')
      .selectAll()
      .where('person_id', '=', FIXTURE.personA2)
      .execute();
    expect(transfers.map((t) => [t.need, t.source_type])).toEqual([
      ['close_contact', 'tracing.close_contact'],
    ]);
  });

  it('puts a contact of a contact under 7 days at home with tests on days 1, 4, 7', async () => {
    const episodes = await episodesOf(FIXTURE.personA3);
    expect(episodes.map((e) => [e.kind, e.source_type])).toEqual([
      ['quarantine', 'tracing.secondary_contact'],
    ]);
    const orders = await ordersOf(FIXTURE.personA3);
    expect(orders.map((o) => localDay(o.due_at - 1))).toEqual(['2022-04-13', '2022-04-16', '2022-04-19']);
    // At home: no transfer.
    expect(
      await ctx.store.db
        .selectFrom('transfer_orders')
        .select('id')
        .where('person_id', '=', FIXTURE.personA3)
        .execute(),
    ).toEqual([]);
  });

  it('a repeated case.created changes nothing', async () => {
    await announceCase(ctx, { caseId: 101, personId: FIXTURE.personA1 });
    expect(
      await ctx.store.db
        .selectFrom('tracing_investigations')
        .select('id')
        .where('case_id', '=', 101)
        .execute(),
    ).toHaveLength(1);
    expect(await contactsOf(101)).toHaveLength(2);
    expect(await ordersOf(FIXTURE.personA2)).toHaveLength(6);
  });

  it('a missed quarantine test day raises an alert for that contact', async () => {
    ctx.clock.set(Date.parse('2022-04-13T17:00:00Z')); // 01:00 on day 2: day 1's test is late
    await tick(ctx);
    await ctx.events.drain();
    const contact = (await contactsOf(101)).find((c) => c.person_id === FIXTURE.personA2)!;
    const alert = (await openAlerts('tracing.quarantine_test.missed')).find(
      (a) => a.subject_id === String(contact.id),
    );
    expect(alert).toBeDefined();
    expect(JSON.parse(alert!.details)).toMatchObject({ contactId: contact.id, missedTests: 1 });
    // Day 2's test, taken on day 2, answers day 2: day 1 stays missed and so does the alert.
    await inTransaction(ctx, (uow) =>
      fulfilTestOrders(uow, FIXTURE.personA2, { sampledAt: uow.now, singleTube: true, ref: 'tube:T1' }),
    );
    await ctx.events.drain();
    expect((await openAlerts('tracing.quarantine_test.missed')).map((a) => a.subject_id)).toContain(
      String(contact.id),
    );
  });

  it('an investigation still open 24 h after the report raises an alert', async () => {
    ctx.clock.set(Date.parse('2022-04-14T02:30:00Z'));
    await tick(ctx);
    await ctx.events.drain();
    const inv = await ctx.store.db
      .selectFrom('tracing_investigations')
      .selectAll()
      .where('case_id', '=', 101)
      .executeTakeFirstOrThrow();
    const alerts = await openAlerts('tracing.investigation.overdue');
    expect(alerts.map((a) => a.subject_id)).toEqual([String(inv.id)]);
  });

  it("a contact's positive makes a case linked to its source; the contact's plan ends", async () => {
    await announceCase(ctx, { caseId: 102, personId: FIXTURE.personA2 });
    const contact = (await contactsOf(101)).find((c) => c.person_id === FIXTURE.personA2)!;
    expect(contact.status).toBe('became_case');
    expect(contact.became_case_id).toBe(102);
    const links = await ctx.store.db
      .selectFrom('tracing_source_links')
      .selectAll()
      .where('case_id', '=', 102)
      .execute();
    expect(links.map((l) => [l.source_case_id, l.certainty, l.basis])).toEqual([
      [101, 'probable', 'contact'],
    ]);
    const inv = await ctx.store.db
      .selectFrom('tracing_investigations')
      .selectAll()
      .where('case_id', '=', 102)
      .executeTakeFirstOrThrow();
    expect(inv.source_status).toBe('linked');
    expect((await ordersOf(FIXTURE.personA2)).filter((o) => o.status === 'open')).toHaveLength(0);
    const episodes = await episodesOf(FIXTURE.personA2);
    expect(
      episodes.every(
        (e) => e.ended_reason === 'became case 102' && e.until_at! <= Math.max(ctx.clock.now(), e.from_at),
      ),
    ).toBe(true);
    const transfers = await ctx.store.db
      .selectFrom('transfer_orders')
      .selectAll()
      .where('person_id', '=', FIXTURE.personA2)
      .where('source_type', '=', 'tracing.close_contact')
      .execute();
    expect(transfers.map((t) => t.status)).toEqual(['cancelled']);
    // Its open orders were cancelled, so the missed-test alert is resolved.
    expect((await openAlerts('tracing.quarantine_test.missed')).map((a) => a.subject_id)).not.toContain(
      String(contact.id),
    );
    // The new case's own household contact is the first case, who is not anyone's contact.
    expect((await contactsOf(102)).map((c) => c.person_id)).toEqual([FIXTURE.personA3]);
  });

  it('the 8th edition gives close contacts 14 + 7 days with tests on days 1, 4, 7, 14', async () => {
    const actor = { userId: null, username: 'test' };
    await copyRuleSet(ctx, 'shanghai-2022-05-16', 'test-8th', contactsEditionEdits('8th'), actor);
    await activateRuleSet(ctx, 'test-8th', actor);
    ctx.clock.set(Date.parse('2022-04-15T02:00:00Z'));
    await announceCase(ctx, { caseId: 201, personId: FIXTURE.personB1 });
    const contacts = await contactsOf(201);
    expect(contacts.map((c) => [c.person_id, c.degree, c.plan_edition])).toEqual([
      [FIXTURE.personB2, 'close', '8th'],
    ]);
    const orders = await ordersOf(FIXTURE.personB2);
    expect(orders.map((o) => localDay(o.due_at - 1))).toEqual([
      '2022-04-15',
      '2022-04-18',
      '2022-04-21',
      '2022-04-28',
      '2022-04-30',
      '2022-05-05',
    ]);
    const episodes = await episodesOf(FIXTURE.personB2);
    expect(episodes.map((e) => [e.kind, localDay(e.until_at! - 1)])).toEqual([
      ['quarantine', '2022-04-28'],
      ['home_monitoring', '2022-05-05'],
    ]);
    await activateRuleSet(ctx, 'shanghai-2022-05-16', actor);
  });
});
