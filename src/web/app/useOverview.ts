import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/client.ts';
import { fetchOverview, type Overview } from '../api/dashboard.ts';

export interface OverviewState {
  overview: Overview | null;
  error: Error | null;
  /** Ask for fresh data (an event arrived, an action was taken); bursts coalesce. */
  refresh(): void;
}

/**
 * Event-driven refetches start at most this often. During a citywide round a city user's stream
 * carries thousands of events a second; one overview every 400 ms keeps the page within a second
 * of the truth while each open screen costs the server a bounded load.
 */
const MIN_REFRESH_GAP_MS = 400;

/** How soon to ask again when the server says some sections are being recounted. */
const REFRESHING_RETRY_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The overview of one region. At most one request is in flight; refreshes asked for meanwhile run
 * once when it returns, so the newest state always arrives and a burst costs two requests, not
 * one per event. A change of region fetches at once.
 */
export function useOverview(api: ApiClient, regionId: number | null): OverviewState {
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const inFlight = useRef(false);
  const again = useRef(false);
  const lastStarted = useRef(0);
  const current = useRef({ api, regionId });
  current.current = { api, regionId };

  const load = useCallback(async (throttled: boolean) => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    try {
      let first = true;
      do {
        again.current = false;
        if (throttled || !first) await sleep(lastStarted.current + MIN_REFRESH_GAP_MS - Date.now());
        first = false;
        lastStarted.current = Date.now();
        const asked = current.current;
        try {
          const next = await fetchOverview(asked.api, asked.regionId);
          // A drill-down may have happened while this was in flight: drop the stale answer.
          if (asked.regionId === current.current.regionId && asked.api === current.current.api) {
            setOverview(next);
            setError(null);
          } else again.current = true;
        } catch (e) {
          setError(e instanceof Error ? e : new Error(String(e)));
        }
      } while (again.current);
    } finally {
      inFlight.current = false;
    }
  }, []);

  useEffect(() => {
    void load(false);
  }, [api, regionId, load]);

  // Sections still being recounted after a change were sent as they were: ask again shortly.
  useEffect(() => {
    if (!overview || overview.refreshing.length === 0) return undefined;
    const timer = setTimeout(() => void load(true), REFRESHING_RETRY_MS);
    return () => clearTimeout(timer);
  }, [overview, load]);

  const refresh = useCallback(() => void load(true), [load]);
  return { overview, error, refresh };
}
