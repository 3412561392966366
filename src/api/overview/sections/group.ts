import { sql, type RawBuilder } from 'kysely';
import type { OverviewArea, RegionColumn } from '../area.ts';

/**
 * Grouped counts come back as (child, n) rows; PostgreSQL returns counts as strings (bigint),
 * so every count passes through Number here.
 */
export interface ChildCount {
  child: number | string | null;
  n: number | string | bigint;
}

/** Sums the groups (including rows attributed to no child) and maps each child to its count. */
export function foldChildCounts(rows: readonly ChildCount[]): {
  total: number;
  byChild: Map<number, number>;
} {
  let total = 0;
  const byChild = new Map<number, number>();
  for (const row of rows) {
    const n = Number(row.n);
    total += n;
    if (row.child != null) byChild.set(Number(row.child), (byChild.get(Number(row.child)) ?? 0) + n);
  }
  return { total, byChild };
}

/**
 * A reference to the region column of the `people` row joined as `p`: every district-keyed table
 * reaches the street and committee through its person, which keeps one rule for "in this area".
 */
export function personColumn(column: RegionColumn): RawBuilder<number | null> {
  return sql<number | null>`${sql.ref(`p.${column}`)}`;
}

/**
 * The child a row belongs to. A committee has no children: its rows group by its own column
 * (one group), since PostgreSQL refuses GROUP BY a constant.
 */
export function childOf(area: OverviewArea): RawBuilder<number | null> {
  return personColumn(area.childColumn ?? area.filterColumn ?? 'district_id');
}
