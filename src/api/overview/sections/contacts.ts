import { CONTROL_SOURCE } from '../../../domain/tracing/types.ts';
import type {} from '../../../store/tracing/tables.ts';
import type { SectionSource } from '../area.ts';
import { personColumn } from './group.ts';

const DAY_MS = 86_400_000;

/**
 * Contacts (密接 / 次密接) living in the area who are in quarantine now — the quarantine control
 * episodes tracing opens for them (source `tracing.close_contact` / `tracing.secondary_contact`),
 * the kernel's one record of being under control — and contacts tracing recorded in the last
 * 24 hours (not dismissed).
 */
export const contactsSection: SectionSource<'contacts'> = {
  key: 'contacts',
  async compute(ctx, area) {
    const db = ctx.store.db;
    let quarantined = db
      .selectFrom('control_episodes as ce')
      .innerJoin('people as p', (j) =>
        j.onRef('p.id', '=', 'ce.person_id').onRef('p.district_id', '=', 'ce.district_id'),
      )
      .select((eb) => ['ce.source_type', eb.fn.count<number>('ce.person_id').distinct().as('n')])
      .where('ce.source_type', 'in', [CONTROL_SOURCE.close, CONTROL_SOURCE.secondary])
      .where('ce.kind', '=', 'quarantine')
      .where('ce.from_at', '<=', area.now)
      .where((eb) => eb.or([eb('ce.until_at', 'is', null), eb('ce.until_at', '>', area.now)]))
      .groupBy('ce.source_type');
    if (area.filterColumn) {
      quarantined = quarantined.where(personColumn(area.filterColumn), '=', area.region.id);
    }
    let traced = db
      .selectFrom('tracing_contacts as tc')
      .innerJoin('people as p', (j) =>
        j.onRef('p.id', '=', 'tc.person_id').onRef('p.district_id', '=', 'tc.district_id'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tc.created_at', '>', area.now - DAY_MS)
      .where('tc.created_at', '<=', area.now)
      .where('tc.status', '!=', 'dismissed');
    if (area.filterColumn) traced = traced.where(personColumn(area.filterColumn), '=', area.region.id);
    const [byDegree, recent] = await Promise.all([quarantined.execute(), traced.executeTakeFirst()]);
    const count = (source: string) => Number(byDegree.find((r) => r.source_type === source)?.n ?? 0);
    return {
      data: {
        inQuarantine: { close: count(CONTROL_SOURCE.close), secondary: count(CONTROL_SOURCE.secondary) },
        traced24h: Number(recent?.n ?? 0),
      },
    };
  },
};
