import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app/context.ts';
import { endEpisodes, openEpisode } from '../../src/app/kernel/control-episodes.ts';
import { createTestOrder, fulfilTestOrders } from '../../src/app/kernel/test-orders.ts';
import { recordArrival, recordExemption, revokeExemption } from '../../src/app/status/corrections.ts';
import { statusHistory } from '../../src/app/status/history.ts';
import { computePersonStatus } from '../../src/app/status/status.ts';
import { recordPositive } from '../../src/app/cases/intake.ts';
import { SYSTEM_ACTOR } from '../../src/app/cases/actor.ts';
import type { ControlKind } from '../../src/domain/kernel/control-episodes.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { approveAll, at, commandA, commandB, dayOfProposals, reportCase } from '../zones/helpers.ts';

/**
 * Each status reason of the default status section appears with its cause and clears when the
 * cause clears — by a service, or by the clock alone — with the worst colour winning.
 */
const HOUR = 3_600_000;
const street: typeof commandA = {
  userId: 902,
  username: 'nanjing-street',
  role: 'street_staff',
  scope: { kind: 'region', regionId: FIXTURE.streetA1 },
};

describe.each(testDialects())('status reasons on %s', (dialect) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await openTestContext(dialect, {
      now: at('2022-04-13'),
      config: { ruleSet: 'shanghai-2022-05-16' },
    });
    await loadFixture(ctx);
  });
  afterEach(async () => {
    await ctx.close();
  });

  const status = async (personId: number) => computePersonStatus(ctx, personId);
  const codes = async (personId: number) => (await status(personId)).reasons.map((r) => r.code);
  const open = (personId: number, kind: ControlKind, sourceType: string, until: number | null = null) =>
    inTransaction(ctx, (uow) =>
      openEpisode(uow, { personId, kind, until, source: { type: sourceType, id: `${personId}-${kind}` } }),
    );
  const end = (personId: number, kind: ControlKind, sourceType: string) =>
    inTransaction(ctx, (uow) =>
      endEpisodes(uow, { source: { type: sourceType, id: `${personId}-${kind}` } }, 'cleared in test'),
    );

  it('is green with no cause', async () => {
    expect(await status(FIXTURE.personA1)).toMatchObject({ colour: 'green', reasons: [], waived: [] });
  });

  it('red reasons: confirmed case, close contact, pool positive, sealed home — each clears with its cause', async () => {
    await open(1, 'isolation', 'case');
    await open(2, 'quarantine', 'tracing.close_contact', at('2022-04-20', 0));
    await open(3, 'pool_hold', 'screening.pool');
    await inTransaction(ctx, (uow) =>
      createTestOrder(uow, {
        personId: 3,
        reason: 'pool_retest',
        dueAt: at('2022-04-14'),
        source: { type: 'screening.pool', id: 'p1' },
      }),
    );
    expect(await status(1)).toMatchObject({
      colour: 'red',
      reasons: [{ code: 'confirmed_case', colour: 'red', since: at('2022-04-13') }],
    });
    expect(await status(2)).toMatchObject({
      colour: 'red',
      reasons: [{ code: 'close_contact_in_quarantine', until: at('2022-04-20', 0) }],
    });
    expect(await codes(3)).toEqual(['pool_positive_awaiting_retest']);

    ctx.clock.set(at('2022-04-14'));
    await end(1, 'isolation', 'case');
    await inTransaction(ctx, (uow) =>
      fulfilTestOrders(uow, 3, { sampledAt: at('2022-04-13', 18), singleTube: true, ref: 'tube:R3' }),
    );
    expect(await codes(3)).toEqual(['pool_positive_awaiting_retest']);
    await end(3, 'pool_hold', 'screening.pool');
    expect(await status(1)).toMatchObject({ colour: 'green' });
    expect(await status(3)).toMatchObject({ colour: 'green' });
    // The clock alone ends the quarantine at its planned end.
    expect(await codes(2)).toEqual(['close_contact_in_quarantine']);
    ctx.clock.set(at('2022-04-20', 0));
    expect(await status(2)).toMatchObject({ colour: 'green' });
  });

  it('a reported case is red at once, before any admission, and seals its home through the real intake', async () => {
    await inTransaction(ctx, (uow) =>
      recordPositive(
        ctx,
        uow,
        {
          personId: 2,
          source: 'clinic',
          sourceRef: 'R-2',
          sampledAt: at('2022-04-13', 8),
          reportedAt: at('2022-04-13', 9),
        },
        SYSTEM_ACTOR,
      ),
    );
    expect(await codes(2)).toContain('confirmed_case');
    expect((await status(2)).reasons.find((r) => r.code === 'confirmed_case')?.since).toBe(
      at('2022-04-13', 9),
    );
    await ctx.events.drain();
    // The case.created consumer sealed the compound: the neighbour in the next flat is red too.
    expect(await codes(3)).toContain('lives_in_sealed_place');
  });

  it('sealed and controlled homes follow the zone: red, then yellow, then nothing as it steps down', async () => {
    await reportCase(ctx, FIXTURE.personB1, FIXTURE.buildingB1, '2022-04-13', FIXTURE.districtB);
    const zoneCodes = async () => (await codes(FIXTURE.personB2)).filter((c) => c.startsWith('lives_in'));
    // (Tracing also makes the household member a close contact; the zone reason stands beside it.)
    expect(await status(FIXTURE.personB2)).toMatchObject({ colour: 'red' });
    expect(await zoneCodes()).toEqual(['lives_in_sealed_place']);
    await dayOfProposals(ctx, '2022-04-21');
    await approveAll(ctx, commandB);
    expect(await zoneCodes()).toEqual(['lives_in_controlled_place']);
    await dayOfProposals(ctx, '2022-04-24');
    await approveAll(ctx, commandB);
    expect(await zoneCodes()).toEqual([]);
  });

  it('yellow reasons: a contact of a contact until the quarantine ends by the clock', async () => {
    await open(1, 'quarantine', 'tracing.secondary_contact', at('2022-04-20', 0));
    expect(await status(1)).toMatchObject({ colour: 'yellow', reasons: [{ code: 'secondary_contact' }] });
    ctx.clock.set(at('2022-04-19', 23));
    expect(await codes(1)).toEqual(['secondary_contact']);
    ctx.clock.set(at('2022-04-20', 0));
    expect(await codes(1)).toEqual([]);
  });

  it('应检未检: yellow the moment a duty deadline passes, green again after a negative test', async () => {
    const due = at('2022-04-14');
    await inTransaction(ctx, (uow) =>
      createTestOrder(uow, {
        personId: 1,
        reason: 'screening_duty',
        dueAt: due,
        source: { type: 'compliance.duty', id: '9:i' },
      }),
    );
    ctx.clock.set(due);
    expect(await status(1)).toMatchObject({ colour: 'green' });
    ctx.clock.set(due + 1);
    expect(await status(1)).toMatchObject({
      colour: 'yellow',
      reasons: [{ code: 'screening_overdue', since: due }],
    });
    await inTransaction(ctx, (uow) =>
      fulfilTestOrders(uow, 1, { sampledAt: due + HOUR, singleTube: false, ref: 'tube:P20' }),
    );
    ctx.clock.set(due + 2 * HOUR);
    expect(await status(1)).toMatchObject({ colour: 'green' });
  });

  it('an arrival from a high-risk area is yellow for 7 calendar days, then clears by the clock', async () => {
    await recordArrival(ctx, street, 2, {
      arrivedAt: at('2022-04-13', 9),
      fromLevel: 'sealed',
      origin: '浦东新区 某小区',
    });
    expect(await status(2)).toMatchObject({
      colour: 'yellow',
      reasons: [{ code: 'arrived_from_risk_area', until: at('2022-04-20', 0) }],
    });
    ctx.clock.set(at('2022-04-19', 23));
    expect(await codes(2)).toEqual(['arrived_from_risk_area']);
    ctx.clock.set(at('2022-04-20', 0));
    expect(await codes(2)).toEqual([]);
    await expect(
      recordArrival(ctx, street, 4, { arrivedAt: at('2022-04-13', 9), fromLevel: 'high', origin: 'x' }),
    ).rejects.toMatchObject({ code: 'out_of_scope' });
  });

  it('the worst colour wins and every reason is listed', async () => {
    await open(1, 'quarantine', 'tracing.close_contact');
    await open(1, 'controlled_residence', 'test');
    await recordArrival(ctx, street, 1, {
      arrivedAt: at('2022-04-12'),
      fromLevel: 'controlled',
      origin: '闵行区',
    });
    const s = await status(1);
    expect(s.colour).toBe('red');
    expect(s.reasons.map((r) => r.code)).toEqual([
      'close_contact_in_quarantine',
      'lives_in_controlled_place',
      'arrived_from_risk_area',
    ]);
  });

  it('an exemption waives a yellow reason for its period, is audited, and cannot waive red', async () => {
    await inTransaction(ctx, (uow) =>
      createTestOrder(uow, {
        personId: 3,
        reason: 'screening_duty',
        dueAt: at('2022-04-13', 0),
        source: { type: 'compliance.duty', id: '9:i' },
      }),
    );
    expect(await codes(3)).toEqual(['screening_overdue']);
    const x = await recordExemption(ctx, street, 3, {
      reasonCode: 'screening_overdue',
      kind: 'in_hospital',
      note: '住院中 in hospital since 10 April',
      until: at('2022-04-16'),
    });
    expect(await status(3)).toMatchObject({
      colour: 'green',
      waived: [{ code: 'screening_overdue', exemption: { kind: 'in_hospital' } }],
    });
    const audited = await ctx.store.db
      .selectFrom('audit_log')
      .select(['action', 'reason', 'subject_ids'])
      .where('action', '=', 'status.exempt')
      .execute();
    expect(audited).toEqual([
      { action: 'status.exempt', reason: '住院中 in hospital since 10 April', subject_ids: '[3]' },
    ]);
    ctx.clock.set(at('2022-04-16'));
    expect(await codes(3)).toEqual(['screening_overdue']);
    ctx.clock.set(at('2022-04-15'));
    await revokeExemption(ctx, street, x.id, 'discharged on the 15th');
    expect(await codes(3)).toEqual(['screening_overdue']);
    await open(3, 'isolation', 'case');
    await expect(
      recordExemption(ctx, street, 3, {
        reasonCode: 'confirmed_case',
        kind: 'record_error',
        note: 'wrong person',
        until: at('2022-04-16'),
      }),
    ).rejects.toMatchObject({ details: [{ field: 'reasonCode' }] });
  });

  it('keeps the history of changes, recorded as they happen', async () => {
    await open(1, 'quarantine', 'tracing.secondary_contact', at('2022-04-15', 0));
    await ctx.events.drain();
    ctx.clock.set(at('2022-04-14'));
    await open(1, 'isolation', 'case');
    await ctx.events.drain();
    ctx.clock.set(at('2022-04-16'));
    await end(1, 'isolation', 'case');
    await ctx.events.drain();
    const { current, history } = await statusHistory(ctx, street, 1);
    expect(current.colour).toBe('green');
    expect(history.map((h) => `${h.colour}:${h.reasons.join('+')}`)).toEqual([
      'green:',
      'red:confirmed_case',
      'red:confirmed_case+secondary_contact',
      'yellow:secondary_contact',
    ]);
    expect(history[2].since).toBe(at('2022-04-14'));
  });
});
