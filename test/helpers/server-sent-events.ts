import { type Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { expect } from 'vitest';

/** One event of a `text/event-stream`, its data parsed as JSON. */
export interface ServerSentEvent {
  type: string;
  /** The stream's last event id when this event was dispatched (as an EventSource's `lastEventId`). */
  id: string;
  data: Record<string, unknown>;
  /** The data as sent. */
  raw: string;
}

/**
 * A parser of the `text/event-stream` format as the HTML standard defines it (what a browser's
 * EventSource does): lines end with CRLF, LF or CR; `event`, `data` (several lines joined with LF), `id`
 * (ignored when it holds a NUL) and `retry` fields; lines starting with `:` are comments; a blank line
 * dispatches the event (none without data).
 */
export class EventStreamParser {
  lastEventId = '';
  retry: number | undefined;
  comments = 0;
  private buffer = '';
  private type = '';
  private data: string[] = [];

  constructor(private readonly onEvent: (event: ServerSentEvent) => void) {}

  push(text: string): void {
    this.buffer += text;
    let match: RegExpExecArray | null;
    // A lone CR at the very end may be the first half of a CRLF: wait for the next chunk.
    while ((match = /\r\n|\r(?!$)|\n/.exec(this.buffer)) !== null) {
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return void this.comments++;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.type = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
  }

  private dispatch(): void {
    const type = this.type || 'message';
    const data = this.data;
    this.type = '';
    this.data = [];
    if (data.length === 0) return;
    const raw = data.join('\n');
    this.onEvent({ type, id: this.lastEventId, data: JSON.parse(raw) as Record<string, unknown>, raw });
  }
}

/** One `GET` with `accept: text/event-stream` (and `Last-Event-ID` when given), by node:http. */
export function openStream(url: string, headers: Record<string, string> = {}, agent?: Agent): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers }, ...(agent ? { agent } : {}) }, resolve);
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** Reads server-sent events until the stream ends or `stopAfter` says stop (then disconnects). */
export async function readEvents(url: string, stopAfter?: (events: ServerSentEvent[]) => boolean, headers: Record<string, string> = {}): Promise<ServerSentEvent[]> {
  const response = await openStream(url, headers);
  expect(response.headers['content-type']).toContain('text/event-stream');
  const events: ServerSentEvent[] = [];
  const parser = new EventStreamParser((event) => events.push(event));
  response.setEncoding('utf8');
  for await (const chunk of response) {
    parser.push(chunk as string);
    if (stopAfter?.(events)) {
      response.destroy();
      break;
    }
  }
  return events;
}

/** What `EventSourceClient` saw. */
export interface EventSourceLog {
  events: ServerSentEvent[];
  /** Connections made (the first and every reconnect), with the `Last-Event-ID` each sent. */
  connections: Array<{ url: string; lastEventId: string | undefined; status?: number; eventsSeen: number }>;
  comments: number;
}

/**
 * An EventSource as browsers run one, for Node tests: it follows a stream, and when the connection
 * drops or the response ends it reconnects after the stream's `retry` delay with `Last-Event-ID`, to the
 * next of `origins` (one instance of a fleet, then another). It stops on an `end` event, on a 204 or on
 * another non-200 answer (as a browser's does), or on `close()`. `done` resolves then.
 */
export class EventSourceClient {
  readonly log: EventSourceLog = { events: [], connections: [], comments: 0 };
  readonly done: Promise<EventSourceLog>;
  private closed = false;
  private current: IncomingMessage | undefined;
  private lastEventId = '';
  private retry = 50;
  private resolveDone!: (log: EventSourceLog) => void;

  constructor(
    private readonly urls: readonly string[],
    private readonly options: { onEvent?: (event: ServerSentEvent, client: EventSourceClient) => void; maxConnections?: number } = {},
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    void this.connect(0);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.current?.destroy();
    this.resolveDone(this.log);
  }

  private async connect(attempt: number): Promise<void> {
    if (this.closed) return;
    if (attempt >= (this.options.maxConnections ?? 50)) return this.close();
    const url = this.urls[attempt % this.urls.length]!;
    const entry: EventSourceLog['connections'][number] = { url, lastEventId: this.lastEventId || undefined, eventsSeen: this.log.events.length };
    this.log.connections.push(entry);
    let response: IncomingMessage;
    try {
      response = await openStream(url, this.lastEventId ? { 'last-event-id': this.lastEventId } : {});
    } catch {
      return this.reconnect(attempt);
    }
    entry.status = response.statusCode;
    if (response.statusCode !== 200 || !String(response.headers['content-type']).includes('text/event-stream')) {
      response.resume();
      return this.close();
    }
    this.current = response;
    const parser = new EventStreamParser((event) => {
      this.log.events.push(event);
      this.options.onEvent?.(event, this);
      if (event.type === 'end') this.close();
    });
    parser.lastEventId = this.lastEventId;
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      parser.push(chunk);
      this.lastEventId = parser.lastEventId;
      this.retry = parser.retry ?? this.retry;
      this.log.comments = this.log.comments + parser.comments;
      parser.comments = 0;
    });
    let isGone = false;
    const again = () => {
      if (isGone) return;
      isGone = true;
      this.reconnect(attempt);
    };
    response.on('end', again);
    response.on('error', again);
    response.on('close', again);
  }

  private reconnect(attempt: number): void {
    if (this.closed) return;
    setTimeout(() => void this.connect(attempt + 1), this.retry);
  }
}
