import { isOpenOrder, type TransferStatus } from '../../domain/cases/transfer-order.ts';
import { findOrderBySource } from '../../store/cases/orders.ts';
import { SYSTEM_ACTOR } from '../cases/actor.ts';
import { createTransferOrder } from '../cases/transfer-orders.ts';
import { cancelOrder } from '../cases/transport.ts';
import type { UnitOfWork } from '../context.ts';

/**
 * Close contacts whose quarantine is centralised get a transfer order to a quarantine hotel from
 * the cases service (issue 4 owns transfer, allocation and admission; tracing only asks). The
 * order's source is the contact record, so a replay finds the same order.
 */
export async function orderQuarantineTransfers(
  uow: UnitOfWork,
  requests: readonly { personId: number; source: { type: string; id: string } }[],
): Promise<void> {
  for (const r of requests) {
    await createTransferOrder(uow, {
      personId: r.personId,
      need: 'close_contact',
      source: r.source,
      foundAt: uow.now,
    });
  }
}

/**
 * Withdraws a contact's quarantine transfer when its plan ends before admission (dismissed, or
 * the contact became a case and the case intake orders its own transfer). An order already
 * admitted or cancelled is left alone: the facility discharges a person it holds.
 */
export async function withdrawQuarantineTransfer(
  uow: UnitOfWork,
  contact: { personId: number; districtId: number; source: { type: string; id: string } },
  reason: string,
): Promise<void> {
  const order = await findOrderBySource(
    uow.trx,
    contact.districtId,
    contact.personId,
    contact.source.type,
    contact.source.id,
  );
  if (!order || !isOpenOrder(order.status as TransferStatus)) return;
  await cancelOrder(uow, order, reason, SYSTEM_ACTOR, false);
}
