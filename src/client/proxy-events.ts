import { catchError, defer, Observable, throwError } from 'rxjs';
import { GenerationFailedError } from '../model/errors/generation-failed-error.js';
import { GenlookApiError } from '../model/errors/genlook-api-error.js';
import { parseGeneration } from '../model/generation-shape.js';
import { generationPath } from '../model/generation-id.js';
import type { Generation } from '../model/schemas.js';
import { forwardStatus } from '../operators/forward-status.js';

/** The browser's `EventSource`, as much of it as this file uses (so Node, without one, still type-checks). */
interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: { data?: unknown }) => void): void;
  close(): void;
}
type EventSourceConstructor = new (url: string, init?: { withCredentials?: boolean }) => EventSourceLike;
/** `EventSource.CLOSED`: the browser gave up on the stream (an answer that is not an event stream, a 204). */
const CLOSED = 2;

/** The `EventSource` of this runtime, or `undefined` (Node, workers without one). */
export function eventSourceOf(): EventSourceConstructor | undefined {
  const constructor = (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
  return typeof constructor === 'function' ? constructor : undefined;
}

/** The proxy's event stream is not there (the backend is not `genlook-rx/proxy`, or an old one): poll instead. */
class EventStreamUnavailable extends Error {
  constructor(readonly wasOpen: boolean) {
    super(wasOpen ? 'The event stream closed' : 'No event stream at this baseUrl');
  }
}

/**
 * One generation from a `genlook-rx/proxy` event stream (`GET {baseUrl}/generations/{id}/events`): each
 * `status` event's generation, then the `end` event's outcome (the completed generation and complete,
 * `GenerationFailedError`, or the proxy's error as a `GenlookApiError`). The browser's `EventSource`
 * reconnects by itself and resumes with `Last-Event-ID`; the proxy's one shared poll of the id feeds
 * every tab. Every generation is decoded by the same parser as an HTTP answer, and one about another id
 * is ignored. Unsubscribing closes the stream.
 */
export function proxyEvents$(EventSource: EventSourceConstructor, baseUrl: string, id: string): Observable<Generation> {
  const url = `${baseUrl}${generationPath(id)}/events`;
  return new Observable<Generation>((subscriber) => {
    const source = new EventSource(url, { withCredentials: true });
    let isOpen = false;
    const decode = (data: unknown): Generation | undefined => {
      const parsed = parseGeneration(data);
      return parsed.success && parsed.data.generationId === id ? parsed.data : undefined;
    };
    const json = (event: { data?: unknown }): Record<string, unknown> | undefined => {
      try {
        const value: unknown = JSON.parse(String(event.data));
        return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
      } catch {
        return undefined;
      }
    };
    source.addEventListener('open', () => (isOpen = true));
    source.addEventListener('status', (event) => {
      const generation = decode(json(event));
      if (generation) subscriber.next(generation);
    });
    source.addEventListener('end', (event) => {
      source.close();
      const end = json(event) ?? {};
      const generation = decode(end.generation);
      if (end.outcome === 'completed' && generation) {
        subscriber.next(generation);
        return subscriber.complete();
      }
      if (end.outcome === 'failed' && generation) return subscriber.error(new GenerationFailedError(generation));
      const error = (end.error ?? {}) as { status?: unknown; code?: unknown; message?: unknown };
      subscriber.error(
        new GenlookApiError({
          status: typeof error.status === 'number' ? error.status : 502,
          code: typeof error.code === 'string' ? error.code : 'UPSTREAM_ERROR',
          serverMessage: typeof error.message === 'string' ? error.message : undefined,
          request: `GET ${url}`,
        }),
      );
    });
    // While the browser reconnects, `error` fires with the stream CONNECTING: it resumes by itself. Once
    // it is CLOSED the browser has given up: before any event stream opened, there is none here.
    source.addEventListener('error', () => {
      if (source.readyState !== CLOSED) return;
      source.close();
      subscriber.error(new EventStreamUnavailable(isOpen));
    });
    return () => source.close();
  });
}

/**
 * A generation followed through the proxy's event stream, falling back to `poll$()` (the client's own
 * loop of reads, made only when it is needed through the same proxy) when there is no event stream, or it closed for good;
 * `onUnavailable` is told when none ever opened, so the client polls at once next time. Statuses only move
 * forward across the switch (a poll's PENDING after the stream's PROCESSING is dropped).
 */
export function eventsOrPolls$(events$: Observable<Generation>, poll$: () => Observable<Generation>, onUnavailable: () => void): Observable<Generation> {
  return events$.pipe(
    catchError((error: unknown) => {
      if (!(error instanceof EventStreamUnavailable)) return throwError(() => error);
      if (!error.wasOpen) onUnavailable();
      return defer(poll$);
    }),
    forwardStatus(),
  );
}
