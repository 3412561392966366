import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { OverviewArea } from '../area.ts';

/**
 * Area filters for tables that carry their own region columns (cases, transfer orders, zone
 * designations, tubes…), as raw SQL on an alias: `group.ts` covers tables reached through the
 * person. For the city every district is named, so the (district_id, …) indexes these tables
 * lead with still serve the query instead of a full scan.
 */
export function inArea(area: OverviewArea, alias: string): RawBuilder<SqlBool> {
  if (area.filterColumn) return sql<SqlBool>`${sql.ref(`${alias}.${area.filterColumn}`)} = ${area.region.id}`;
  const districts = area.children.map((c) => c.id);
  if (districts.length === 0) return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`${sql.ref(`${alias}.district_id`)} in (${sql.join(districts)})`;
}

/** The child a row belongs to, by the alias's own column (a committee groups by itself). */
export function childColumnOf(area: OverviewArea, alias: string): RawBuilder<number | null> {
  return sql<number | null>`${sql.ref(`${alias}.${area.childColumn ?? area.filterColumn ?? 'district_id'}`)}`;
}

/** One value per child of the area, zero where a child had no rows. */
export function perChild(area: OverviewArea, values: ReadonlyMap<number, number>): Map<number, number> {
  return new Map(area.children.map((c) => [c.id, values.get(c.id) ?? 0]));
}
