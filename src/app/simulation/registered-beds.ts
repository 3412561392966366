import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context.ts';
import type { RegisteredBeds } from './actors/command.ts';

/**
 * The facilities' bed totals as the registry had them before any simulation opened or closed
 * beds — kept in the data directory the first time a run sees them. The command post sets the
 * beds that are open on a day (PUT /facilities/{id}/beds) as a share of these, and the model's
 * bed supply is the same share, so a second run on the same database starts from the same city.
 */
const FILE = 'simulation-registered-beds.json';

export async function registeredBeds(ctx: AppContext): Promise<RegisteredBeds> {
  const file = path.join(ctx.config.dataDir, FILE);
  if (fs.existsSync(file)) {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as [
      number,
      { bedKind: string; total: number }[],
    ][];
    return new Map(saved);
  }
  const rows = await ctx.store.db
    .selectFrom('facility_beds')
    .select(['facility_id', 'bed_kind', 'total'])
    .orderBy('facility_id')
    .orderBy('bed_kind')
    .execute();
  const beds: RegisteredBeds = new Map();
  for (const r of rows) {
    const id = Number(r.facility_id);
    beds.set(id, [...(beds.get(id) ?? []), { bedKind: r.bed_kind, total: Number(r.total) }]);
  }
  fs.mkdirSync(ctx.config.dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify([...beds]));
  return beds;
}
