import type { ScopeTargets } from '../access/scope.ts';

/**
 * An event: every state change is one, written in the same transaction as the change (outbox),
 * delivered in order (by `id`, the delivery sequence) to in-process consumers and SSE clients.
 * `regionIds` holds the subject's regions with all their ancestors, so a user whose scope is
 * any of them sees it. The catalogue of types is docs/EVENTS.md.
 */
export interface CordonEvent<P = Record<string, unknown>> extends ScopeTargets {
  id: number;
  type: string;
  occurredAt: number;
  regionIds: number[];
  organisationIds: number[];
  personId: number | null;
  payload: P;
}

/** An event before it is written: the outbox assigns the id. */
export interface NewEvent<P = Record<string, unknown>> {
  type: string;
  occurredAt: number;
  /** Leaf regions; ancestors are added when written. */
  regionIds: number[];
  organisationIds?: number[];
  personId?: number | null;
  payload: P;
}
