import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * A region scope as a row filter. Tracing tables carry the district and street of their subject,
 * so a city, district or street scope is a plain column test; a committee (street staff may sit at
 * one) goes through the person's registry row. Built in app/ from the region directory.
 */
export type RegionFilter =
  | { level: 'city' }
  | { level: 'district'; id: number }
  | { level: 'street'; id: number }
  | { level: 'committee'; id: number };

/**
 * The SQL condition "this row's subject is inside the scope", for a table alias whose district,
 * street and person columns are named by `columns`.
 */
export function regionCondition(
  filter: RegionFilter,
  columns: { district: string; street: string; person: string },
): Expression<SqlBool> {
  switch (filter.level) {
    case 'city':
      return sql<SqlBool>`1 = 1`;
    case 'district':
      return sql<SqlBool>`${sql.ref(columns.district)} = ${filter.id}`;
    case 'street':
      return sql<SqlBool>`${sql.ref(columns.street)} = ${filter.id}`;
    case 'committee':
      return sql<SqlBool>`${sql.ref(columns.person)} in (select "id" from "people" where "committee_id" = ${filter.id})`;
  }
}
