import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activateRuleSet,
  copyRuleSet,
  getActiveRuleSet,
  listRuleSets,
} from '../../src/app/kernel/rule-sets.ts';
import { DomainError } from '../../src/domain/errors.ts';
import {
  contactsEditionEdits,
  copyRuleBundle,
  parseRuleBundle,
  SHIPPED_RULE_SETS,
  shippedRuleSet,
} from '../../src/domain/rules/catalogue.ts';
import { contactSchedule } from '../../src/domain/rules/contact-schedule.ts';
import { RULE_SECTIONS, type RuleBundle } from '../../src/domain/rules/schema.ts';
import { CONTACTS_8TH } from '../../src/domain/rules/sets/common.ts';
import { loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

const set = (name: string): RuleBundle => shippedRuleSet(name)!;

function validationFields(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).details.map((d) => d.field ?? '');
  }
  throw new Error('expected a validation error');
}

describe('rule-set bundles (pure)', () => {
  it('ships the three sets of SPEC, each valid against the schema', () => {
    expect(SHIPPED_RULE_SETS.map((s) => s.name)).toEqual([
      'shanghai-2022-04-11',
      'shanghai-2022-05-16',
      'national-9th',
    ]);
    for (const s of SHIPPED_RULE_SETS) expect(parseRuleBundle(structuredClone(s)).name).toBe(s.name);
  });

  it('rejects a broken copy and names the field', () => {
    const source = set('shanghai-2022-05-16');
    expect(
      validationFields(() =>
        copyRuleBundle(source, 'broken', 1, { pooling: { byZone: { controlled: { size: 7 } } } }),
      ),
    ).toEqual(['edits.pooling.byZone.controlled.size']);
    expect(
      validationFields(() =>
        copyRuleBundle(source, 'broken', 1, { contacts: { close: { quarantine: { testDays: [1, 9] } } } }),
      ),
    ).toEqual(['edits.contacts.close.quarantine.testDays.1']);
    expect(
      validationFields(() =>
        copyRuleBundle(source, 'broken', 1, { community: { insideControlKinds: ['lockdown'] } }),
      ),
    ).toEqual(['edits.community.insideControlKinds.0']);
    // A typo is an error, not a silently ignored key.
    expect(
      validationFields(() =>
        copyRuleBundle(source, 'broken', 1, { discharge: { shelterHospital: { minCT: 30 } } }),
      ),
    ).toEqual(['edits.discharge.shelterHospital']);
    expect(
      validationFields(() =>
        copyRuleBundle(source, 'broken', 1, {
          zones: { onNewPositive: { level: 'sealed', phase: 'home_monitoring' } },
        }),
      ),
    ).toEqual(['edits.zones.onNewPositive.phase']);
  });

  it('carries SPEC numbers: pooling, contacts (9th and 8th editions), community, status, discharge', () => {
    for (const s of SHIPPED_RULE_SETS) {
      expect(s.pooling.allowedSizes).toEqual([1, 5, 10, 20]);
      expect(s.pooling.byZone.sealed.size).toBe(1);
      expect(s.pooling.byZone.quarantine.size).toBe(1);
      expect(s.pooling.byZone.controlled.size).toBe(10);
      expect(s.pooling.byZone.elsewhere.size).toBe(20);
      expect(s.pooling.firstRoundSize).toBe(10);
      expect(s.pooling.fullSamplingWithinHours).toBe(24);
      expect(s.contacts.edition).toBe('9th');
      expect(s.contacts.close.quarantine).toMatchObject({
        days: 7,
        setting: 'central',
        testDays: [1, 2, 3, 5, 7],
      });
      expect(s.contacts.close.homeMonitoring).toMatchObject({ days: 3, testDays: [3] });
      expect(s.contacts.secondary.quarantine).toMatchObject({
        days: 7,
        setting: 'home',
        testDays: [1, 4, 7],
      });
      expect(s.contacts.exposureWindowDays).toBe(4);
      expect(s.contacts.coPresenceWindowMinutes).toBe(30);
      expect(s.contacts.floorRadiusUnderLockdown).toBe(1);
      expect(s.community.basicallyCleared).toMatchObject({ maxPer100kPerDay: 1, consecutiveDays: 3 });
      expect(s.community.cleared).toMatchObject({ maxPerDay: 0, consecutiveDays: 3 });
      expect(s.discharge.shelterHospital).toEqual({ consecutiveNegatives: 2, minCt: 35, minHoursApart: 24 });
      const colour = Object.fromEntries(s.status.reasons.map((r) => [r.code, r.colour]));
      expect(colour).toMatchObject({
        confirmed_case: 'red',
        lives_in_sealed_place: 'red',
        screening_overdue: 'yellow',
        secondary_contact: 'yellow',
      });
    }
    expect(CONTACTS_8TH.close.quarantine).toMatchObject({ days: 14, testDays: [1, 4, 7, 14] });
    expect(CONTACTS_8TH.close.homeMonitoring?.days).toBe(7);
    expect(set('shanghai-2022-05-16').community.insideControlKinds).not.toContain('controlled_residence');
    expect(set('shanghai-2022-04-11').community.insideControlKinds).toContain('controlled_residence');
  });

  it('holds the zone transition tables as data', () => {
    const april = set('shanghai-2022-04-11').zones;
    expect(april.transitions[1]).toMatchObject({
      from: { level: 'sealed', phase: 'home_monitoring' },
      to: { level: 'precaution' },
      when: [
        { kind: 'period_days_completed', days: 14 },
        { kind: 'no_positive_in_period' },
        { kind: 'everyone_negative_on_day', day: 13 },
      ],
    });
    expect(april.transitions[2].when).toContainEqual({ kind: 'everyone_negative_on_day', day: 6 });
    expect(april.buildingStaysSealed).toEqual({
      duringPhase: 'closed',
      untilPeriodDay: 14,
      restOfCompoundTo: { level: 'controlled', phase: 'monitoring' },
    });
    const may = set('shanghai-2022-05-16').zones;
    expect(may.transitions.map((t) => t.when)).toEqual([
      [{ kind: 'days_without_positive', days: 7 }],
      [{ kind: 'days_without_positive', days: 10 }],
    ]);
    const national = set('national-9th').zones;
    expect(national.riskAreaMapping).toEqual({ high: 'sealed', medium: 'controlled', low: 'precaution' });
    expect(national.transitions.find((t) => t.from.phase === 'designated')?.when).toEqual([
      { kind: 'period_days_completed', days: 7 },
    ]);
  });

  it('schedules a close contact from the 9th edition and the 8th', () => {
    const ninth = contactSchedule(set('national-9th').contacts, 'close', '2022-04-13');
    expect(ninth.tests.map((t) => `${t.phase}:${t.dayNumber}:${t.day}`)).toEqual([
      'quarantine:1:2022-04-13',
      'quarantine:2:2022-04-14',
      'quarantine:3:2022-04-15',
      'quarantine:5:2022-04-17',
      'quarantine:7:2022-04-19',
      'home_monitoring:3:2022-04-22',
    ]);
    expect(ninth.phases[1]).toMatchObject({ firstDay: '2022-04-20', lastDay: '2022-04-22' });
    const eighth = copyRuleBundle(set('national-9th'), 'eighth', 1, contactsEditionEdits('8th'));
    const schedule = contactSchedule(eighth.contacts, 'close', '2022-04-13');
    expect(schedule.phases.map((p) => [p.firstDay, p.lastDay])).toEqual([
      ['2022-04-13', '2022-04-26'],
      ['2022-04-27', '2022-05-03'],
    ]);
    expect(schedule.tests.filter((t) => t.phase === 'quarantine').map((t) => t.dayNumber)).toEqual([
      1, 4, 7, 14,
    ]);
  });
});

describe.each(testDialects())('rule-set store on %s', (dialect) => {
  let ctx: TestContext;
  const admin = { userId: 1, username: 'admin' };
  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('defaults to the configured set and switches every section at once', async () => {
    const before = await getActiveRuleSet(ctx);
    expect(before.name).toBe('shanghai-2022-05-16');
    const after = await activateRuleSet(ctx, 'shanghai-2022-04-11', admin);
    const active = await getActiveRuleSet(ctx);
    expect(active).toEqual(after);
    for (const section of RULE_SECTIONS) expect(active[section]).toEqual(set('shanghai-2022-04-11')[section]);
    expect(active.community.insideControlKinds).toContain('controlled_residence');
    expect(active.zones.buildingStaysSealed).not.toBeNull();
    const national = await activateRuleSet(ctx, 'national-9th', admin);
    expect((await getActiveRuleSet(ctx)).zones.model).toBe('risk_areas');
    expect(national.name).toBe('national-9th');
    const events = await ctx.store.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'rules.activated')
      .execute();
    expect(events.map((e) => JSON.parse(e.payload).name)).toEqual(['shanghai-2022-04-11', 'national-9th']);
  });

  it('refuses an unknown set and keeps the active one', async () => {
    await expect(activateRuleSet(ctx, 'nowhere-2022', admin)).rejects.toMatchObject({ code: 'not_found' });
    expect((await getActiveRuleSet(ctx)).name).toBe('national-9th');
  });

  it('copies with edits, bumps the version on each save, and applies at once when active', async () => {
    const first = await copyRuleSet(
      ctx,
      'shanghai-2022-05-16',
      'district-x',
      { pooling: { byZone: { controlled: { size: 5 } } } },
      admin,
    );
    expect(first).toMatchObject({ name: 'district-x', version: 1, basedOn: 'shanghai-2022-05-16@1' });
    await activateRuleSet(ctx, 'district-x', admin);
    expect((await getActiveRuleSet(ctx)).pooling.byZone.controlled.size).toBe(5);
    const second = await copyRuleSet(ctx, 'district-x', 'district-x', contactsEditionEdits('8th'), admin);
    expect(second).toMatchObject({ version: 2, basedOn: 'district-x@1' });
    const active = await getActiveRuleSet(ctx);
    expect(active.version).toBe(2);
    expect(active.contacts.close.quarantine.testDays).toEqual([1, 4, 7, 14]);
    expect(active.pooling.byZone.controlled.size).toBe(5);
    const listed = await listRuleSets(ctx);
    expect(listed.find((s) => s.name === 'district-x')).toMatchObject({
      shipped: false,
      active: true,
      version: 2,
    });
    expect(listed.filter((s) => s.shipped)).toHaveLength(3);
  });

  it('saves nothing from a broken copy and refuses to overwrite a shipped set', async () => {
    await expect(
      copyRuleSet(ctx, 'district-x', 'district-x', { sameDay: { dayOf: 'tomorrow' } }, admin),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      details: [expect.objectContaining({ field: 'edits.sameDay.dayOf' })],
    });
    expect((await getActiveRuleSet(ctx)).version).toBe(2);
    await expect(copyRuleSet(ctx, 'district-x', 'national-9th', {}, admin)).rejects.toMatchObject({
      code: 'conflict',
    });
  });
});
