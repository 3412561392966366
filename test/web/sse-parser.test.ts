import { describe, expect, it } from 'vitest';
import { SseParser } from '../../src/web/live/sse.ts';

describe("the page's event-stream parser", () => {
  it('reads named events split across chunks, skipping heartbeats and retry lines', () => {
    const parser = new SseParser();
    expect(parser.push('retry: 2000\n\n: ping\n\nid: 7\nevent: alert.op')).toEqual([]);
    const messages = parser.push('ened\ndata: {"id":7}\n\nid: 8\nevent: clock.set\ndata: {"id":8}\n\n');
    expect(messages).toEqual([
      { id: 7, type: 'alert.opened', data: '{"id":7}' },
      { id: 8, type: 'clock.set', data: '{"id":8}' },
    ]);
  });

  it('accepts CRLF line ends and multi-line data', () => {
    const parser = new SseParser();
    expect(parser.push('event: x\r\ndata: a\r\ndata: b\r\n\r\n')).toEqual([
      { id: null, type: 'x', data: 'a\nb' },
    ]);
  });
});
