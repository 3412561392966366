import type { Principal } from '../../domain/access/principal.ts';
import { DomainError, notFound } from '../../domain/errors.ts';
import { memberResult } from '../../domain/screening/results.ts';
import { mayTransition } from '../../domain/screening/tube.ts';
import type { AppContext } from '../context.ts';
import { authoriseSite, loadSite } from './sites.ts';

/** Tubes outside the scan path: closing one by hand (a sampler ends a tube before it is full), and reading one. */
async function findTube(ctx: AppContext, barcode: string) {
  const tube = await ctx.store.db
    .selectFrom('tubes')
    .selectAll()
    .where('barcode', '=', barcode)
    .executeTakeFirst();
  if (!tube) throw notFound(`tube ${barcode}`);
  return tube;
}

export async function closeTube(ctx: AppContext, principal: Principal, barcode: string) {
  const tube = await findTube(ctx, barcode);
  await authoriseSite(ctx, principal, Number(tube.site_id));
  if (!mayTransition(tube.state, 'close')) {
    throw new DomainError('conflict', `tube ${barcode} is ${tube.state}, not open`, [
      { field: 'barcode', message: `tube is ${tube.state}` },
    ]);
  }
  if (Number(tube.filled) === 0) {
    throw new DomainError('conflict', `tube ${barcode} holds no sample`, [
      { field: 'barcode', message: 'empty tube' },
    ]);
  }
  const now = ctx.clock.now();
  // The state guard keeps a scan committed meanwhile (which may have closed it as full) authoritative.
  await ctx.store.db
    .updateTable('tubes')
    .set({ state: 'closed', closed_at: now })
    .where('id', '=', tube.id)
    .where('state', '=', 'open')
    .execute();
  return findTube(ctx, barcode);
}

/** A tube as its site's samplers, its lab, or region users over its site see it: no member is named. */
export async function getTube(ctx: AppContext, principal: Principal, barcode: string) {
  const tube = await findTube(ctx, barcode);
  const site = (await loadSite(ctx, Number(tube.site_id)))!;
  const scope = principal.scope;
  const allowed =
    (scope.kind === 'organisation' &&
      (scope.organisationId === site.organisation_id || scope.organisationId === Number(tube.lab_id))) ||
    (scope.kind === 'region' && ctx.regions.isWithin(Number(tube.street_id), scope.regionId));
  if (!allowed) throw new DomainError('out_of_scope', `tube ${barcode} not found in your area`);
  return { ...tube, memberResult: memberResult({ result: tube.result, members: Number(tube.filled) }) };
}
