import { Body, Controller, Inject, type MessageEvent, Param, Post, Sse } from '@nestjs/common';
import type { Genlook, TryOnRequest } from 'genlook-rx';
import { catchError, concatWith, defer, last, lastValueFrom, map, type Observable, of, tap } from 'rxjs';
import { GENLOOK } from '../genlook/genlook.module';
import { TryOnRequestPipe } from './try-on-request.pipe';
import { endEvent, outcomeException } from './try-on-outcome';

@Controller('try-ons')
export class TryOnsController {
  constructor(@Inject(GENLOOK) private readonly genlook: Genlook) {}

  /**
   * A generation as server-sent events: one `status` event per status, then one `end` event, then the
   * stream closes. Errors become the `end` event, never an Observable error (one that errors inside
   * `@Sse()` has been reported to crash Nest apps). The browser going away unsubscribes: the poll stops.
   */
  @Sse(':id/events')
  events(@Param('id') id: string): Observable<MessageEvent> {
    let resultImageUrl: string | undefined;
    return this.genlook.generation$(id, { timeout: 120_000 }).pipe(
      tap((generation) => (resultImageUrl = generation.resultImageUrl)),
      map((generation): MessageEvent => ({ type: 'status', data: generation })),
      concatWith(defer(() => of<MessageEvent>({ type: 'end', data: { outcome: 'completed', generationId: id, resultImageUrl } }))),
      catchError((error: unknown) => of(endEvent(error))),
    );
  }

  /** Creates a try-on and answers once it ends: 200 with the result, 422 with the server's `errorCode` if it failed. */
  @Post()
  async create(@Body(TryOnRequestPipe) request: TryOnRequest) {
    try {
      const done = await lastValueFrom(this.genlook.tryOn$(request, { timeout: 120_000 }).pipe(last()));
      return { generationId: done.generationId, status: done.status, resultImageUrl: done.resultImageUrl };
    } catch (error) {
      throw outcomeException(error);
    }
  }
}
