import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCase } from '../../src/app/cases/case-commands.ts';
import { activateRuleSet } from '../../src/app/kernel/rule-sets.ts';
import { RESULT_CONSUMER } from '../../src/app/cases/result-consumer.ts';
import type { ControlKind } from '../../src/domain/kernel/control-episodes.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { addPeople, HOUR, P, PEOPLE_A, publishPositive, putUnderControl } from './support.ts';

describe.each(testDialects())('case intake on %s', (dialect) => {
  let ctx: TestContext;
  const now = () => ctx.clock.now();
  const casesOf = (personId: number) =>
    ctx.store.db.selectFrom('cases').selectAll().where('person_id', '=', personId).execute();
  const eventsOf = (type: string) =>
    ctx.store.db.selectFrom('events').selectAll().where('type', '=', type).orderBy('id').execute();

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('a positive result creates exactly one case, also when delivered twice', async () => {
    const r = {
      personId: FIXTURE.personA1,
      tubeCode: 'SH0001',
      sampledAt: now() - 6 * HOUR,
      resultedAt: now() - HOUR,
    };
    await publishPositive(ctx, r, 2);
    // Redelivery of the same events (an offset lost in a crash): the source key still holds.
    await ctx.store.db
      .updateTable('consumer_offsets')
      .set({ last_seq: 0 })
      .where('consumer', '=', RESULT_CONSUMER)
      .execute();
    await ctx.events.drain();
    const cases = await casesOf(FIXTURE.personA1);
    expect(cases).toHaveLength(1);
    const [c] = cases;
    expect(c.state).toBe('awaiting_transfer');
    expect(c.source).toBe('screening');
    expect(c.source_ref).toBe('SH0001');
    expect(c.sampled_day).toBe('2022-04-13');
    const orders = await ctx.store.db
      .selectFrom('transfer_orders')
      .selectAll()
      .where('case_id', '=', c.id)
      .execute();
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      status: 'waiting',
      need: 'case_asymptomatic',
      kind: 'case',
      found_at: r.resultedAt,
    });
    const transitions = await ctx.store.db
      .selectFrom('state_transitions')
      .selectAll()
      .where('subject_type', '=', 'case')
      .where('subject_id', '=', c.id)
      .orderBy('id')
      .execute();
    expect(transitions.map((t) => [t.from_state, t.to_state, t.actor])).toEqual([
      [null, 'reported', 'system'],
      ['reported', 'awaiting_transfer', 'system'],
    ]);
    const created = (await eventsOf('case.created')).filter((e) => e.person_id === FIXTURE.personA1);
    expect(created).toHaveLength(1);
    expect(JSON.parse(created[0].payload)).toMatchObject({
      caseId: c.id,
      personId: FIXTURE.personA1,
      districtId: FIXTURE.districtA,
      streetId: FIXTURE.streetA1,
      placeId: FIXTURE.buildingA1,
      householdId: 1,
      sampledAt: r.sampledAt,
      reportedAt: r.resultedAt,
      classification: 'community',
      sourceCaseId: null,
    });
    expect(JSON.parse(created[0].region_ids)).toEqual(
      expect.arrayContaining([FIXTURE.committeeA1, FIXTURE.streetA1, FIXTURE.districtA, FIXTURE.city]),
    );
  });

  it('a further positive of a live case is not a new case', async () => {
    await publishPositive(ctx, {
      personId: FIXTURE.personA1,
      tubeCode: 'SH0002',
      sampledAt: now() - 2 * HOUR,
      resultedAt: now() - HOUR / 2,
    });
    expect(await casesOf(FIXTURE.personA1)).toHaveLength(1);
  });

  it('takes risk from the registry: an 82-year-old goes to a designated hospital', async () => {
    await publishPositive(ctx, {
      personId: FIXTURE.personA3,
      tubeCode: 'SH0003',
      sampledAt: now() - 5 * HOUR,
      resultedAt: now() - HOUR,
    });
    const [c] = await casesOf(FIXTURE.personA3);
    expect(c).toMatchObject({ high_risk: 1, risk_factors: 'age' });
    const [order] = await ctx.store.db
      .selectFrom('transfer_orders')
      .selectAll()
      .where('case_id', '=', c.id)
      .execute();
    expect(order).toMatchObject({ need: 'case_severe', need_reason: 'high_risk:age' });
  });

  const situations: [string, ControlKind | null, { may: string; april: string }][] = [
    ['in quarantine', 'quarantine', { may: 'inside_control', april: 'inside_control' }],
    ['in isolation', 'isolation', { may: 'inside_control', april: 'inside_control' }],
    ['on pool hold', 'pool_hold', { may: 'inside_control', april: 'inside_control' }],
    ['in a sealed residence', 'sealed_residence', { may: 'inside_control', april: 'inside_control' }],
    ['in a controlled residence', 'controlled_residence', { may: 'community', april: 'inside_control' }],
    ['in home monitoring (precaution zone)', 'home_monitoring', { may: 'community', april: 'community' }],
    ['under no control', null, { may: 'community', april: 'community' }],
  ];

  for (const [ruleSet, key] of [
    ['shanghai-2022-05-16', 'may'],
    ['shanghai-2022-04-11', 'april'],
  ] as const) {
    it.each(situations)(`classifies a case found %s under ${ruleSet}`, async (_label, kind, expected) => {
      await activateRuleSet(ctx, ruleSet, { userId: null, username: 'test' });
      const [person] = await addPeople(ctx, 1, PEOPLE_A);
      const sampledAt = now() - 3 * HOUR;
      if (kind) await putUnderControl(ctx, person, kind, sampledAt - 24 * HOUR);
      await publishPositive(ctx, {
        personId: person,
        tubeCode: `T-${person}`,
        sampledAt,
        resultedAt: now() - HOUR,
      });
      const [c] = await casesOf(person);
      expect(c.classification).toBe(expected[key]);
      expect(c.rule_set).toBe(`${ruleSet}@1`);
    });
  }

  it('reads control at the sampling instant, not at the report', async () => {
    await activateRuleSet(ctx, 'shanghai-2022-05-16', { userId: null, username: 'test' });
    const [ended, later] = await addPeople(ctx, 2, PEOPLE_A);
    const sampledAt = now() - 10 * HOUR;
    await putUnderControl(ctx, ended, 'quarantine', sampledAt - 48 * HOUR, sampledAt - HOUR);
    await putUnderControl(ctx, later, 'quarantine', sampledAt + HOUR);
    for (const p of [ended, later]) {
      await publishPositive(ctx, { personId: p, tubeCode: `T-${p}`, sampledAt, resultedAt: now() - HOUR });
    }
    expect((await casesOf(ended))[0].classification).toBe('community');
    expect((await casesOf(later))[0].classification).toBe('community');
  });

  it('reports an unknown person as rejected and goes on with the next result', async () => {
    await publishPositive(ctx, {
      personId: 999_999,
      tubeCode: 'SH-X',
      sampledAt: now() - 2 * HOUR,
      resultedAt: now() - HOUR,
    });
    await publishPositive(ctx, {
      personId: FIXTURE.personB1,
      tubeCode: 'SH-B1',
      sampledAt: now() - 2 * HOUR,
      resultedAt: now() - HOUR,
    });
    const rejected = await eventsOf('case.intake_rejected');
    expect(JSON.parse(rejected[rejected.length - 1].payload).reason).toMatch(/person 999999 not found/);
    expect(await casesOf(999_999)).toHaveLength(0);
    expect(await casesOf(FIXTURE.personB1)).toHaveLength(1);
  });

  it('takes a clinic report through the same intake, idempotent by report number', async () => {
    const report = {
      personId: FIXTURE.personB2,
      sourceRef: 'CLINIC-7',
      sampledAt: now() - 4 * HOUR,
      reportedAt: now() - HOUR,
      severity: 'moderate' as const,
    };
    const first = await reportCase(ctx, P.districtB, report);
    const again = await reportCase(ctx, P.districtB, report);
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.caseRow.id).toBe(first.caseRow.id);
    expect(first.caseRow).toMatchObject({ source: 'clinic', severity: 'moderate' });
    const [order] = await ctx.store.db
      .selectFrom('transfer_orders')
      .selectAll()
      .where('case_id', '=', first.caseRow.id)
      .execute();
    expect(order.need).toBe('case_severe');
  });

  it('refuses a bad clinic report, naming the field, and changes nothing', async () => {
    const [person] = await addPeople(ctx, 1, PEOPLE_A);
    const before = await ctx.store.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const attempt = (r: Partial<Parameters<typeof reportCase>[2]>) =>
      reportCase(ctx, P.districtA, {
        personId: person,
        sourceRef: 'C-1',
        sampledAt: now() - 2 * HOUR,
        reportedAt: now() - HOUR,
        ...r,
      });
    await expect(attempt({ reportedAt: now() - 3 * HOUR })).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'reportedAt' }],
    });
    await expect(
      attempt({ sampledAt: now() + 2 * HOUR, reportedAt: now() + 3 * HOUR }),
    ).rejects.toMatchObject({ details: [{ field: 'sampledAt' }] });
    await expect(attempt({ ct: 80 })).rejects.toMatchObject({ details: [{ field: 'ct' }] });
    await expect(attempt({ severity: 'grave' as never })).rejects.toMatchObject({
      details: [{ field: 'severity' }],
    });
    // A person outside the reporter's district reads as unknown.
    await expect(
      reportCase(ctx, P.districtB, {
        personId: person,
        sourceRef: 'C-2',
        sampledAt: now() - 2 * HOUR,
        reportedAt: now() - HOUR,
      }),
    ).rejects.toBeInstanceOf(DomainError);
    await expect(
      reportCase(ctx, P.lab, {
        personId: person,
        sourceRef: 'C-3',
        sampledAt: now() - 2 * HOUR,
        reportedAt: now() - HOUR,
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const after = await ctx.store.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
