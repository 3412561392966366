import type { AppContext } from '../../src/app/context.ts';

/**
 * Who is sampled where in the bench's citywide round, as sampler devices would do it: each
 * street's residents go to its sampling sites (fixed and mobile first) in contiguous slices;
 * ten people to a tube (a first round), couriers and delivery riders in single tubes (the
 * round's group override). Streamed street by street, so memory stays flat at any scale.
 */
export interface SiteSlot {
  siteId: number;
  organisationId: number;
  districtId: number;
  streetId: number;
}

export interface PlannedScan {
  ref: string;
  districtId: number;
  tubeCode: string;
  tubeCapacity: number;
  tubePurpose: 'pooled';
}

export interface SiteBatch {
  site: SiteSlot;
  scans: PlannedScan[];
}

const SINGLE_TUBE_OCCUPATIONS = new Set(['delivery', 'courier', 'logistics']);
export const POOL_SIZE = 10;

export async function streetSites(ctx: AppContext): Promise<Map<number, SiteSlot[]>> {
  const rows = await ctx.store.db
    .selectFrom('sampling_sites')
    .select(['id', 'organisation_id', 'district_id', 'street_id', 'kind'])
    .orderBy('id')
    .execute();
  const byStreet = new Map<number, { slot: SiteSlot; kind: string }[]>();
  for (const r of rows) {
    const list = byStreet.get(Number(r.street_id)) ?? [];
    list.push({
      slot: {
        siteId: Number(r.id),
        organisationId: Number(r.organisation_id),
        districtId: Number(r.district_id),
        streetId: Number(r.street_id),
      },
      kind: r.kind,
    });
    byStreet.set(Number(r.street_id), list);
  }
  const out = new Map<number, SiteSlot[]>();
  for (const [street, list] of byStreet) {
    const walkIn = list.filter((s) => s.kind !== 'door_to_door');
    out.set(
      street,
      (walkIn.length ? walkIn : list).map((s) => s.slot),
    );
  }
  return out;
}

/**
 * Yields batches of at most `batchSize` scans, each from one site (a device uploads its own
 * scans). `limit` stops after that many scans (the baseline's sample).
 */
export async function* planScans(
  ctx: AppContext,
  sites: Map<number, SiteSlot[]>,
  batchSize: number,
  limit = Infinity,
): AsyncGenerator<SiteBatch> {
  let emitted = 0;
  const streets = [...sites.keys()].sort((a, b) => a - b);
  for (const street of streets) {
    const people = await ctx.store.db
      .selectFrom('people')
      .select(['ref', 'district_id', 'occupation'])
      .where('street_id', '=', street)
      .where('purged_at', 'is', null)
      .orderBy('id')
      .execute();
    const slots = sites.get(street)!;
    const per = Math.ceil(people.length / slots.length);
    for (const [k, site] of slots.entries()) {
      const slice = people.slice(k * per, (k + 1) * per);
      let tubeSeq = 0;
      let pooled: { code: string; filled: number } | null = null;
      let batch: PlannedScan[] = [];
      for (const p of slice) {
        let scan: PlannedScan;
        if (SINGLE_TUBE_OCCUPATIONS.has(p.occupation ?? '')) {
          scan = {
            ref: p.ref,
            districtId: Number(p.district_id),
            tubeCode: `S${site.siteId}-${++tubeSeq}`,
            tubeCapacity: 1,
            tubePurpose: 'pooled',
          };
        } else {
          if (!pooled || pooled.filled === POOL_SIZE) {
            pooled = { code: `P${site.siteId}-${++tubeSeq}`, filled: 0 };
          }
          pooled!.filled++;
          // Every scan names its tube's size: batches of one tube may arrive in any order.
          scan = {
            ref: p.ref,
            districtId: Number(p.district_id),
            tubeCode: pooled!.code,
            tubeCapacity: POOL_SIZE,
            tubePurpose: 'pooled',
          };
        }
        batch.push(scan);
        if (batch.length === batchSize) {
          yield { site, scans: batch };
          emitted += batch.length;
          batch = [];
          if (emitted >= limit) return;
        }
      }
      if (batch.length > 0) {
        yield { site, scans: batch };
        emitted += batch.length;
        if (emitted >= limit) return;
      }
    }
  }
}
