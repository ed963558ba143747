import { asyncScheduler, defer, map, type MonoTypeOperatorFunction, type SchedulerLike, takeUntil, tap, timer } from 'rxjs';
import { GenerationTimeoutError } from '../model/errors/generation-timeout-error.js';
import { positive, withMethods } from '../model/option-checks.js';
import type { Generation } from '../model/schemas.js';

/** Settings of `timeoutGeneration`. */
export interface TimeoutGenerationConfig {
  /** Total time allowed from subscription to the stream's end, in ms. */
  total: number;
  /** The generation watched, for the error when no status arrived (otherwise taken from the stream). @default undefined */
  generationId?: string;
  /** The scheduler that times it. @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/**
 * Errors the stream with `GenerationTimeoutError` (with the last status seen) if it has not ended
 * within `total` ms of subscription, and unsubscribes from the source (aborting its request).
 * A number is shorthand for `{ total }`.
 *
 * @example
 * ```ts
 * genlook.generation$(id).pipe(timeoutGeneration(60_000));
 * ```
 */
export function timeoutGeneration<T extends Generation>(config: number | TimeoutGenerationConfig): MonoTypeOperatorFunction<T> {
  const { total: given, generationId, scheduler = asyncScheduler } = typeof config === 'number' ? { total: config } : config;
  const total = positive('timeout', given);
  withMethods('timeoutGeneration.scheduler', scheduler, ['schedule', 'now'], 'an RxJS scheduler');
  // The deadline is a timer whose one value becomes the error: takeUntil forwards a notifier's error,
  // and unsubscribing (the source's end, or the error) cancels the timer and the source's request.
  return (source) =>
    defer(() => {
      let last: T | undefined;
      const expired$ = timer(total, scheduler).pipe(
        map(() => {
          throw new GenerationTimeoutError({ generationId: last?.generationId ?? generationId, timeout: total, lastStatus: last?.status });
        }),
      );
      return source.pipe(
        tap((generation) => (last = generation)),
        takeUntil(expired$),
      );
    });
}
