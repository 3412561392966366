import { z } from 'zod';
import { CONTROL_KINDS } from '../kernel/control-episodes.ts';

/**
 * The zones section (三区 / 风险区): levels, how a place is first designated, and the transition
 * table, all as data (../SPEC "Zones" tables). The zones capability reads this and decides; it
 * holds no numbers of its own.
 *
 * Time words (../SPEC "Time"): a *period* starts on day 1 = the calendar day the place entered it
 * (sealed, or designated); `period_days_completed: N` is due at the start of day N + 1.
 * `days_without_positive: N` counts whole calendar days after the sampling day of the last
 * positive living there; the step-down is due at the start of the next day.
 */

export const ZONE_LEVELS = ['sealed', 'controlled', 'precaution'] as const;
export type ZoneLevel = (typeof ZONE_LEVELS)[number];

const positiveInt = z.number().int().positive();
const label = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
const zoneLevel = z.enum(ZONE_LEVELS);
const phaseName = z.string().regex(/^[a-z][a-z_]*$/, 'a phase name is lower-case letters and underscores');
const levelAndPhase = z.strictObject({ level: zoneLevel, phase: phaseName });

const levelSpec = z.strictObject({
  label,
  /** The control episode kind residents get while the place is at this level (none for precaution). */
  controlKind: z.enum(CONTROL_KINDS).nullable(),
  /** The level's phases; the first is the one a place enters. */
  phases: z.array(phaseName).min(1),
});

export const zoneConditionSchema = z.discriminatedUnion('kind', [
  /** Whole calendar days since the sampling day of the last positive living there. */
  z.strictObject({ kind: z.literal('days_without_positive'), days: positiveInt }),
  /** The current period (day 1 = its first day) has run this many whole days. */
  z.strictObject({ kind: z.literal('period_days_completed'), days: positiveInt }),
  /** No new positive living there was sampled since the period began. */
  z.strictObject({ kind: z.literal('no_positive_in_period') }),
  /** Every resident has a negative result from a sample taken on this day of the period. */
  z.strictObject({ kind: z.literal('everyone_negative_on_day'), day: positiveInt }),
]);
export type ZoneCondition = z.infer<typeof zoneConditionSchema>;

const designationRule = z.strictObject({
  level: zoneLevel,
  phase: phaseName,
  when: z.discriminatedUnion('kind', [
    /** A positive who lives there was sampled within the last N days. */
    z.strictObject({ kind: z.literal('positive_lived_within_days'), days: positiveInt }),
    /** A case stayed there (not living) within the last N days (national medium-risk areas). */
    z.strictObject({ kind: z.literal('case_stayed_within_days'), days: positiveInt }),
  ]),
});

const transition = z.strictObject({
  from: levelAndPhase,
  to: levelAndPhase,
  /** All must hold. */
  when: z.array(zoneConditionSchema).min(1),
  /** True: day 1 of a new period is the transition day; false: the period's day count carries on. */
  restartPeriod: z.boolean(),
});

export const zonesSectionSchema = z
  .strictObject({
    model: z.enum(['three_zones', 'risk_areas']),
    levels: z.strictObject({ sealed: levelSpec, controlled: levelSpec, precaution: levelSpec }),
    /** Risk-area words → zone levels (national-9th: high → sealed, medium → controlled, low → precaution). */
    riskAreaMapping: z.strictObject({ high: zoneLevel, medium: zoneLevel, low: zoneLevel }).nullable(),
    /** What gets sealed when a case lives in a building: the building or its whole compound. */
    sealUnit: z.enum(['compound', 'building']),
    /** First designation of a place: first matching rule wins; otherwise precaution. */
    designation: z.array(designationRule),
    /** Any level: a new positive living there → this level and phase, period restarts at day 1. */
    onNewPositive: levelAndPhase,
    /** A case stayed there (without living there) → this level and phase; null when not used. */
    onCaseStay: levelAndPhase.nullable(),
    transitions: z.array(transition),
    /**
     * A building inside a sealed compound with a positive during `duringPhase` stays sealed to the
     * given day of the compound's period while the rest of the compound moves on (null = not used).
     */
    buildingStaysSealed: z
      .strictObject({ duringPhase: phaseName, untilPeriodDay: positiveInt, restOfCompoundTo: levelAndPhase })
      .nullable(),
    /** Apply proposed transitions without a user's confirmation. */
    autoApply: z.boolean(),
  })
  .superRefine((zones, ctx) => {
    const check = (ref: { level: ZoneLevel; phase: string }, path: (string | number)[]) => {
      if (!zones.levels[ref.level].phases.includes(ref.phase)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'phase'],
          message: `phase ${ref.phase} is not a phase of ${ref.level}`,
        });
      }
    };
    zones.designation.forEach((d, i) => check(d, ['designation', i]));
    check(zones.onNewPositive, ['onNewPositive']);
    if (zones.onCaseStay) check(zones.onCaseStay, ['onCaseStay']);
    zones.transitions.forEach((t, i) => {
      check(t.from, ['transitions', i, 'from']);
      check(t.to, ['transitions', i, 'to']);
    });
    if (zones.buildingStaysSealed) {
      const b = zones.buildingStaysSealed;
      if (!zones.levels.sealed.phases.includes(b.duringPhase)) {
        ctx.addIssue({
          code: 'custom',
          path: ['buildingStaysSealed', 'duringPhase'],
          message: `phase ${b.duringPhase} is not a phase of sealed`,
        });
      }
      check(b.restOfCompoundTo, ['buildingStaysSealed', 'restOfCompoundTo']);
    }
  });

export type ZonesSection = z.infer<typeof zonesSectionSchema>;
export type ZoneTransition = z.infer<typeof transition>;
