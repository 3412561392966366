import type { AppContext } from '../../app/context.ts';
import { regionViewOf, requireRegion, subtreeColumn } from '../../app/registry/region-access.ts';
import type { RegionNode } from '../../app/registry/region-directory.ts';
import { DomainError } from '../../domain/errors.ts';
import { listPlaces, regionGeometries } from '../../store/registry/registry-queries.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { presentGeometry, presentPlace, presentRegion } from './presenter.ts';
import {
  ChildrenQuery,
  PlacePage,
  PlacesQuery,
  RegionDetail,
  RegionFeatureCollection,
  RegionParams,
  RegionTree,
  RegionTreeQuery,
} from './schema.ts';

const LEVEL_ORDER = { city: 0, district: 1, street: 2, committee: 3 } as const;
const byLevelThenCode = (a: RegionNode, b: RegionNode) =>
  LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.code.localeCompare(b.code);

/**
 * The registry API: the region tree for the map's drill-down (city → district → street →
 * committee) and places by area. Every route is scoped (app/registry/region-access.ts) and
 * carries no personal data; people have their own routes.
 */
export async function registryRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  const tags = ['registry'];

  api.get(
    '/regions',
    {
      schema: {
        tags,
        summary: 'The region tree of your area, with its ancestors by name',
        querystring: RegionTreeQuery,
        response: { 200: RegionTree },
      },
    },
    async (request) => {
      const view = await regionViewOf(ctx, requirePrincipal(request));
      const maxLevel = LEVEL_ORDER[request.query.maxLevel ?? 'committee'];
      const ancestors = ctx.regions
        .ancestry(view.root.id)
        .slice(1)
        .reverse()
        .map((id) => ctx.regions.get(id)!);
      const subtree = ctx.regions
        .subtree(view.root.id)
        .map((id) => ctx.regions.get(id)!)
        .filter((n) => LEVEL_ORDER[n.level] <= maxLevel)
        .sort(byLevelThenCode);
      return {
        rootId: view.root.id,
        regions: [
          ...ancestors.map((n) => presentRegion(n, 'names')),
          ...subtree.map((n) => presentRegion(n, view.detail)),
        ],
      };
    },
  );

  api.get(
    '/regions/:id',
    {
      schema: {
        tags,
        summary: 'One region with its shape (GeoJSON)',
        params: RegionParams,
        response: { 200: RegionDetail },
      },
    },
    async (request) => {
      const view = await regionViewOf(ctx, requirePrincipal(request));
      const { node, access } = requireRegion(ctx, view, request.params.id);
      const geometry =
        access === 'full' ? (await regionGeometries(ctx.store.db, [node.id])).get(node.id) : null;
      return {
        ...presentRegion(node, access),
        geometry: presentGeometry(geometry),
        children: ctx.regions.childrenOf(node.id).length,
      };
    },
  );

  api.get(
    '/regions/:id/children',
    {
      schema: {
        tags,
        summary: 'The children of a region as a GeoJSON FeatureCollection (map drill-down)',
        params: RegionParams,
        querystring: ChildrenQuery,
        response: { 200: RegionFeatureCollection },
      },
    },
    async (request) => {
      const view = await regionViewOf(ctx, requirePrincipal(request));
      const { node, access } = requireRegion(ctx, view, request.params.id, true);
      const children = ctx.regions.childrenOf(node.id).sort(byLevelThenCode);
      const shapes =
        request.query.geometry && access === 'full'
          ? await regionGeometries(
              ctx.store.db,
              children.map((c) => c.id),
            )
          : new Map<number, string | null>();
      return {
        type: 'FeatureCollection' as const,
        parent: presentRegion(node, access),
        features: children.map((child) => ({
          type: 'Feature' as const,
          id: child.id,
          properties: presentRegion(child, access),
          geometry: presentGeometry(shapes.get(child.id)),
        })),
      };
    },
  );

  api.get(
    '/places',
    {
      schema: {
        tags,
        summary: 'Places in your area (compounds, buildings, workplaces…), cursor-paginated',
        querystring: PlacesQuery,
        response: { 200: PlacePage },
      },
    },
    async (request) => {
      const q = request.query;
      const view = await regionViewOf(ctx, requirePrincipal(request));
      for (const [field, regionId, level] of [
        ['street', q.street, 'street'],
        ['committee', q.committee, 'committee'],
      ] as const) {
        if (regionId === undefined) continue;
        const { node } = requireRegion(ctx, view, regionId, true);
        if (node.level !== level) {
          throw new DomainError(
            'validation_failed',
            `${field}: region ${regionId} is a ${node.level}, not a ${level}`,
            [{ field, message: `expected a ${level} id` }],
          );
        }
      }
      const rows = await listPlaces(ctx.store.db, {
        area: subtreeColumn(view),
        streetId: q.street,
        committeeId: q.committee,
        kind: q.kind,
        parentPlaceId: q.parent,
        afterId: q.cursor,
        limit: q.limit,
      });
      const page = rows.slice(0, q.limit);
      return {
        items: page.map(presentPlace),
        nextCursor: rows.length > q.limit ? page[page.length - 1].id : null,
      };
    },
  );
}
