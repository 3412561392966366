import type { Principal } from '../../domain/access/principal.ts';
import { DomainError, type ErrorDetail } from '../../domain/errors.ts';
import {
  resultProblem,
  sameResult,
  type CtValues,
  type TubeOutcome,
} from '../../domain/screening/results.ts';
import { tubesByBarcodes, writeResults } from '../../store/screening/results-repo.ts';
import type { AppContext, UnitOfWork } from '../context.ts';
import { organisationOf, requireRole } from './access.ts';
import { GroupCommit } from './group-commit.ts';
import { applyResultEffects, type ResultedTube } from './result-effects.ts';

/**
 * Labs post tube results in bulk (检): all or nothing. Every line is checked — coherent result,
 * tube known, received by this lab, not resulted otherwise — and any error names its line and
 * field; nothing is written unless every line is good. A line repeating a stored result is a
 * retry and changes nothing. Posts waiting at the same moment are checked and written in one
 * transaction (one fsync for many labs' posts), each post still all or nothing on its own.
 */
export interface ResultLine {
  /** 1-based: the item's position in a JSON body, or the file line of a CSV upload. */
  line: number;
  tubeCode: string;
  outcome: TubeOutcome;
  ct: CtValues;
}

export interface PostResultsSummary {
  resulted: number;
  unchanged: number;
  negative: number;
  poolPositive: number;
  positive: number;
  invalid: number;
}

export const MAX_RESULTS_PER_POST = 10_000;

type Where = 'results' | 'file';

interface ResultsUnit {
  labId: number;
  lines: readonly ResultLine[];
  where: Where;
  /** Lines already failed their own checks: only look for the other errors, write nothing. */
  checkOnly: boolean;
}

type Applied = { ok: true; summary: PostResultsSummary } | { ok: false; errors: ErrorDetail[] };

const CSV_COLUMN: Record<string, string> = {
  tubeCode: 'tube_code',
  'ct.orf1ab': 'ct_orf1ab',
  'ct.n': 'ct_n',
  ct: 'ct_orf1ab',
};

function fieldOf(where: Where, l: ResultLine, f: string): string {
  return where === 'results' ? `results.${l.line - 1}.${f}` : (CSV_COLUMN[f] ?? f);
}

/** The checks that need no database: coherent results, each tube once. */
function lineErrors(lines: readonly ResultLine[], where: Where): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const seen = new Map<string, number>();
  for (const l of lines) {
    const problem = resultProblem(l);
    if (problem) {
      errors.push({ line: l.line, field: fieldOf(where, l, problem.field), message: problem.message });
    }
    const earlier = seen.get(l.tubeCode);
    if (earlier == null) seen.set(l.tubeCode, l.line);
    else {
      errors.push({
        line: l.line,
        field: fieldOf(where, l, 'tubeCode'),
        message: `tube ${l.tubeCode} already appears on line ${earlier}`,
      });
    }
  }
  return errors;
}

/** Checks one post against the tubes as they are in the group's transaction, then writes it. */
async function applyPost(uow: UnitOfWork, unit: ResultsUnit): Promise<Applied> {
  const { labId, lines, where } = unit;
  const tubes = await tubesByBarcodes(
    uow.trx,
    lines.map((l) => l.tubeCode),
  );
  const errors: ErrorDetail[] = [];
  const fresh: ResultedTube[] = [];
  let unchanged = 0;
  for (const l of lines) {
    const tube = tubes.get(l.tubeCode);
    const field = fieldOf(where, l, 'tubeCode');
    // A tube another lab holds reads as unknown: labs see only their own tubes.
    if (!tube || tube.labId !== labId) {
      errors.push({ line: l.line, field, message: `tube ${l.tubeCode} was not received by your lab` });
    } else if (tube.state === 'resulted') {
      if (sameResult({ outcome: tube.result!, ct: { orf1ab: tube.ctOrf1ab, n: tube.ctN } }, l)) unchanged++;
      else {
        errors.push({
          line: l.line,
          field: fieldOf(where, l, 'outcome'),
          message: `tube ${l.tubeCode} already has the result ${tube.result}`,
        });
      }
    } else if (tube.state !== 'received') {
      errors.push({
        line: l.line,
        field,
        message: `tube ${l.tubeCode} has not been received yet (it is ${tube.state})`,
      });
    } else {
      fresh.push({ tube, outcome: l.outcome, ct: l.ct });
    }
  }
  if (errors.length > 0 || unit.checkOnly) return { ok: false, errors };
  await writeResults(
    uow.trx,
    fresh.map((r) => ({ tubeId: r.tube.id, outcome: r.outcome, ctOrf1ab: r.ct.orf1ab, ctN: r.ct.n })),
    uow.now,
  );
  const effects = await applyResultEffects(uow, fresh);
  const count = (o: TubeOutcome) => fresh.filter((r) => r.outcome === o).length;
  if (fresh.length > 0) {
    uow.publish({
      type: 'results.posted',
      occurredAt: uow.now,
      regionIds: [...new Set(fresh.map((r) => r.tube.districtId))],
      organisationIds: [labId],
      // tubeIds: the follow-up consumer fulfils negative pools' members' open orders and stamps notification.
      payload: {
        labId,
        tubes: fresh.length,
        negative: count('negative'),
        positive: count('positive'),
        invalid: count('invalid'),
        tubeIds: fresh.map((r) => r.tube.id),
      },
    });
  }
  return {
    ok: true,
    summary: { resulted: fresh.length, unchanged, negative: count('negative'), ...effects },
  };
}

const queues = new WeakMap<AppContext, GroupCommit<ResultsUnit, Applied>>();
function resultsQueue(ctx: AppContext) {
  let q = queues.get(ctx);
  if (!q) queues.set(ctx, (q = new GroupCommit(ctx, applyPost)));
  return q;
}

function refused(errors: ErrorDetail[]): DomainError {
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const first = errors[0];
  return new DomainError(
    'import_failed',
    `${errors.length} line(s) with errors; first: line ${first.line}, ${first.field}: ${first.message}`,
    errors,
  );
}

export async function postResults(
  ctx: AppContext,
  principal: Principal,
  lines: readonly ResultLine[],
  where: Where,
): Promise<PostResultsSummary> {
  requireRole(principal, ['lab'], 'post tube results');
  const labId = organisationOf(principal);
  if (lines.length > MAX_RESULTS_PER_POST) {
    throw new DomainError('import_failed', `at most ${MAX_RESULTS_PER_POST} results per post`, [
      { field: where, message: `${lines.length} lines` },
    ]);
  }
  const early = lineErrors(lines, where);
  const applied = await resultsQueue(ctx).submit({ labId, lines, where, checkOnly: early.length > 0 });
  // All errors together, those found without the database and those found against the tubes.
  if (early.length > 0 || !applied.ok) throw refused([...early, ...(applied.ok ? [] : applied.errors)]);
  return applied.summary;
}
