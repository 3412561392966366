import type { Principal } from '../../domain/access/principal.ts';
import { DomainError } from '../../domain/errors.ts';
import { memberResult } from '../../domain/screening/results.ts';
import { personHome, samplesOfPerson } from '../../store/screening/member-results-repo.ts';
import { actorOf, audit } from '../access/audit.ts';
import type { AppContext } from '../context.ts';

/**
 * A person's screening results (查询核酸结果): residents read their own; region staff read people
 * living in their area. Each member's result is derived from the tube the moment it commits.
 * Health data: every read is audited.
 */
export async function resultsOfPerson(
  ctx: AppContext,
  principal: Principal,
  personId: number | 'self',
  requestId?: string,
) {
  const scope = principal.scope;
  let id: number;
  if (personId === 'self') {
    if (scope.kind !== 'self') {
      throw new DomainError('forbidden', 'only residents have their own results here');
    }
    id = scope.personId;
  } else {
    id = personId;
  }
  const home = await personHome(ctx.store.db, id);
  const inScope =
    home &&
    ((scope.kind === 'self' && scope.personId === id) ||
      (scope.kind === 'region' &&
        ['admin', 'city_command', 'district_command', 'street_staff', 'tracer'].includes(principal.role) &&
        ctx.regions.isWithin(Number(home.committee_id ?? home.street_id), scope.regionId)));
  if (!home || !inScope) {
    throw new DomainError('out_of_scope', `person ${id} not found in your area`, [
      { field: 'personId', message: 'not in your area' },
    ]);
  }
  const samples = await samplesOfPerson(ctx.store.db, Number(home.district_id), id);
  await audit(ctx, {
    actor: actorOf(principal),
    action: 'screening_results.read',
    subjectType: 'person',
    subjectIds: [id],
    fields: ['test_results'],
    requestId: requestId ?? null,
  });
  return {
    personId: id,
    items: samples.map((s) => ({
      roundId: s.roundId,
      roundName: s.roundName,
      tubeCode: s.tubeCode,
      retest: s.retest,
      pooled: !s.single,
      sampledAt: s.sampledAt,
      result: memberResult({ result: s.tubeResult, members: s.members }),
      ct: s.single && s.tubeResult === 'positive' ? { orf1ab: s.ctOrf1ab, n: s.ctN } : null,
      resultedAt: s.resultedAt,
    })),
  };
}
