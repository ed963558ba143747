import { type MonoTypeOperatorFunction, Observable } from 'rxjs';
import { GenerationFailedError } from '../errors/generation-failed-error.js';
import type { Generation } from '../schemas.js';

/**
 * Ends a stream of generations at its terminal status: a `COMPLETED` generation is emitted and the
 * stream completes; a `FAILED` one errors the stream with `GenerationFailedError` (and is not emitted).
 * Useful on streams that do not end by themselves (a WebSocket feed, a hand-made poll).
 *
 * @example
 * ```ts
 * statusFeed$.pipe(untilTerminal()).subscribe({ complete: () => console.log('done') });
 * ```
 */
export function untilTerminal<T extends Generation>(): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) =>
      source.subscribe({
        next: (generation) => {
          if (generation.status === 'FAILED') {
            subscriber.error(new GenerationFailedError(generation));
            return;
          }
          subscriber.next(generation);
          if (generation.status === 'COMPLETED') subscriber.complete();
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}
