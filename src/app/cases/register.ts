import { registerOrganisationPeopleLink } from '../access/organisation-links.ts';
import type { AppContext } from '../context.ts';
import { registerMonitoringRule } from '../kernel/monitoring-rules.ts';
import { bedShortageRule, sameDayRule } from './monitoring.ts';
import { resultPositiveConsumer } from './result-consumer.ts';

/**
 * Wires cases, transfer and admission into the kernel: the `result.positive` consumer, the two
 * monitoring rules, and the links through which transfer teams and facility staff reach the
 * people on their own orders (and may reveal their name and phone with a reason).
 */
export function registerCases(ctx: AppContext): void {
  ctx.events.register(resultPositiveConsumer(ctx));
  registerMonitoringRule(bedShortageRule);
  registerMonitoringRule(sameDayRule);
  registerOrganisationPeopleLink({
    name: 'transfer_orders',
    kind: 'order',
    matches: (eb, organisationId) =>
      eb.exists(
        eb
          .selectFrom('transfer_orders as t')
          .select('t.id')
          .whereRef('t.person_id', '=', 'people.id')
          .where('t.transport_org_id', '=', organisationId)
          .where('t.status', 'not in', ['admitted', 'cancelled']),
      ),
  });
  registerOrganisationPeopleLink({
    name: 'facility_orders',
    kind: 'order',
    matches: (eb, organisationId) =>
      eb.exists(
        eb
          .selectFrom('transfer_orders as t')
          .innerJoin('facilities as f', 'f.id', 't.facility_id')
          .select('t.id')
          .whereRef('t.person_id', '=', 'people.id')
          .where('f.organisation_id', '=', organisationId)
          .where('t.status', '!=', 'cancelled'),
      ),
  });
}
