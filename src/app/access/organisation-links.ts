import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Database } from '../../store/schema.ts';

/**
 * How an organisation reaches people (SPEC: "its own people and objects, wherever they live").
 * Today: its workers. Later capabilities register their own links here — a transfer team's
 * orders, a facility's admissions — and every scoped people query picks them up.
 */
export interface OrganisationPeopleLink {
  name: string;
  /**
   * `member`: the person works there. `order`: one of the organisation's orders names the person;
   * only this kind lets transfer and facility staff reveal a name and phone (policy.ts).
   */
  kind: 'member' | 'order';
  /** A condition on `people` that holds when the person is linked to the organisation. */
  matches(eb: ExpressionBuilder<Database, 'people'>, organisationId: number): Expression<SqlBool>;
}

const workplace: OrganisationPeopleLink = {
  name: 'workplace',
  kind: 'member',
  matches: (eb, organisationId) => eb('people.workplace_org_id', '=', organisationId),
};

const links: OrganisationPeopleLink[] = [workplace];

export function registerOrganisationPeopleLink(link: OrganisationPeopleLink): void {
  if (links.some((l) => l.name === link.name)) return;
  links.push(link);
}

export function organisationPeopleLinks(
  kind?: OrganisationPeopleLink['kind'],
): readonly OrganisationPeopleLink[] {
  return kind ? links.filter((l) => l.kind === kind) : links;
}
