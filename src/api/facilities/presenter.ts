import type { z } from 'zod';
import type { FacilityView } from '../../app/cases/facility-commands.ts';
import type { AdmissionRow, StayTestRow } from '../../store/cases/admissions.ts';
import type { admissionSchema, facilitySchema, stayTestSchema } from './schema.ts';

/** The only place that shapes facility and stay JSON for clients. */
export function presentFacility(f: FacilityView): z.infer<typeof facilitySchema> {
  return {
    id: f.id,
    name: f.name,
    kind: f.kind,
    districtId: f.districtId,
    streetId: f.streetId,
    organisationId: f.organisationId,
    admits: f.admits,
    beds: f.pools.map((p) => ({
      bedKind: p.bedKind,
      total: p.total,
      reserved: p.reserved,
      occupied: p.occupied,
      free: p.free,
    })),
  };
}

export function presentAdmission(a: AdmissionRow): z.infer<typeof admissionSchema> {
  return {
    id: a.id,
    personId: a.person_id,
    caseId: a.case_id,
    orderId: a.order_id,
    kind: a.kind,
    need: a.need,
    facilityId: a.facility_id,
    bedKind: a.bed_kind,
    bedNo: a.bed_no,
    admittedAt: a.admitted_at,
    episodeId: a.episode_id,
    endedAt: a.ended_at,
    outcome: a.outcome,
    endReason: a.end_reason,
    overrideReason: a.override_reason,
  };
}

export function presentStayTest(t: StayTestRow): z.infer<typeof stayTestSchema> {
  return { id: t.id, sampledAt: t.sampled_at, result: t.result, ct: t.ct };
}
