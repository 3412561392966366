import { useCallback, useEffect, useRef, useState } from 'react';

export interface Remote<T> {
  data: T | null;
  error: Error | null;
  reload(): void;
}

/** Event-driven reloads start at most this often (the overview's reasoning: useOverview.ts). */
const MIN_GAP_MS = 400;

/**
 * Data a work screen shows, loaded when its inputs change and again whenever `version` moves
 * (an event reached the page), one request at a time: a burst of events costs two loads.
 */
export function useRemote<T>(load: () => Promise<T>, inputs: readonly unknown[], version: number): Remote<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const busy = useRef(false);
  const again = useRef(false);
  const last = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  const run = useCallback(async () => {
    if (busy.current) {
      again.current = true;
      return;
    }
    busy.current = true;
    try {
      do {
        again.current = false;
        const wait = last.current + MIN_GAP_MS - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        last.current = Date.now();
        try {
          setData(await loader.current());
          setError(null);
        } catch (e) {
          setError(e instanceof Error ? e : new Error(String(e)));
        }
      } while (again.current);
    } finally {
      busy.current = false;
    }
  }, []);

  // The inputs are the caller's (what the load depends on); `version` is the event count.
  useEffect(() => {
    void run();
  }, [run, version, ...inputs]);

  return { data, error, reload: useCallback(() => void run(), [run]) };
}
