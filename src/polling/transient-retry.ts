import { defer, type MonoTypeOperatorFunction, retry, type SchedulerLike, tap, throwError, timer } from 'rxjs';
import { GenlookResponseError } from '../model/errors/genlook-response-error.js';
import { isTransientError } from '../model/errors/guards.js';
import { backoffDelay } from '../scheduling/backoff.js';
import type { ResolvedRetryPolicy } from '../scheduling/retry-policy.js';

/** The settings of `retryTransientFailures`. */
export interface TransientRetryConfig {
  /** Retries allowed in a row (`Infinity`: bounded by `giveUpAfter` only). */
  count: number;
  /** Gives up when the last value (or the subscription) is older than this, in ms (`Infinity`: by count only). */
  giveUpAfter: number;
  /** The backoff: capped exponential with full jitter, or the error's `retryAfter`. */
  backoff: Pick<ResolvedRetryPolicy, 'delay' | 'maxDelay' | 'jitter' | 'random'>;
  scheduler: SchedulerLike;
  /** Which errors are worth another attempt. @default isTransientError */
  isRetryable?: (error: unknown) => boolean;
  /** Count failures in a row (reset by each value) rather than in all. @default true */
  resetOnSuccess?: boolean;
}

/**
 * The retry loop, written once: RxJS `retry` resubscribing the source after a transient failure, after
 * `min(maxDelay, delay × 2^n)` ms with full jitter (or the server's `Retry-After`), while the failures in a
 * row stay within `count` and the last good value within `giveUpAfter`. Any other error passes at once.
 * A watch is bounded by time since its last good answer (a burst of 503s cannot end it while answers
 * still come), a one-shot call by a count. Used by the poll loop, `retrieve`, `createTryOn` and the
 * public `retryTransient`.
 */
export function retryTransientFailures<T>(config: TransientRetryConfig): MonoTypeOperatorFunction<T> {
  const { count, giveUpAfter, backoff, scheduler, isRetryable = isTransientError, resetOnSuccess = true } = config;
  if (count <= 0) return (source) => source;
  return (source) =>
    defer(() => {
      let lastGoodAt = scheduler.now();
      return source.pipe(
        tap(() => (lastGoodAt = scheduler.now())),
        retry({
          resetOnSuccess,
          delay: (error: unknown, failures: number) => {
            if (!isRetryable(error) || failures > count || scheduler.now() - lastGoodAt > giveUpAfter) return throwError(() => error);
            const retryAfter = (error as { retryAfter?: unknown }).retryAfter;
            return timer(typeof retryAfter === 'number' ? retryAfter : backoffDelay(failures - 1, backoff), scheduler);
          },
        }),
      );
    });
}

/**
 * What a policy retries: transient errors, plus (with `invalidBodies`) a 2xx body that is not JSON at
 * all, a glitch of an idempotent read. Bodies that are JSON but break the schema are never retried.
 */
export function retryableBy(policy: Pick<ResolvedRetryPolicy, 'invalidBodies'>): (error: unknown) => boolean {
  if (!policy.invalidBodies) return isTransientError;
  return (error) => isTransientError(error) || (error instanceof GenlookResponseError && !error.isJson);
}
