import { actorOf, audit } from '../../app/access/audit.ts';
import type { AppContext } from '../../app/context.ts';
import { loadPersonAddresses } from '../../app/kernel/repositories/person-addresses.ts';
import { episodesOfPerson } from '../../app/kernel/repositories/control-episodes-repo.ts';
import type { Principal } from '../../domain/access/principal.ts';
import { DomainError } from '../../domain/errors.ts';
import { isActiveAt } from '../../domain/kernel/control-episodes.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { presentEpisode } from './presenter.ts';
import { controlEpisodeQuery, controlEpisodeResponse } from './schema.ts';

/**
 * A person's control episodes. Region-scoped users see people living in their region; a resident
 * sees their own; organisation scopes have no view here (their own capabilities show what they
 * need). Out of scope reads as not found. Health data: every read is audited.
 */
async function authorisePerson(ctx: AppContext, principal: Principal, personId: number): Promise<number> {
  const scope = principal.scope;
  if (scope.kind === 'organisation') {
    throw new DomainError('forbidden', 'control episodes are shown to region-scoped users and to the person');
  }
  if (scope.kind === 'self') {
    if (scope.personId !== personId) {
      throw new DomainError('out_of_scope', `person ${personId} not found in your area`);
    }
    return personId;
  }
  const address = await loadPersonAddresses(ctx.store.db, [personId]).catch(() => null);
  const leaf = address?.get(personId);
  if (!leaf || !ctx.regions.isWithin(leaf.leafRegionId, scope.regionId)) {
    throw new DomainError('out_of_scope', `person ${personId} not found in your area`);
  }
  return leaf.districtId;
}

export async function controlEpisodeRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  api.get(
    '/control-episodes',
    {
      schema: {
        tags: ['control'],
        summary:
          "A person's control episodes (quarantine, isolation, sealed or controlled residence, pool hold, home monitoring)",
        querystring: controlEpisodeQuery,
        response: { 200: controlEpisodeResponse },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { personId, activeAt } = request.query;
      await authorisePerson(ctx, principal, personId);
      const all = await episodesOfPerson(ctx.store.db, personId);
      const items = activeAt === undefined ? all : all.filter((e) => isActiveAt(e, activeAt));
      await audit(ctx, {
        actor: actorOf(principal),
        action: 'control_episodes.read',
        subjectType: 'person',
        subjectIds: [personId],
        fields: ['control_episodes'],
        requestId: request.id,
      });
      const now = ctx.clock.now();
      return { personId, items: items.map((e) => presentEpisode(e, now)) };
    },
  );
}
