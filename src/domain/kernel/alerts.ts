import type { Role } from '../access/roles.ts';

/**
 * Alerts (../SPEC "Shared kernel", 24小时实时监测): one entity raised by monitoring rules, seen by
 * every level it concerns, acknowledged by an owner and resolved with a resolution.
 */
export const ALERT_LEVELS = ['info', 'warning', 'critical'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface AlertSubject {
  /** What the alert is about: `region`, `test_order`, `facility`, `transfer_order`… */
  type: string;
  id: string;
}

export interface Alert {
  id: number;
  rule: string;
  level: AlertLevel;
  /** The regions it concerns with all their ancestors: every level that sees it. */
  regionIds: number[];
  subject: AlertSubject;
  details: Record<string, unknown>;
  openedAt: number;
  owner: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: number | null;
  resolvedAt: number | null;
  resolvedBy: number | null;
  resolution: string | null;
}

/**
 * What a monitoring rule asks for. Opening is idempotent per (rule, subject): opening an alert
 * that is already open refreshes its details and raises nothing new. Resolving one that is not
 * open does nothing.
 */
export type AlertAction =
  | {
      kind: 'open';
      rule: string;
      level: AlertLevel;
      subject: AlertSubject;
      /** Leaf regions; ancestors are added when stored. */
      regionIds: number[];
      details?: Record<string, unknown>;
    }
  | { kind: 'resolve'; rule: string; subject: AlertSubject; resolution: string };

export function alertState(alert: Pick<Alert, 'acknowledgedAt' | 'resolvedAt'>): AlertState {
  if (alert.resolvedAt != null) return 'resolved';
  if (alert.acknowledgedAt != null) return 'acknowledged';
  return 'open';
}

/** At most one unresolved alert per key; cleared on resolution so the rule can open a new one later. */
export function alertOpenKey(rule: string, subject: AlertSubject): string {
  return `${rule}:${subject.type}:${subject.id}`;
}

/** Who may take an alert on and close it: the command and street staff who act on it. Tracers read. */
export const ALERT_HANDLER_ROLES: readonly Role[] = [
  'admin',
  'city_command',
  'district_command',
  'street_staff',
];

export function mayHandleAlerts(role: Role): boolean {
  return ALERT_HANDLER_ROLES.includes(role);
}
