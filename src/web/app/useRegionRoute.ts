import { useCallback, useEffect, useState } from 'react';

/**
 * The region being looked at lives in the address (`?region=ID`), so the browser's back button
 * climbs back out of a drill-down and a wall screen can be pointed at one district by URL.
 */
function readRegion(): number | null {
  const value = new URLSearchParams(window.location.search).get('region');
  return value && /^\d+$/.test(value) ? Number(value) : null;
}

export function useRegionRoute(): [number | null, (regionId: number | null) => void] {
  const [regionId, setRegionId] = useState<number | null>(readRegion);
  useEffect(() => {
    const onPop = () => setRegionId(readRegion());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const go = useCallback((next: number | null) => {
    const url = new URL(window.location.href);
    if (next == null) url.searchParams.delete('region');
    else url.searchParams.set('region', String(next));
    window.history.pushState(null, '', url);
    setRegionId(next);
  }, []);
  return [regionId, go];
}
