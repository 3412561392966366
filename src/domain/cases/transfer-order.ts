import { DomainError } from '../errors.ts';

/**
 * A transfer order (转运单): one person to be taken to a facility. Every step is timestamped:
 * waiting (no bed yet) → allocated (facility and bed reserved, confirmed by a user) → dispatched
 * (vehicle sent) → picked_up → arrived → admitted (the facility confirmed the hand-off).
 * An order can be cancelled before admission; a reallocation sends it back to waiting.
 */
export const TRANSFER_STATUSES = [
  'waiting',
  'allocated',
  'dispatched',
  'picked_up',
  'arrived',
  'admitted',
  'cancelled',
] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** What the order was made from: a case, or a close contact ordered into central quarantine. */
export interface TransferSource {
  type: string;
  id: string;
}

const NEXT: Record<TransferStatus, readonly TransferStatus[]> = {
  waiting: ['allocated', 'cancelled'],
  allocated: ['allocated', 'waiting', 'dispatched', 'cancelled'],
  dispatched: ['picked_up', 'cancelled'],
  picked_up: ['arrived', 'cancelled'],
  arrived: ['admitted', 'cancelled'],
  admitted: [],
  cancelled: [],
};

export function canMoveOrder(from: TransferStatus, to: TransferStatus): boolean {
  return NEXT[from].includes(to);
}

/** Orders still to be dealt with (counted as waiting in 日清日结). */
export function isOpenOrder(status: TransferStatus): boolean {
  return status !== 'admitted' && status !== 'cancelled';
}

/** Throws a conflict that names the order, its status and the step asked for. */
export function assertOrderMove(
  orderId: number,
  from: TransferStatus,
  to: TransferStatus,
  field = 'orderIds',
): void {
  if (canMoveOrder(from, to)) return;
  const hint =
    to === 'admitted'
      ? ' (admission needs an order that has arrived at the facility)'
      : to === 'dispatched'
        ? ' (allocate a bed first)'
        : '';
  throw new DomainError('conflict', `transfer order ${orderId} is ${from} and cannot be ${to}${hint}`, [
    { field, message: `order ${orderId}: ${from} → ${to} is not allowed`, value: orderId },
  ]);
}

/** Overrides and cancellations must say why; four characters rule out "ok" and "x". */
export const MIN_REASON_LENGTH = 4;

export function requireReason(field: string, reason: string | null | undefined, what: string): string {
  const text = reason?.trim() ?? '';
  if (text.length < MIN_REASON_LENGTH) {
    throw new DomainError(
      'validation_failed',
      `${field}: ${what} needs a reason of at least ${MIN_REASON_LENGTH} characters`,
      [{ field, message: `give a reason of at least ${MIN_REASON_LENGTH} characters` }],
    );
  }
  return text;
}
