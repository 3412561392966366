import type { AlertAction, AlertLevel } from '../kernel/alerts.ts';

/**
 * What a clock sweep asks of the alert runner: open (or refresh) an alert for every subject that
 * breaks the rule now, resolve those open before that no longer do. Subjects already open with
 * the same details ask for nothing, so a sweep every few seconds writes only what changed.
 */
export interface Breach {
  subjectId: string;
  regionIds: number[];
  details: Record<string, unknown>;
}

export function reconcileSweep(input: {
  rule: string;
  level: AlertLevel;
  subjectType: string;
  breaches: readonly Breach[];
  /** Open alerts of the rule by subject id, with their stored details (JSON text). */
  open: ReadonlyMap<string, string>;
  resolution: string;
}): AlertAction[] {
  const actions: AlertAction[] = [];
  const breaking = new Set<string>();
  for (const b of input.breaches) {
    breaking.add(b.subjectId);
    const stored = input.open.get(b.subjectId);
    if (stored !== undefined && stored === JSON.stringify(b.details)) continue;
    actions.push({
      kind: 'open',
      rule: input.rule,
      level: input.level,
      subject: { type: input.subjectType, id: b.subjectId },
      regionIds: b.regionIds,
      details: b.details,
    });
  }
  for (const subjectId of input.open.keys()) {
    if (breaking.has(subjectId)) continue;
    actions.push({
      kind: 'resolve',
      rule: input.rule,
      subject: { type: input.subjectType, id: subjectId },
      resolution: input.resolution,
    });
  }
  return actions;
}
