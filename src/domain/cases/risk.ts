import type { Severity } from './case.ts';

/**
 * Risk of severe illness from the registry (高危人群, 9th-edition treatment plan): old age,
 * chronic illness, dialysis, pregnancy. The thresholds are data; these defaults are Cordon's
 * reading of the plan (docs/CASES.md) until the rule bundle carries a cases section.
 */
export interface RiskRules {
  /** People at or above this age (in the year of sampling) are high-risk. */
  highRiskAge: number;
  /** Vulnerable-group flags (people.vulnerable) that make a person high-risk. */
  highRiskFlags: readonly string[];
}

export const DEFAULT_RISK_RULES: RiskRules = {
  highRiskAge: 65,
  highRiskFlags: ['chronic', 'dialysis', 'pregnancy'],
};

export type RiskFactor = 'age' | 'chronic' | 'dialysis' | 'pregnancy' | (string & {});

export interface RiskAssessment {
  highRisk: boolean;
  factors: RiskFactor[];
  /** Age in the year of sampling; null when the registry has no birth year. */
  age: number | null;
}

export function assessRisk(
  person: { birthYear: number | null; vulnerable: string },
  yearOfSampling: number,
  rules: RiskRules = DEFAULT_RISK_RULES,
): RiskAssessment {
  const factors: RiskFactor[] = [];
  const age = person.birthYear == null ? null : yearOfSampling - person.birthYear;
  if (age != null && age >= rules.highRiskAge) factors.push('age');
  const flags = person.vulnerable
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  for (const flag of rules.highRiskFlags) if (flags.includes(flag)) factors.push(flag);
  return { highRisk: factors.length > 0, factors, age };
}

/**
 * Who a transfer order is for, in the registry's vocabulary of facilities' `admits` lists
 * (domain/registry/vocabulary.ts ADMISSION_GROUPS): cases by clinical need, close contacts and
 * contacts of contacts ordered into central quarantine.
 */
export const TRANSFER_NEEDS = [
  'case_critical',
  'case_severe',
  'case_mild',
  'case_asymptomatic',
  'close_contact',
  'secondary_contact',
] as const;
export type TransferNeed = (typeof TRANSFER_NEEDS)[number];

/** Needs that are contacts (quarantine), not cases (isolation and treatment). */
export function isContactNeed(need: TransferNeed): boolean {
  return need === 'close_contact' || need === 'secondary_contact';
}

/**
 * The transfer need of a case: critical → intensive care; severe or moderate (普通型 and worse),
 * or high-risk → designated hospital (定点医院); mild → shelter hospital, asymptomatic or not yet
 * assessed → shelter hospital (方舱).
 */
export function caseTransferNeed(severity: Severity, highRisk: boolean): TransferNeed {
  if (severity === 'critical') return 'case_critical';
  if (severity === 'severe' || severity === 'moderate' || highRisk) return 'case_severe';
  if (severity === 'mild') return 'case_mild';
  return 'case_asymptomatic';
}

/** A short, human reason for the need, kept on the order (why this person goes to a hospital). */
export function needReason(severity: Severity, risk: RiskAssessment): string {
  if (severity !== 'unassessed' && severity !== 'asymptomatic' && severity !== 'mild') {
    return `severity:${severity}`;
  }
  if (risk.highRisk) return `high_risk:${risk.factors.join('+')}`;
  return `severity:${severity}`;
}
