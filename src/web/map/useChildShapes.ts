import { useEffect, useState } from 'react';
import { ApiError, type ApiClient } from '../api/client.ts';
import { featureRegionId, fetchChildShapes, type RegionFeatureCollection } from '../api/geometry.ts';
import { echarts } from '../charts/echarts.ts';

export type ShapesState =
  | { status: 'loading' }
  | { status: 'ready'; mapName: string }
  /** No shapes for these children (committees, or the regions API has not landed): draw a list. */
  | { status: 'absent' };

/** Shapes change only when the registry is re-imported: fetched once per region per page. */
const registered = new Map<number, string | null>();

/**
 * Registers the children's shapes with ECharts under a per-region map name. Each feature is
 * renamed to its region id so the map's data joins on ids, not on names that differ by language.
 */
function register(regionId: number, collection: RegionFeatureCollection): string | null {
  const features = collection.features
    .map((f) => ({ f, id: featureRegionId(f) }))
    .filter(({ f, id }) => id != null && f.geometry != null)
    .map(({ f, id }) => ({
      type: 'Feature' as const,
      properties: { name: String(id) },
      geometry: f.geometry,
    }));
  if (features.length === 0) return null;
  const mapName = `cordon-region-${regionId}`;
  echarts.registerMap(mapName, { type: 'FeatureCollection', features } as unknown as Parameters<
    typeof echarts.registerMap
  >[1]);
  return mapName;
}

export function useChildShapes(api: ApiClient, regionId: number, hasShapes: boolean): ShapesState {
  const known = registered.get(regionId);
  const [state, setState] = useState<ShapesState>(() => initial(known, hasShapes));

  useEffect(() => {
    const cached = registered.get(regionId);
    if (!hasShapes || cached !== undefined) {
      setState(initial(cached, hasShapes));
      return undefined;
    }
    let cancelled = false;
    setState({ status: 'loading' });
    fetchChildShapes(api, regionId)
      .then((collection) => register(regionId, collection))
      .catch((error: unknown) => {
        // Missing route or no shapes: a list instead of a map. Other errors: retried next visit.
        if (error instanceof ApiError && (error.routeMissing || error.status === 404)) return null;
        throw error;
      })
      .then(
        (mapName) => {
          registered.set(regionId, mapName);
          if (!cancelled) setState(mapName ? { status: 'ready', mapName } : { status: 'absent' });
        },
        () => {
          if (!cancelled) setState({ status: 'absent' });
        },
      );
    return () => {
      cancelled = true;
    };
  }, [api, regionId, hasShapes]);

  return state;
}

function initial(known: string | null | undefined, hasShapes: boolean): ShapesState {
  if (!hasShapes || known === null) return { status: 'absent' };
  return known ? { status: 'ready', mapName: known } : { status: 'loading' };
}
