import { Body, Controller, Headers, type MessageEvent, Param, Post, Sse } from '@nestjs/common';
import type { Genlook, TryOnRequest } from 'genlook-rx';
import { generationEvents, InjectGenlook, tryOnException } from 'genlook-rx/nestjs';
import { last, lastValueFrom, type Observable } from 'rxjs';

/** Longer than the client's own give-up on an unreachable API (2 minutes): an outage is reported as what it is. */
const TIMEOUT = 300_000;

@Controller('try-ons')
export class TryOnsController {
  constructor(@InjectGenlook() private readonly genlook: Genlook) {}

  /**
   * A generation as server-sent events: a `status` event per status (`id:` the status), then one `end`
   * event (completed, failed with the server's `errorCode`, or an error's code), then the stream closes.
   * A reconnecting `EventSource` sends `Last-Event-ID` and is not sent a status again. While Genlook does
   * not answer, a `health` event (`retrying` or `down` with the failure's code, then `ok`) lets the page
   * say "reconnecting". The browser going away unsubscribes: the poll stops.
   */
  @Sse(':id/events')
  events(@Param('id') id: string, @Headers('last-event-id') lastEventId?: string): Observable<MessageEvent> {
    return generationEvents(this.genlook.generation$(id, { timeout: TIMEOUT }), { lastEventId, health$: this.genlook.health$ });
  }

  /**
   * Creates a try-on and answers once it ends: 201 with the result; 400 with the details for a body that
   * fails the schema (no credit spent); 422 with the server's `errorCode` if the try-on failed.
   */
  @Post()
  async create(@Body() body: unknown) {
    try {
      const done = await lastValueFrom(this.genlook.tryOn$(body as TryOnRequest, { timeout: TIMEOUT }).pipe(last()));
      return { generationId: done.generationId, status: done.status, resultImageUrl: done.resultImageUrl };
    } catch (error) {
      throw tryOnException(error);
    }
  }
}
