import { TRACING_EVENTS } from '../../domain/tracing/types.ts';
import type { ContactRow } from '../../store/tracing/contacts.ts';
import type { InvestigationRow } from '../../store/tracing/investigations.ts';
import type { UnitOfWork } from '../context.ts';

type ContactEventRow = Pick<
  ContactRow,
  'id' | 'person_id' | 'district_id' | 'street_id' | 'degree' | 'status' | 'exposure_kind'
>;

/**
 * Announces new contacts of one case. The case's district hears one summary (its tracers work the
 * case). Every other district that a contact lives in hears, at once, its own contacts and nothing
 * else (区域协同): that event is addressed only to the streets of that district, so the stream's
 * region filter delivers it to that district's tracers and not to the case's district.
 * One event per (case, district), not per contact: a bulk match must not flood the outbox.
 */
export function publishNewContacts(
  uow: UnitOfWork,
  inv: InvestigationRow,
  rows: readonly ContactEventRow[],
  origin: string,
): void {
  if (rows.length === 0) return;
  const count = (pred: (r: ContactEventRow) => boolean) => rows.filter(pred).length;
  uow.publish({
    type: rows.every((r) => r.status === 'proposed')
      ? TRACING_EVENTS.contactsProposed
      : TRACING_EVENTS.contactsAdded,
    occurredAt: uow.now,
    regionIds: [inv.street_id],
    payload: {
      caseId: inv.case_id,
      investigationId: inv.id,
      districtId: inv.district_id,
      origin,
      close: count((r) => r.degree === 'close'),
      secondary: count((r) => r.degree === 'secondary'),
      proposed: count((r) => r.status === 'proposed'),
      elsewhere: count((r) => r.district_id !== inv.district_id),
      contactIds: rows.map((r) => r.id),
    },
  });
  const byDistrict = new Map<number, ContactEventRow[]>();
  for (const r of rows) {
    if (r.district_id === inv.district_id) continue;
    const list = byDistrict.get(r.district_id) ?? [];
    list.push(r);
    byDistrict.set(r.district_id, list);
  }
  for (const [districtId, list] of byDistrict) {
    uow.publish({
      type: TRACING_EVENTS.contactsPushed,
      occurredAt: uow.now,
      regionIds: [...new Set(list.map((r) => r.street_id))],
      payload: {
        caseId: inv.case_id,
        fromDistrictId: inv.district_id,
        toDistrictId: districtId,
        origin,
        contacts: list.map((r) => ({
          contactId: r.id,
          personId: r.person_id,
          degree: r.degree,
          status: r.status,
          exposureKind: r.exposure_kind,
        })),
      },
    });
  }
}

export function publishInvestigation(
  uow: UnitOfWork,
  type: string,
  inv: InvestigationRow,
  extra: Record<string, unknown> = {},
): void {
  uow.publish({
    type,
    occurredAt: uow.now,
    regionIds: [inv.street_id],
    payload: {
      investigationId: inv.id,
      caseId: inv.case_id,
      districtId: inv.district_id,
      streetId: inv.street_id,
      status: inv.status,
      tracerUserId: inv.tracer_user_id,
      deadlineAt: inv.deadline_at,
      sourceStatus: inv.source_status,
      ...extra,
    },
  });
}

/** A contact's own change (confirmed, dismissed, became a case): to the contact's street and the case's. */
export function publishContactChange(
  uow: UnitOfWork,
  type: string,
  contact: ContactRow,
  caseStreetId: number | null,
  extra: Record<string, unknown> = {},
): void {
  uow.publish({
    type,
    occurredAt: uow.now,
    regionIds: caseStreetId == null ? [contact.street_id] : [contact.street_id, caseStreetId],
    payload: {
      contactId: contact.id,
      personId: contact.person_id,
      caseId: contact.case_id,
      districtId: contact.district_id,
      caseDistrictId: contact.case_district_id,
      degree: contact.degree,
      status: contact.status,
      ...extra,
    },
  });
}

/**
 * A case's trail crossed into another district (a timeline stay, a scanned venue): that
 * district's streets hear where and when at once, addressed to them only (区域协同).
 */
export function publishTrailPush(
  uow: UnitOfWork,
  inv: Pick<InvestigationRow, 'case_id' | 'district_id'>,
  stays: readonly { placeId: number; districtId: number; streetId: number; from: number; until: number }[],
  origin: 'timeline' | 'checkin',
): void {
  const byDistrict = new Map<number, (typeof stays)[number][]>();
  for (const s of stays) {
    if (s.districtId === inv.district_id) continue;
    const list = byDistrict.get(s.districtId) ?? [];
    list.push(s);
    byDistrict.set(s.districtId, list);
  }
  for (const [districtId, list] of byDistrict) {
    uow.publish({
      type: TRACING_EVENTS.trailPushed,
      occurredAt: uow.now,
      regionIds: [...new Set(list.map((s) => s.streetId))],
      payload: {
        caseId: inv.case_id,
        fromDistrictId: inv.district_id,
        toDistrictId: districtId,
        origin,
        stays: list.map((s) => ({ placeId: s.placeId, from: s.from, until: s.until })),
      },
    });
  }
}
