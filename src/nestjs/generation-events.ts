import type { MessageEvent } from '@nestjs/common';
import { catchError, concatWith, defer, filter, map, type Observable, of, tap } from 'rxjs';
import { GenerationFailedError, type Generation, statusRank } from '../internal.js';
import { publicError } from './public-error.js';

/** Settings of `generationEvents`. */
export interface GenerationEventsOptions {
  /**
   * The `Last-Event-ID` header of a reconnecting `EventSource` (`@Headers('last-event-id')`): statuses up
   * to that one were sent already and are not repeated. @default undefined
   */
  lastEventId?: string | undefined;
}

/** The data of the final `end` event: how the generation ended. */
export type GenerationEnd =
  | { outcome: 'completed'; generationId: string; resultImageUrl: string | undefined }
  | { outcome: 'failed'; generationId: string; errorCode: string | undefined; errorMessage: string | undefined }
  | { outcome: 'error'; code: string; message: string };

/** How far a sent status was along the forward order, or -1: an unknown `Last-Event-ID` repeats nothing it cannot place. */
const rankOf = (status: string | undefined) => (status === undefined ? -1 : statusRank(status) ?? -1);

/**
 * A generation's stream as the events of a Nest `@Sse()` handler: one `status` event per status (its
 * `id:` is the status, so a reconnecting `EventSource` sends it back as `Last-Event-ID` and is not sent
 * it again), then one `end` event, then completion. A FAILED try-on, a timeout, a missing generation or
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
 *   return generationEvents(this.genlook.generation$(id, { timeout: 300_000 }), { lastEventId });
 * }
 * ```
 */
export function generationEvents(generation$: Observable<Generation>, options: GenerationEventsOptions = {}): Observable<MessageEvent> {
  const sent = rankOf(options.lastEventId);
  return defer(() => {
    let last: Generation | undefined;
    return generation$.pipe(
      tap((generation) => (last = generation)),
      filter((generation) => rankOf(generation.status) > sent || statusRank(generation.status) === undefined),
      map((generation): MessageEvent => ({ type: 'status', id: generation.status, data: generation })),
      concatWith(defer(() => of(endEvent({ outcome: 'completed', generationId: last?.generationId ?? '', resultImageUrl: last?.resultImageUrl })))),
      catchError((error: unknown) => of(endEvent(error instanceof GenerationFailedError ? { outcome: 'failed', generationId: error.generationId, errorCode: error.errorCode, errorMessage: error.errorMessage } : { outcome: 'error', ...publicError(error) }))),
    );
  });
}

const endEvent = (data: GenerationEnd): MessageEvent => ({ type: 'end', data });
