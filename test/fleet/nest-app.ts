// A NestJS 11 app of the fleet test: the client from configuration, SSE relay and create-and-wait (the same shape as examples/nestjs), wired with a Redis budget and coordinator by the test.
import { Body, Controller, type DynamicModule, Inject, Injectable, type MessageEvent, Module, type OnModuleDestroy, Param, Post, Sse } from '@nestjs/common';
import { catchError, concatWith, defer, map, type Observable, of, tap } from 'rxjs';
import { createGenlook, type Generation, type Genlook, type GenlookOptions, isGenlookError, type TryOnRequest } from '../../src/index.js';

export const GENLOOK = Symbol('GENLOOK');

/** Closes the client (and its connections) when the app shuts down. */
@Injectable()
class GenlookLifecycle implements OnModuleDestroy {
  constructor(@Inject(GENLOOK) private readonly genlook: Genlook) {}
  onModuleDestroy() {
    return this.genlook.close();
  }
}

/** Provides one client per app, from configuration (the key stays on the server). */
@Module({})
export class GenlookModule {
  static forRoot(options: () => GenlookOptions): DynamicModule {
    return {
      module: GenlookModule,
      global: true,
      providers: [{ provide: GENLOOK, useFactory: () => createGenlook(options()) }, GenlookLifecycle],
      exports: [GENLOOK],
    };
  }
}

/** The final event of a stream: how it ended. */
function endEvent(outcome: 'completed' | 'failed' | 'error', fields: Record<string, unknown>): MessageEvent {
  return { type: 'end', data: { outcome, ...fields } };
}

@Controller('try-ons')
export class TryOnController {
  constructor(@Inject(GENLOOK) private readonly genlook: Genlook) {}

  /**
   * Relays a generation as server-sent events: one `status` event per status, then one `end` event,
   * then the stream closes. Errors become the `end` event (an Observable that errors inside @Sse()
   * has been reported to crash Nest apps). The browser disconnecting unsubscribes: the poll stops.
   */
  @Sse(':id/events')
  events(@Param('id') id: string): Observable<MessageEvent> {
    let last: Generation | undefined;
    return this.genlook.generation$(id).pipe(
      tap((generation) => (last = generation)),
      map((generation): MessageEvent => ({ type: 'status', data: generation })),
      concatWith(defer(() => of(endEvent('completed', { resultImageUrl: last?.resultImageUrl })))),
      catchError((error: unknown) =>
        of(
          isGenlookError(error) && error.code === 'GENERATION_FAILED'
            ? endEvent('failed', { errorCode: (error as { errorCode?: string }).errorCode, message: error.message })
            : endEvent('error', { code: isGenlookError(error) ? error.code : 'UNEXPECTED_ERROR', message: error instanceof Error ? error.message : String(error) }),
        ),
      ),
    );
  }

  /** A pipeline: create a try-on, wait for it, answer with the result (or the typed error's code). */
  @Post()
  async create(@Body() request: TryOnRequest) {
    const { generationId } = await this.genlook.createTryOn(request);
    try {
      const done = await this.genlook.waitFor(generationId, { timeout: 120_000 });
      return { generationId, status: done.status, resultImageUrl: done.resultImageUrl };
    } catch (error) {
      return { generationId, status: 'FAILED', code: isGenlookError(error) ? error.code : 'UNEXPECTED_ERROR', errorCode: (error as { errorCode?: string }).errorCode };
    }
  }
}

/** The app module of the recipe. */
export function appModule(options: () => GenlookOptions) {
  @Module({ imports: [GenlookModule.forRoot(options)], controllers: [TryOnController] })
  class AppModule {}
  return AppModule;
}
