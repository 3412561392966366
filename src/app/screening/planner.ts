import type { Principal } from '../../domain/access/principal.ts';
import { planPooling, prevalenceFromPools } from '../../domain/screening/pooling-planner.ts';
import type { AppContext } from '../context.ts';
import { getActiveRuleSet } from '../kernel/rule-sets.ts';
import { regionInScope, requireRole, SCREENING_VIEWERS } from './access.ts';

/**
 * The pooling planner: from a given prevalence, or the positivity of the area's tubes resulted
 * in the last `days`, Dorfman's expected tests per person for the unconstrained best pool size
 * and for the best size the active rule set allows.
 */
const DAY = 86_400_000;

export async function poolingPlan(
  ctx: AppContext,
  principal: Principal,
  options: { prevalence?: number; regionId?: number; days?: number },
) {
  requireRole(principal, SCREENING_VIEWERS, 'plan pooling');
  const rules = await getActiveRuleSet(ctx);
  let prevalence = options.prevalence ?? null;
  let basis: { tubes: number; people: number; days: number } | null = null;
  if (prevalence == null) {
    const regionId = regionInScope(ctx, principal, options.regionId);
    const region = ctx.regions.get(regionId)!;
    const days = options.days ?? 3;
    let q = ctx.store.db
      .selectFrom('tubes')
      .select([
        'filled',
        (eb) => eb.fn.countAll<number>().as('tested'),
        (eb) =>
          eb.fn.sum<number>(eb.case().when('result', '=', 'positive').then(1).else(0).end()).as('positive'),
      ])
      .where('resulted_at', '>=', ctx.clock.now() - days * DAY)
      .where('result', 'in', ['negative', 'positive'])
      .where('purpose', '!=', 'retest')
      .groupBy('filled');
    if (region.level !== 'city') q = q.where('district_id', '=', region.districtId!);
    if (region.level === 'street' || region.level === 'committee') {
      q = q.where('street_id', '=', region.streetId!);
    }
    const rows = await q.execute();
    const pools = rows.map((r) => ({
      size: Number(r.filled),
      tested: Number(r.tested),
      positive: Number(r.positive),
    }));
    prevalence = prevalenceFromPools(pools) ?? 0;
    basis = {
      tubes: pools.reduce((a, p) => a + p.tested, 0),
      people: pools.reduce((a, p) => a + p.tested * p.size, 0),
      days,
    };
  }
  return {
    ruleSet: `${rules.name}@${rules.version}`,
    basis,
    ...planPooling(prevalence, rules.pooling.allowedSizes),
  };
}
