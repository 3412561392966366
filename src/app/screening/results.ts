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
import { GroupCommit } from './group-commit.ts';
import { organisationOf, requireRole } from './access.ts';
import { applyResultEffects, type ResultedTube } from './result-effects.ts';

/**
 * Labs post tube results in bulk (检): all or nothing. Every line is checked first — the tube
 * exists, this lab received it, the result is coherent — and any error names its line and
 * field; nothing is written unless every line is good. A line repeating a stored result is a
 * retry and changes nothing.
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

interface ResultsUnit {
  labId: number;
  fresh: ResultedTube[];
}

/** Writes one post's results and their follow-ups in the group's unit of work. */
async function applyPost(uow: UnitOfWork, unit: ResultsUnit) {
  // Another post may have resulted some of these tubes since they were checked: those are left as they are.
  const current = await tubesByBarcodes(
    uow.trx,
    unit.fresh.map((r) => r.tube.barcode),
  );
  const fresh = unit.fresh.filter((r) => current.get(r.tube.barcode)?.state === 'received');
  await writeResults(
    uow.trx,
    fresh.map((r) => ({ tubeId: r.tube.id, outcome: r.outcome, ctOrf1ab: r.ct.orf1ab, ctN: r.ct.n })),
    uow.now,
  );
  const effects = await applyResultEffects(uow, fresh);
  if (fresh.length > 0) {
    uow.publish({
      type: 'results.posted',
      occurredAt: uow.now,
      regionIds: [...new Set(fresh.map((r) => r.tube.districtId))],
      organisationIds: [unit.labId],
      payload: {
        labId: unit.labId,
        tubes: fresh.length,
        negative: fresh.filter((r) => r.outcome === 'negative').length,
        positive: fresh.filter((r) => r.outcome === 'positive').length,
        invalid: fresh.filter((r) => r.outcome === 'invalid').length,
        // Pooled negatives: the follow-up consumer fulfils their members' open orders and stamps notification.
        tubeIds: fresh.map((r) => r.tube.id),
      },
    });
  }
  return { fresh, effects };
}

const queues = new WeakMap<AppContext, GroupCommit<ResultsUnit, Awaited<ReturnType<typeof applyPost>>>>();
function resultsQueue(ctx: AppContext) {
  let q = queues.get(ctx);
  if (!q) queues.set(ctx, (q = new GroupCommit(ctx, applyPost)));
  return q;
}

export async function postResults(
  ctx: AppContext,
  principal: Principal,
  lines: readonly ResultLine[],
  where: 'results' | 'file',
): Promise<PostResultsSummary> {
  requireRole(principal, ['lab'], 'post tube results');
  const labId = organisationOf(principal);
  if (lines.length > MAX_RESULTS_PER_POST) {
    throw new DomainError('import_failed', `at most ${MAX_RESULTS_PER_POST} results per post`, [
      { field: where, message: `${lines.length} lines` },
    ]);
  }
  const CSV_COLUMN: Record<string, string> = {
    tubeCode: 'tube_code',
    'ct.orf1ab': 'ct_orf1ab',
    'ct.n': 'ct_n',
    ct: 'ct_orf1ab',
  };
  const fieldOf = (l: ResultLine, f: string) =>
    where === 'results' ? `results.${l.line - 1}.${f}` : (CSV_COLUMN[f] ?? f);
  const errors: ErrorDetail[] = [];
  const seen = new Map<string, number>();
  for (const l of lines) {
    const problem = resultProblem(l);
    if (problem) errors.push({ line: l.line, field: fieldOf(l, problem.field), message: problem.message });
    const earlier = seen.get(l.tubeCode);
    if (earlier != null) {
      errors.push({
        line: l.line,
        field: fieldOf(l, 'tubeCode'),
        message: `tube ${l.tubeCode} already appears on line ${earlier}`,
      });
    } else seen.set(l.tubeCode, l.line);
  }
  const tubes = await tubesByBarcodes(
    ctx.store.db,
    lines.map((l) => l.tubeCode),
  );
  let fresh: ResultedTube[] = [];
  let unchanged = 0;
  for (const l of lines) {
    const tube = tubes.get(l.tubeCode);
    const field = fieldOf(l, 'tubeCode');
    // A tube another lab holds reads as unknown: labs see only their own tubes.
    if (!tube || tube.labId !== labId) {
      errors.push({ line: l.line, field, message: `tube ${l.tubeCode} was not received by your lab` });
      continue;
    }
    if (tube.state === 'resulted') {
      if (sameResult({ outcome: tube.result!, ct: { orf1ab: tube.ctOrf1ab, n: tube.ctN } }, l)) unchanged++;
      else {
        errors.push({
          line: l.line,
          field: fieldOf(l, 'outcome'),
          message: `tube ${l.tubeCode} already has the result ${tube.result}`,
        });
      }
      continue;
    }
    if (tube.state !== 'received') {
      errors.push({
        line: l.line,
        field,
        message: `tube ${l.tubeCode} has not been received yet (it is ${tube.state})`,
      });
      continue;
    }
    fresh.push({ tube, outcome: l.outcome, ct: l.ct });
  }
  if (errors.length > 0) {
    errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const first = errors[0];
    throw new DomainError(
      'import_failed',
      `${errors.length} line(s) with errors; first: line ${first.line}, ${first.field}: ${first.message}`,
      errors,
    );
  }
  const written = await resultsQueue(ctx).submit({ labId, fresh });
  fresh = written.fresh;
  const counts = written.effects;
  return {
    resulted: fresh.length,
    unchanged,
    negative: fresh.filter((r) => r.outcome === 'negative').length,
    ...counts,
  };
}
