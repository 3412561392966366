import {
  CASE_EVENT_TYPES,
  type CaseCreatedPayload,
  type CaseStateChangedPayload,
} from '../../../domain/cases/events.ts';
import type { AlertAction } from '../../../domain/kernel/alerts.ts';
import { dayOf, type CalendarDay } from '../../../domain/time/calendar.ts';
import type {} from '../../../store/cases/tables.ts';
import type { AppContext, UnitOfWork } from '../../context.ts';
import type { MonitoringRule } from '../../kernel/monitoring-rules.ts';

export const COMMUNITY_CASE_RULE = 'command.community_case';

/** Case states in which the person is not yet isolated in a facility: still out in the community. */
const NOT_YET_ISOLATED = ['reported', 'awaiting_transfer', 'in_transfer'];

async function communityOf(uow: UnitOfWork, districtId: number, day: CalendarDay) {
  const rows = await uow.trx
    .selectFrom('cases')
    .select(['street_id', 'state'])
    .where('district_id', '=', districtId)
    .where('sampled_day', '=', day)
    .where('classification', '=', 'community')
    .execute();
  const streets = [...new Set(rows.map((r) => Number(r.street_id)))].sort((a, b) => a - b);
  const notIsolated = rows.filter((r) => NOT_YET_ISOLATED.includes(r.state)).length;
  return { cases: rows.length, notIsolated, streets };
}

/**
 * 社会面: a case found in the community (outside closed-loop control) — the figure the whole
 * response is judged by. One critical alert per district and sampling day, opened by the first
 * such case and counting the rest; it resolves when every one of them has been taken off the
 * street (admitted to a facility, or their case closed).
 */
export const communityCaseRule: MonitoringRule = {
  name: COMMUNITY_CASE_RULE,
  level: 'critical',
  eventTypes: [CASE_EVENT_TYPES.created, CASE_EVENT_TYPES.stateChanged],
  async onEvent(event, ctx: AppContext, uow): Promise<AlertAction[]> {
    const tz = ctx.config.timeZone;
    let districtId: number;
    let day: CalendarDay;
    if (event.type === CASE_EVENT_TYPES.created) {
      const p = event.payload as unknown as CaseCreatedPayload;
      if (p.classification !== 'community') return [];
      districtId = p.districtId;
      day = dayOf(p.sampledAt, tz);
    } else {
      const p = event.payload as unknown as CaseStateChangedPayload;
      const row = await uow.trx
        .selectFrom('cases')
        .select(['district_id', 'sampled_day', 'classification'])
        .where('district_id', '=', p.districtId)
        .where('id', '=', p.caseId)
        .executeTakeFirst();
      if (!row || row.classification !== 'community') return [];
      districtId = Number(row.district_id);
      day = row.sampled_day;
    }
    const subject = { type: 'district_day', id: `${districtId}:${day}` };
    const figures = await communityOf(uow, districtId, day);
    if (figures.cases > 0 && figures.notIsolated === 0) {
      return [
        {
          kind: 'resolve',
          rule: COMMUNITY_CASE_RULE,
          subject,
          resolution: 'every community case of the day has been isolated',
        },
      ];
    }
    if (event.type !== CASE_EVENT_TYPES.created && figures.notIsolated === 0) return [];
    return [
      {
        kind: 'open',
        rule: COMMUNITY_CASE_RULE,
        level: 'critical',
        subject,
        regionIds: [districtId],
        details: {
          day,
          communityCases: figures.cases,
          notYetIsolated: figures.notIsolated,
          streetIds: figures.streets,
        },
      },
    ];
  },
};
