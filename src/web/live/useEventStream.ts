import { useEffect, useRef, useState } from 'react';
import { SseParser, type StreamMessage } from './sse.ts';

export type StreamStatus = 'connecting' | 'live' | 'down';

const RETRY_MS = 2000;

/**
 * Follows the scoped event stream (/api/v1/events) and calls `onMessage` for every event.
 *
 * Why fetch and not EventSource: the server names each SSE message by its event type
 * (`event: alert.opened`), and EventSource only delivers named messages to listeners registered
 * for that exact name — the dashboard would have to know every type in advance. Reading the
 * stream with fetch sees them all, sends the token as a header (not in the URL, so not in access
 * logs), and resumes with Last-Event-ID after a drop, as EventSource would.
 */
export function useEventStream(
  token: string | null,
  onMessage: (message: StreamMessage) => void,
): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const handler = useRef(onMessage);
  handler.current = onMessage;

  useEffect(() => {
    if (!token) return undefined;
    const abort = new AbortController();
    let lastId: number | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;

    const connect = async () => {
      setStatus('connecting');
      try {
        const headers: Record<string, string> = {
          accept: 'text/event-stream',
          authorization: `Bearer ${token}`,
        };
        if (lastId != null) headers['last-event-id'] = String(lastId);
        const response = await fetch('/api/v1/events', { headers, signal: abort.signal, cache: 'no-store' });
        if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
        setStatus('live');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        const parser = new SseParser();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const message of parser.push(value)) {
            if (message.id != null) lastId = message.id;
            handler.current(message);
          }
        }
      } catch {
        if (abort.signal.aborted) return;
      }
      if (abort.signal.aborted) return;
      setStatus('down');
      retry = setTimeout(() => void connect(), RETRY_MS);
    };
    void connect();
    return () => {
      abort.abort();
      clearTimeout(retry);
    };
  }, [token]);

  return status;
}
