import type { MessageEvent } from '@nestjs/common';
import { catchError, concatWith, defer, EMPTY, filter, interval, map, merge, type Observable, of, takeWhile, tap } from 'rxjs';
import { type ConnectionHealth, GenerationFailedError, type Generation, positive, statusRank } from '../internal.js';
import { publicError } from './public-error.js';

/** Settings of `generationEvents`. */
export interface GenerationEventsOptions {
  /**
   * The `Last-Event-ID` header of a reconnecting `EventSource` (`@Headers('last-event-id')`): statuses up
   * to that one were sent already and are not repeated. @default undefined
   */
  lastEventId?: string | undefined;
  /**
   * Sends a `keepalive` event (empty data, the last status sent as its `id:`) after each such wait, in
   * ms, so that an idle stream (a long PENDING, an outage) is not closed by a proxy's idle timeout;
   * `false` for none. Nest's `@Sse()` sends events only (no SSE comments): a browser ignores an event
   * type it does not listen to. @default 15000
   */
  keepAlive?: number | false;
  /**
   * The client's `genlook.health$`: while the API does not answer, a `health` event (data
   * `{ status: 'retrying' | 'down', since, code }`, then `{ status: 'ok' }` when it answers again, the
   * last status sent as its `id:`) lets the page say "reconnecting" instead of falling silent. A leading
   * `ok` is not sent. @default undefined (no health events)
   */
  health$?: Observable<ConnectionHealth>;
}

/** The data of the final `end` event: how the generation ended. */
export type GenerationEnd =
  | { outcome: 'completed'; generationId: string; resultImageUrl: string | undefined }
  | { outcome: 'failed'; generationId: string; errorCode: string | undefined; errorMessage: string | undefined }
  | { outcome: 'error'; code: string; message: string };

/** The `id:` of the final event (Nest would number an event without one): after it, nothing is sent again but the end. */
const END_ID = 'end';

/** How far a `Last-Event-ID` is along the forward order: -1 when none, or one this relay did not send. */
const sentRank = (lastEventId: string | undefined) => (lastEventId === END_ID ? Number.POSITIVE_INFINITY : lastEventId === undefined ? -1 : statusRank(lastEventId) ?? -1);

/**
 * A generation's stream as the events of a Nest `@Sse()` handler: one `status` event per status (its
 * `id:` is the status, so a reconnecting `EventSource` sends it back as `Last-Event-ID` and is not sent
 * it again), then one `end` event (`id: end`: a resume after it is sent only the end), then completion. A FAILED try-on, a timeout, a missing generation or
 * any other error is that `end` event (`GenerationEnd`), never an error of the returned Observable:
 * one that errors inside `@Sse()` has been reported to crash Nest apps (nestjs/nest#8761). The browser
 * going away makes Nest unsubscribe, which stops the poll.
 *
 * PROCESSING may never be sent: a generation that finishes between two polls goes from PENDING to its end.
 *
 * @example
 * ```ts
 * @Sse(':id/events')
 * events(@Param('id') id: string, @Headers('last-event-id') lastEventId?: string): Observable<MessageEvent> {
 *   return generationEvents(this.genlook.generation$(id, { timeout: 300_000 }), { lastEventId, health$: this.genlook.health$ });
 * }
 * ```
 */
export function generationEvents(generation$: Observable<Generation>, options: GenerationEventsOptions = {}): Observable<MessageEvent> {
  const sent = sentRank(options.lastEventId);
  const keepAlive = options.keepAlive === undefined ? 15_000 : options.keepAlive === false ? false : positive('keepAlive', options.keepAlive);
  // A status after the last one sent; an unknown status has no place in the order: sent again, except after the end.
  const isNew = (status: string) => {
    const rank = statusRank(status);
    return rank === undefined ? sent !== Number.POSITIVE_INFINITY : rank > sent;
  };
  return defer(() => {
    let last: Generation | undefined;
    // Before any status is sent, the resume point stays the browser's own (none: Nest numbers the event,
    // and a number repeats nothing, since nothing was sent).
    let lastId = options.lastEventId;
    const events$ = generation$.pipe(
      tap((generation) => (last = generation)),
      filter((generation) => isNew(generation.status)),
      tap((generation) => (lastId = generation.status)),
      map((generation): MessageEvent => ({ type: 'status', id: generation.status, data: generation })),
      concatWith(defer(() => of(endEvent({ outcome: 'completed', generationId: last?.generationId ?? '', resultImageUrl: last?.resultImageUrl })))),
      catchError((error: unknown) => of(endEvent(error instanceof GenerationFailedError ? { outcome: 'failed', generationId: error.generationId, errorCode: error.errorCode, errorMessage: error.errorMessage } : { outcome: 'error', ...publicError(error) }))),
    );
    // Side events carry the last status sent as their id, so a resume after one stays right.
    const side = (type: string, data: string | object): MessageEvent => (lastId === undefined ? { type, data } : { type, id: lastId, data });
    const keepAlive$ = keepAlive === false ? EMPTY : interval(keepAlive).pipe(map(() => side('keepalive', '')));
    const health$ = options.health$ === undefined ? EMPTY : options.health$.pipe(filter((health, index) => index > 0 || health.status !== 'ok'), map((health) => side('health', health)));
    if (keepAlive === false && options.health$ === undefined) return events$;
    // The end event ends the stream, side events included.
    return merge(events$, keepAlive$, health$).pipe(takeWhile((event) => event.type !== 'end', true));
  });
}

const endEvent = (data: GenerationEnd): MessageEvent => ({ type: 'end', id: END_ID, data });
