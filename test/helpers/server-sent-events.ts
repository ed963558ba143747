import { request } from 'undici';
import { expect } from 'vitest';

/** One event of a `text/event-stream`, its data parsed as JSON. */
export interface ServerSentEvent {
  type: string;
  data: Record<string, unknown>;
}

/** Reads server-sent events until the stream ends or `stopAfter` says stop (then disconnects). */
export async function readEvents(url: string, stopAfter?: (events: ServerSentEvent[]) => boolean): Promise<ServerSentEvent[]> {
  const response = await request(url, { headers: { accept: 'text/event-stream' } });
  expect(response.headers['content-type']).toContain('text/event-stream');
  const events: ServerSentEvent[] = [];
  let buffer = '';
  for await (const chunk of response.body) {
    buffer += chunk.toString();
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const type = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data !== undefined) events.push({ type, data: JSON.parse(data) });
    }
    if (stopAfter?.(events)) {
      response.body.destroy();
      break;
    }
  }
  return events;
}
