/** One message of the event stream: the SSE id (delivery sequence) and the event's type. */
export interface StreamMessage {
  id: number | null;
  type: string;
  data: string;
}

/** Splits an SSE text stream into messages; comments (heartbeats) and `retry:` lines are dropped. */
export class SseParser {
  private buffer = '';

  push(chunk: string): StreamMessage[] {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    const out: StreamMessage[] = [];
    let split: number;
    while ((split = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, split);
      this.buffer = this.buffer.slice(split + 2);
      const message = parseBlock(block);
      if (message) out.push(message);
    }
    return out;
  }
}

function parseBlock(block: string): StreamMessage | null {
  let id: number | null = null;
  let type = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id' && /^\d+$/.test(value)) id = Number(value);
    else if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  }
  return data.length ? { id, type, data: data.join('\n') } : null;
}
