import type { z } from 'zod';
import type { OrderRow } from '../../store/cases/orders.ts';
import type { orderSchema } from './schema.ts';

/** The only place that shapes transfer-order JSON for clients: ids, never names. */
export function presentOrder(o: OrderRow): z.infer<typeof orderSchema> {
  return {
    id: o.id,
    personId: o.person_id,
    caseId: o.case_id,
    districtId: o.district_id,
    streetId: o.street_id,
    kind: o.kind,
    need: o.need,
    needReason: o.need_reason,
    source: { type: o.source_type, id: o.source_id },
    status: o.status,
    foundAt: o.found_at,
    facilityId: o.facility_id,
    facilityDistrictId: o.facility_district_id,
    bedKind: o.bed_kind,
    bedNo: o.bed_no,
    proposedFacilityId: o.proposed_facility_id,
    overrideReason: o.override_reason,
    unplacedAt: o.unplaced_at,
    transportOrgId: o.transport_org_id,
    vehicle: o.vehicle,
    allocatedAt: o.allocated_at,
    dispatchedAt: o.dispatched_at,
    pickedUpAt: o.picked_up_at,
    arrivedAt: o.arrived_at,
    admittedAt: o.admitted_at,
    cancelledAt: o.cancelled_at,
    cancelReason: o.cancel_reason,
  };
}
