import { type MonoTypeOperatorFunction, takeWhile, tap } from 'rxjs';
import { GenerationFailedError } from '../model/errors/generation-failed-error.js';
import { classifyStatus } from '../model/generation-status.js';
import type { Generation } from '../model/schemas.js';

/**
 * The terminal rule: a `COMPLETED` generation is passed and the stream completes; a `FAILED` one errors
 * the stream with `GenerationFailedError` (and is not passed); anything else passes. Unsubscribing from
 * the source on the terminal status is what stops a poll loop.
 */
export function endAtTerminal<T extends Generation>(): MonoTypeOperatorFunction<T> {
  return (source) =>
    source.pipe(
      tap((generation) => {
        if (classifyStatus(generation.status) === 'failed') throw new GenerationFailedError(generation);
      }),
      takeWhile((generation) => classifyStatus(generation.status) !== 'completed', true),
    );
}
