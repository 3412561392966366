import type { Insertable } from 'kysely';
import type { AppContext } from '../../src/app/context.ts';
import { caseSourceKey } from '../../src/domain/cases/case.ts';
import { kindTier } from '../../src/domain/cases/facility.ts';
import { assessRisk, type TransferNeed } from '../../src/domain/cases/risk.ts';
import { addDays, dayOf, startOfDay } from '../../src/domain/time/calendar.ts';
import { loadBedPools, type PoolRow } from '../../src/store/cases/beds.ts';
import type { AdmissionTable, CaseTable, TransferOrderTable } from '../../src/store/cases/tables.ts';

/**
 * The peak's stays written straight to the tables: earlier cases in (or discharged from) shelter
 * and hospital beds, close contacts in quarantine rooms — with their orders, numbered beds,
 * live counters and control episodes, as the services would have left them. Beds fill to a
 * target share, newest cases first; the rest of the wave has been discharged. (No per-step
 * transition history is written for these: nothing reads it in the benchmark.)
 */
export interface Resident {
  personId: number;
  districtId: number;
  streetId: number;
  committeeId: number | null;
  householdId: number | null;
  placeId: number | null;
  birthYear: number | null;
  vulnerable: string;
}

export interface PriorCase extends Resident {
  sampledAt: number;
  inside: boolean;
}

/** How full each kind of bed is on the morning of the peak (the rest was free for the day's intake). */
const TARGET_OCCUPANCY: Record<string, number> = {
  shelter_hospital: 0.6,
  designated_hospital: 0.25,
  quarantine_hotel: 0.6,
  observation_point: 0.6,
};
const HOUR = 3_600_000;

interface Slot {
  pool: PoolRow;
  left: number;
  used: number;
}

/**
 * The bed a new stay takes: the first slot in pool order with beds left that admits the need at
 * its own tier (no ICU), in the person's district if there is one, else anywhere. Candidates are
 * listed once per need and district, each with a cursor past its exhausted slots (beds left only
 * go down): filtering every pool per stay was 320,000 × ~1,000 pools at scale 1.
 */
class SlotPicker {
  private readonly lists = new Map<string, { slots: Slot[]; at: number }>();

  constructor(private readonly slots: Slot[]) {}

  private list(need: TransferNeed, districtId: number | null) {
    const key = `${need}:${districtId ?? '*'}`;
    let list = this.lists.get(key);
    if (!list) {
      const slots = this.slots.filter(
        (s) =>
          s.pool.admits.includes(need) &&
          kindTier(need, s.pool.facilityKind) === 0 &&
          s.pool.bedKind !== 'icu' &&
          (districtId == null || s.pool.districtId === districtId),
      );
      list = { slots, at: 0 };
      this.lists.set(key, list);
    }
    while (list.at < list.slots.length && list.slots[list.at].left <= 0) list.at++;
    return list.slots[list.at] ?? null;
  }

  take(need: TransferNeed, districtId: number): Slot | null {
    const slot = this.list(need, districtId) ?? this.list(need, null);
    if (slot) {
      slot.left--;
      slot.used++;
    }
    return slot;
  }
}

async function insertReturning(
  ctx: AppContext,
  table: 'cases' | 'transfer_orders' | 'admissions',
  rows: readonly object[],
  key: (r: Record<string, unknown>) => string,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let i = 0; i < rows.length; i += 200) {
    const inserted = await ctx.store.db
      .insertInto(table)
      .values(rows.slice(i, i + 200) as never)
      .returningAll()
      .execute();
    for (const r of inserted as unknown as Record<string, unknown>[]) ids.set(key(r), Number(r.id));
  }
  return ids;
}

export async function loadPriorStays(
  ctx: AppContext,
  input: { prior: PriorCase[]; contacts: Resident[]; now: number; timeZone: string },
) {
  const tz = input.timeZone;
  const slots: Slot[] = (await loadBedPools(ctx.store.db)).map((pool) => ({
    pool,
    used: 0,
    left: Math.floor(pool.total * (TARGET_OCCUPANCY[pool.facilityKind] ?? 0)),
  }));
  const picker = new SlotPicker(slots);
  const newestFirst = [...input.prior].sort((a, b) => b.sampledAt - a.sampledAt);
  const cases: Insertable<CaseTable>[] = [];
  const stayOf = new Map<
    string,
    {
      slot: Slot | null;
      need: TransferNeed;
      person: Resident;
      reportedAt: number;
      admittedAt: number;
      endedAt: number | null;
    }
  >();
  newestFirst.forEach((c, i) => {
    const risk = assessRisk(c, Number(dayOf(c.sampledAt, tz).slice(0, 4)));
    const need: TransferNeed = risk.highRisk ? 'case_severe' : 'case_asymptomatic';
    const slot = picker.take(need, c.districtId);
    const reportedAt = c.sampledAt + 18 * HOUR;
    const admittedAt = reportedAt + 6 * HOUR;
    const endedAt = slot ? null : Math.min(admittedAt + 10 * 24 * HOUR, input.now - HOUR);
    const sourceKey = caseSourceKey('screening', `PR${i}`, c.personId);
    stayOf.set(sourceKey, { slot, need, person: c, reportedAt, admittedAt, endedAt });
    cases.push({
      district_id: c.districtId,
      street_id: c.streetId,
      committee_id: c.committeeId,
      person_id: c.personId,
      place_id: c.placeId,
      household_id: c.householdId,
      source: 'screening',
      source_key: sourceKey,
      source_ref: `PR${i}`,
      round_id: null,
      ct: 25,
      sampled_at: c.sampledAt,
      reported_at: reportedAt,
      sampled_day: dayOf(c.sampledAt, tz),
      reported_day: dayOf(reportedAt, tz),
      classification: c.inside ? 'inside_control' : 'community',
      control_kinds: c.inside ? 'sealed_residence' : '',
      rule_set: 'shanghai-2022-04-11@1',
      severity: 'unassessed',
      high_risk: risk.highRisk ? 1 : 0,
      risk_factors: risk.factors.join(','),
      state: slot ? 'admitted' : 'discharged',
      state_at: endedAt ?? admittedAt,
      facility_id: slot?.pool.facilityId ?? null,
      created_at: reportedAt,
      created_by: null,
    });
  });
  const caseIds = await insertReturning(ctx, 'cases', cases, (r) => String(r.source_key));

  const stays = [...stayOf].map(([key, s]) => ({ ...s, caseId: caseIds.get(key)!, kind: 'case' as const }));
  const contactStays = input.contacts.map((p) => {
    const slot = picker.take('close_contact', p.districtId);
    const admittedAt = input.now - (1 + (p.personId % 5)) * 24 * HOUR;
    return {
      slot,
      need: 'close_contact' as TransferNeed,
      person: p,
      reportedAt: admittedAt - 6 * HOUR,
      admittedAt,
      endedAt: slot ? null : admittedAt + 24 * HOUR,
      caseId: null,
      kind: 'contact' as const,
    };
  });
  const all = [...stays, ...contactStays.filter((s) => s.slot)];
  const bedNo = new Map<Slot, number>();
  const numbered = all.map((s) => {
    const no = s.slot ? (bedNo.get(s.slot) ?? 0) + 1 : null;
    if (s.slot) bedNo.set(s.slot, no!);
    return { ...s, bedNo: no };
  });
  const sourceId = (s: (typeof numbered)[number]) =>
    s.caseId != null ? String(s.caseId) : `c-${s.person.personId}`;
  const orders: Insertable<TransferOrderTable>[] = numbered.map((s) => ({
    district_id: s.person.districtId,
    street_id: s.person.streetId,
    committee_id: s.person.committeeId,
    person_id: s.person.personId,
    case_id: s.caseId,
    kind: s.kind,
    need: s.need,
    need_reason: '',
    source_type: s.caseId != null ? 'case' : 'bench_contact',
    source_id: sourceId(s),
    status: 'admitted',
    found_at: s.reportedAt,
    facility_id: s.slot?.pool.facilityId ?? null,
    facility_district_id: s.slot?.pool.districtId ?? null,
    bed_kind: s.slot?.pool.bedKind ?? null,
    bed_no: s.bedNo,
    allocated_at: s.reportedAt + HOUR,
    dispatched_at: s.reportedAt + 2 * HOUR,
    picked_up_at: s.reportedAt + 3 * HOUR,
    arrived_at: s.admittedAt,
    admitted_at: s.admittedAt,
    created_at: s.reportedAt,
  }));
  const orderIds = await insertReturning(ctx, 'transfer_orders', orders, (r) => String(r.source_id));
  // Discharged cases' stays are history only: their facility is the first shelter of their district.
  const firstPools = new Map<string, PoolRow>();
  const anyPool = (need: TransferNeed, d: number) => {
    const key = `${need}:${d}`;
    let pool = firstPools.get(key);
    if (!pool) {
      pool =
        slots.find((s) => s.pool.admits.includes(need) && s.pool.districtId === d)?.pool ??
        slots.find((s) => s.pool.admits.includes(need))!.pool;
      firstPools.set(key, pool);
    }
    return pool;
  };
  const admissions: Insertable<AdmissionTable>[] = numbered.map((s) => {
    const pool = s.slot?.pool ?? anyPool(s.need, s.person.districtId);
    return {
      district_id: s.person.districtId,
      person_id: s.person.personId,
      case_id: s.caseId,
      order_id: orderIds.get(sourceId(s))!,
      kind: s.kind,
      need: s.need,
      facility_id: pool.facilityId,
      facility_district_id: pool.districtId,
      bed_kind: pool.bedKind,
      bed_no: s.bedNo ?? 0,
      admitted_at: s.admittedAt,
      admitted_day: dayOf(s.admittedAt, tz),
      ended_at: s.endedAt,
      ended_day: s.endedAt == null ? null : dayOf(s.endedAt, tz),
      outcome: s.endedAt == null ? null : 'discharged',
    };
  });
  const admissionIds = await insertReturning(ctx, 'admissions', admissions, (r) => String(r.order_id));
  const live = numbered.filter((s) => s.slot);
  const beds = live.map((s) => ({
    district_id: s.slot!.pool.districtId,
    facility_id: s.slot!.pool.facilityId,
    bed_kind: s.slot!.pool.bedKind,
    bed_no: s.bedNo!,
    order_id: orderIds.get(sourceId(s))!,
    person_id: s.person.personId,
    status: 'occupied' as const,
    since: s.admittedAt,
    released_at: null,
  }));
  const quarantineEnd = (admittedAt: number) => startOfDay(addDays(dayOf(admittedAt, tz), 7), tz);
  const episodes = live.map((s) => ({
    district_id: s.person.districtId,
    person_id: s.person.personId,
    kind: s.kind === 'case' ? ('isolation' as const) : ('quarantine' as const),
    from_at: s.admittedAt,
    until_at: s.kind === 'case' ? null : quarantineEnd(s.admittedAt),
    source_type: 'admission',
    source_id: String(admissionIds.get(String(orderIds.get(sourceId(s))))),
    ended_reason: null,
    created_at: s.admittedAt,
  }));
  for (let i = 0; i < beds.length; i += 300) {
    await ctx.store.db
      .insertInto('bed_assignments')
      .values(beds.slice(i, i + 300))
      .execute();
  }
  for (let i = 0; i < episodes.length; i += 300) {
    await ctx.store.db
      .insertInto('control_episodes')
      .values(episodes.slice(i, i + 300))
      .execute();
  }
  for (const s of slots.filter((x) => x.used > 0)) {
    const row = {
      facility_id: s.pool.facilityId,
      bed_kind: s.pool.bedKind,
      district_id: s.pool.districtId,
      reserved: 0,
      occupied: s.used,
      cursor: (s.used % s.pool.total) + 1,
    };
    await ctx.store.db
      .insertInto('bed_occupancy')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['facility_id', 'bed_kind']).doUpdateSet({ occupied: s.used, cursor: row.cursor }),
      )
      .execute();
  }
  return {
    admittedCases: stays.filter((s) => s.slot).length,
    admittedContacts: contactStays.filter((s) => s.slot).length,
  };
}
