import { alertState, type Alert } from '../../domain/kernel/alerts.ts';
import { isActiveAt, type ControlEpisode } from '../../domain/kernel/control-episodes.ts';
import type { AlertView, ControlEpisodeView } from './schema.ts';

/** The only place that shapes kernel JSON for clients. */
export function presentAlert(a: Alert): AlertView {
  return {
    id: a.id,
    rule: a.rule,
    level: a.level,
    state: alertState(a),
    regionIds: a.regionIds,
    subject: a.subject,
    details: a.details,
    openedAt: a.openedAt,
    owner: a.owner,
    acknowledgedAt: a.acknowledgedAt,
    acknowledgedBy: a.acknowledgedBy,
    resolvedAt: a.resolvedAt,
    resolvedBy: a.resolvedBy,
    resolution: a.resolution,
  };
}

export function presentEpisode(e: ControlEpisode, now: number): ControlEpisodeView {
  return {
    id: e.id,
    personId: e.personId,
    kind: e.kind,
    from: e.from,
    until: e.until,
    source: e.source,
    endedReason: e.endedReason,
    activeNow: isActiveAt(e, now),
  };
}
