import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.ts';
import {
  BUILT_IN_SCENARIOS,
  eventTime,
  type Scenario,
  type ScenarioEvent,
} from '../../domain/simulation/scenario.ts';

/**
 * A drill file (演练脚本, YAML or JSON): a starting outbreak and events at given local times, on
 * top of a built-in scenario or none. Validated at the boundary; an error names the field
 * (`events.3.share`) and the file.
 */
const at = z.string().refine((s) => {
  try {
    eventTime(s);
    return true;
  } catch {
    return false;
  }
}, 'a local time YYYY-MM-DD or YYYY-MM-DDTHH:MM');
const codes = z.array(z.string().regex(/^\d{6}$/, 'a district code such as 310115')).optional();
const share = z.number().min(0).max(1);

const eventSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    at,
    kind: z.literal('seed'),
    perMillion: z.number().positive().optional(),
    infections: z.number().int().positive().optional(),
    overDays: z.number().int().positive().optional(),
    districts: codes,
  }),
  z.strictObject({ at, kind: z.literal('lockdown'), districts: codes }),
  z.strictObject({ at, kind: z.literal('three_zones') }),
  z.strictObject({ at, kind: z.literal('reopen'), districts: codes }),
  z.strictObject({
    at,
    kind: z.literal('round'),
    name: z.string().min(1).max(150).optional(),
    districts: codes,
    firstRound: z.boolean().optional(),
  }),
  z.strictObject({
    at,
    kind: z.literal('lab_outage'),
    share,
    hours: z
      .number()
      .positive()
      .max(24 * 30),
  }),
  z.strictObject({ at, kind: z.literal('labs'), share }),
  z.strictObject({
    at,
    kind: z.literal('beds'),
    facilityKind: z.enum([
      'quarantine_hotel',
      'observation_point',
      'shelter_hospital',
      'designated_hospital',
    ]),
    share,
  }),
  z.strictObject({ at, kind: z.literal('transfers'), perMillion: z.number().positive() }),
  z.strictObject({ at, kind: z.literal('rule_set'), name: z.string().min(1) }),
  z.strictObject({
    at,
    kind: z.literal('controls'),
    zones: z.boolean().optional(),
    quarantine: z.boolean().optional(),
    tracing: z.boolean().optional(),
  }),
]);

const drillSchema = z.strictObject({
  name: z.string().min(1).max(100),
  description: z.string().max(2000).default(''),
  /** A built-in scenario whose events come first (spring-2022), or none. */
  baseline: z.string().default('none'),
  start: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  days: z.number().int().positive().max(400).optional(),
  ruleSet: z.string().min(1).optional(),
  events: z.array(eventSchema).default([]),
});

export interface Drill {
  scenario: Scenario;
  /** Days the drill asks for (the CLI's --days wins). */
  days: number | undefined;
  file: string;
}

export function loadDrill(file: string): Drill {
  const text = fs.readFileSync(file, 'utf8');
  const raw: unknown = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  const parsed = drillSchema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({
      field: i.path.map(String).join('.') || 'drill',
      message: i.message,
    }));
    throw new DomainError(
      'validation_failed',
      `drill ${path.basename(file)}: ${details[0].field}: ${details[0].message}`,
      details,
    );
  }
  const d = parsed.data;
  const base = d.baseline === 'none' ? null : BUILT_IN_SCENARIOS[d.baseline];
  if (d.baseline !== 'none' && !base) {
    throw new DomainError(
      'validation_failed',
      `drill ${path.basename(file)}: unknown baseline ${d.baseline}`,
      [{ field: 'baseline', message: `one of none, ${Object.keys(BUILT_IN_SCENARIOS).join(', ')}` }],
    );
  }
  const start = d.start ?? base?.start;
  if (!start) {
    throw new DomainError(
      'validation_failed',
      `drill ${path.basename(file)}: give a start day or a baseline`,
      [{ field: 'start', message: 'required without a baseline' }],
    );
  }
  return {
    scenario: {
      name: d.name,
      description: d.description,
      start,
      ruleSet: d.ruleSet ?? base?.ruleSet ?? 'shanghai-2022-05-16',
      events: [...(base?.events ?? []), ...(d.events as ScenarioEvent[])],
    },
    days: d.days,
    file,
  };
}
