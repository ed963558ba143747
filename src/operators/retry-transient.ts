import { asyncScheduler, Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { isTransientError } from '../errors/guards.js';
import { resolveRetry, type RetryOptions } from '../options.js';
import { backoffDelay } from '../scheduling/backoff.js';
import type { Generation } from '../schemas.js';

/** Settings of `retryTransient`: a retry policy plus the scheduler. */
export interface RetryTransientConfig extends RetryOptions {
  /** The scheduler that times the delays. @default asyncScheduler */
  scheduler?: SchedulerLike;
  /** Start counting again after a new status arrives (as RxJS `retry`'s `resetOnSuccess`). @default false */
  resetOnSuccess?: boolean;
}

/**
 * Resubscribes to the source when it errors with a transient error (`isTransientError`: network
 * error, request timeout, 5xx, 429), after a capped exponential backoff with full jitter (or the
 * error's `retryAfter`), up to `count` times; other errors pass at once. After a resubscription the
 * status already emitted is not emitted again, so the distinct-status rule holds across retries.
 * A number is shorthand for `{ count }`.
 *
 * @example
 * ```ts
 * createGenlook({ retry: false }).generation$(id).pipe(retryTransient({ count: 3, delay: 500 }));
 * ```
 */
export function retryTransient<T extends Generation>(config: number | RetryTransientConfig = {}): MonoTypeOperatorFunction<T> {
  const { scheduler = asyncScheduler, resetOnSuccess = false, ...options } = typeof config === 'number' ? { count: config } : config;
  const policy = resolveRetry(options, 'retryTransient', undefined);
  return (source) =>
    new Observable<T>((subscriber) => {
      let failures = 0;
      let lastStatus: string | undefined;
      let upstream: Subscription | undefined;
      let timer: Subscription | undefined;
      const subscribe = () => {
        timer = undefined;
        upstream = source.subscribe({
          next: (generation) => {
            if (generation.status === lastStatus) return;
            if (resetOnSuccess) failures = 0;
            lastStatus = generation.status;
            subscriber.next(generation);
          },
          error: (error: unknown) => {
            if (policy === false || !isTransientError(error) || failures >= policy.count) {
              subscriber.error(error);
              return;
            }
            const retryAfter = (error as { retryAfter?: number }).retryAfter;
            const delay = retryAfter ?? backoffDelay(failures, policy);
            failures++;
            upstream = undefined;
            timer = scheduler.schedule(subscribe, delay);
          },
          complete: () => subscriber.complete(),
        });
      };
      subscribe();
      return () => {
        timer?.unsubscribe();
        upstream?.unsubscribe();
      };
    });
}
