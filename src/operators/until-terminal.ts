import { type MonoTypeOperatorFunction, takeWhile, tap } from 'rxjs';
import { GenerationFailedError } from '../model/errors/generation-failed-error.js';
import { classifyStatus } from '../model/generation-status.js';
import type { Generation } from '../model/schemas.js';

/** Throws the stream's typed error on a `FAILED` generation (a `tap` that throws errors the stream). */
function throwIfFailed(generation: Generation): void {
  if (classifyStatus(generation.status) === 'failed') throw new GenerationFailedError(generation);
}

/** True until a `COMPLETED` generation (which `takeWhile(..., true)` still emits). */
function isNotCompleted(generation: Generation): boolean {
  return classifyStatus(generation.status) !== 'completed';
}

/**
 * The terminal rule, and the stage `generation$` itself ends by: a `COMPLETED` generation is emitted
 * and the stream completes; a `FAILED` one errors the stream with `GenerationFailedError` (and is not
 * emitted). Ending unsubscribes from the source, which is what stops a poll loop. Made of
 * `tap(throwIfFailed)` and `takeWhile(isNotCompleted, true)`. Useful on streams that do not end by
 * themselves (a WebSocket feed, a hand-made poll).
 *
 * @example
 * ```ts
 * statusFeed$.pipe(untilTerminal()).subscribe({ complete: () => console.log('done') });
 * ```
 */
export function untilTerminal<T extends Generation>(): MonoTypeOperatorFunction<T> {
  return (source) => source.pipe(tap<T>(throwIfFailed), takeWhile<T>(isNotCompleted, true));
}
