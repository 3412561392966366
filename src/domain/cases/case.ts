import { DomainError } from '../errors.ts';

/**
 * A case (病例 / 感染者): a person with a positive single-tube result (or confirmed pool retest,
 * quarantine test or clinic report), followed from the report to discharge or death
 * (../SPEC "Cases, transfer and admission").
 */
export const CASE_STATES = [
  'reported',
  'awaiting_transfer',
  'in_transfer',
  'admitted',
  'discharged',
  'died',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** Where the positive came from; the source key makes one case per source. */
export const CASE_SOURCES = ['screening', 'pool_retest', 'quarantine_test', 'clinic'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

/**
 * Clinical severity (临床分型, 9th edition). `unassessed` is a screening-found positive nobody
 * has examined yet; for transfer it is treated like `asymptomatic` unless the person is high-risk.
 */
export const SEVERITIES = ['unassessed', 'asymptomatic', 'mild', 'moderate', 'severe', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** 闭环内 / 社会面 — found inside closed-loop control, or in the community. */
export type Classification = 'inside_control' | 'community';

/**
 * The allowed moves. A case goes back from in_transfer to awaiting_transfer when its transfer
 * is cancelled on the way (vehicle broke down, wrong address); death can end any live state.
 */
const NEXT: Record<CaseState, readonly CaseState[]> = {
  reported: ['awaiting_transfer', 'died'],
  awaiting_transfer: ['in_transfer', 'died'],
  in_transfer: ['admitted', 'awaiting_transfer', 'died'],
  admitted: ['discharged', 'died'],
  discharged: [],
  died: [],
};

export function canMoveCase(from: CaseState, to: CaseState): boolean {
  return NEXT[from].includes(to);
}

export function isLiveCase(state: CaseState): boolean {
  return state !== 'discharged' && state !== 'died';
}

/** Throws a conflict naming both states when the move is not allowed. */
export function assertCaseMove(caseId: number, from: CaseState, to: CaseState): void {
  if (!canMoveCase(from, to)) {
    throw new DomainError('conflict', `case ${caseId} is ${from} and cannot become ${to}`, [
      { field: 'state', message: `${from} → ${to} is not allowed`, value: from },
    ]);
  }
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

/**
 * The identity of a case's source: a duplicate delivery of the same positive (or a retried
 * clinic report) finds the same key, and the database's unique index keeps one case.
 */
export function caseSourceKey(source: CaseSource, reference: string, personId: number): string {
  return `${source}:${reference}:${personId}`;
}
