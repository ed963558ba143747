import type { ServerResponse } from 'node:http';
import { EMPTY, filter, map, type Observable } from 'rxjs';
import { classifyStatus, type ConnectionHealth, type Generation, GenerationFailedError, GenlookConfigError, statusRank } from '../internal.js';
import { type ProxyErrorBody, refusalOf } from './proxy-answers.js';
import { generationBody, type ProxyGeneration } from './proxy-text.js';

/** The data of the event stream's last event, `end`: how the generation (or the stream) ended. */
export type ProxyStreamEnd = { outcome: 'completed'; generation: ProxyGeneration } | { outcome: 'failed'; generation: ProxyGeneration } | { outcome: 'error'; error: ProxyErrorBody };

/** Settings of one event stream (from the proxy's options). */
export interface EventStreamSettings {
  keepaliveInterval: number;
  reconnectDelay: number;
  maxBufferedBytes: number;
  /** Told of an error that ends a stream as `PROXY_ERROR` (a bug, not the API's answer). */
  onUnexpected: (error: unknown) => void;
  /** The client's `health$`: each change after a leading `ok` is a `health` event. */
  health$?: Observable<ConnectionHealth> | undefined;
}

const HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // Reverse proxies that buffer answers (nginx) would hold the events back.
  'x-accel-buffering': 'no',
};

/**
 * Serves `generation$` (the client's one shared poll of the id) as server-sent events: a `status`
 * event per status before the end, then one `end` event, then the response ends. Each status event's
 * `id:` is the status, so an `EventSource` that reconnects sends it back as `Last-Event-ID` and gets
 * nothing it has seen (no repeat of that status or an earlier one); a reconnect after the end
 * (`Last-Event-ID: COMPLETED`) is answered 204, which tells an `EventSource` to stop. Data is one line
 * of JSON, so no server text can start a field or an event. A comment every `keepaliveInterval` keeps
 * idle connections open; a browser that does not read is dropped once `maxBufferedBytes` wait for it.
 * While the API does not answer, a `health` event (the client's `health$`: retrying, down, then ok)
 * lets the page say "reconnecting". The upstream subscription ends when the browser goes. A client closing (the proxy shutting down)
 * ends the stream without an `end` event, so the browser reconnects to another instance and resumes.
 */
export function serveEventStream(res: ServerResponse, generation$: Observable<Generation>, lastEventId: string | undefined, settings: EventStreamSettings): void {
  if (lastEventId !== undefined && classifyStatus(lastEventId) !== 'pending') {
    res.writeHead(204, { 'cache-control': 'no-store' }).end();
    return;
  }
  res.writeHead(200, HEADERS);
  const send = (text: string) => {
    if (res.destroyed || res.writableEnded) return;
    res.write(text);
    // A browser that does not read: its bytes wait here once the kernel's buffers are full. Past the
    // bound, drop the stream (the browser's EventSource, if it is alive, reconnects and resumes).
    if (res.writableLength > settings.maxBufferedBytes) res.destroy();
  };
  const finish = (end?: ProxyStreamEnd, id?: string) => {
    if (end) send(frame('end', end, id));
    if (!res.destroyed && !res.writableEnded) res.end();
  };
  send(`retry: ${settings.reconnectDelay}\n: connected\n\n`);
  const keepalive = setInterval(() => send(': keepalive\n\n'), settings.keepaliveInterval);
  // A bug must end the stream with an error event too: thrown from a subscriber, RxJS would rethrow it
  // asynchronously and take the process down.
  const failed = (error: unknown) => {
    const { body } = refusalOf(error);
    if (body.status === 500) settings.onUnexpected(error);
    finish({ outcome: 'error', error: body });
  };
  const subscription = generation$.pipe(map(generationBody), filter((body) => isNew(body.status, lastEventId))).subscribe({
    next: (body) => {
      try {
        if (classifyStatus(body.status) === 'completed') finish({ outcome: 'completed', generation: body }, body.status);
        else send(frame('status', body, body.status));
      } catch (error) {
        failed(error);
      }
    },
    error: (error: unknown) => {
      try {
        if (error instanceof GenerationFailedError) return finish({ outcome: 'failed', generation: generationBody(error.generation) }, 'FAILED');
        if (error instanceof GenlookConfigError && error.code === 'CLIENT_CLOSED') return finish();
        failed(error);
      } catch (unexpected) {
        failed(unexpected);
      }
    },
    complete: () => finish(),
  });
  // Without an id: an event with no `id:` leaves the browser's Last-Event-ID as it was.
  const health = (settings.health$ ?? EMPTY).pipe(filter((state, index) => index > 0 || state.status !== 'ok')).subscribe((state) => send(frame('health', state)));
  res.on('close', () => {
    clearInterval(keepalive);
    health.unsubscribe();
    subscription.unsubscribe();
  });
}

/** Whether a browser that last saw `lastEventId` has not seen `status` yet. */
function isNew(status: string, lastEventId: string | undefined): boolean {
  if (lastEventId === undefined) return true;
  if (status === lastEventId) return false;
  const rank = statusRank(status);
  const seen = statusRank(lastEventId);
  return rank === undefined || seen === undefined || rank > seen;
}

/** One event: its type, its id when it has one, and its data as a single line of JSON. */
function frame(type: string, data: unknown, id?: string): string {
  return `event: ${type}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;
}
