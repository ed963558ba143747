import { defer, type MonoTypeOperatorFunction, type Observable, retry, type SchedulerLike, throwError, timer } from 'rxjs';
import { GenlookResponseError } from '../model/errors/genlook-response-error.js';
import { isTransientError } from '../model/errors/guards.js';
import { backoffDelay } from '../scheduling/backoff.js';
import type { ResolvedRetryPolicy } from '../scheduling/retry-policy.js';

/** The bounds and backoff of one retry loop. */
export interface RetryRule {
  /** Failures allowed in a row (`Infinity`: bounded by `giveUpAfter` only). */
  count: number;
  /** Gives up when the last good answer (or the start) is older than this, in ms (`Infinity`: by count only). */
  giveUpAfter: number;
  /** The backoff: capped exponential with full jitter. */
  backoff: Pick<ResolvedRetryPolicy, 'delay' | 'maxDelay' | 'jitter' | 'random'>;
  /** Which errors are worth another attempt. */
  isRetryable: (error: unknown) => boolean;
}

/**
 * The retry rule, written once: after the `failures`-th failure in a row (from 1), how long to wait
 * before trying again (the server's `Retry-After`, else `min(maxDelay, delay × 2^(failures-1))` with
 * full jitter), or `undefined` to give up: the error is not retryable, the failures exceed `count`, or
 * the last good answer is older than `giveUpAfter` (`sinceGood` ms ago). A watch is bounded by time (a
 * burst of 503s cannot end it while answers still come), a one-shot call by a count. The poll loop
 * (`pacedRepeat`) and RxJS `retry` (`retryTransientFailures`) both ask it.
 */
export function retryDelay(error: unknown, failures: number, sinceGood: number, rule: RetryRule): number | undefined {
  if (!rule.isRetryable(error) || failures > rule.count || sinceGood > rule.giveUpAfter) return undefined;
  const retryAfter = (error as { retryAfter?: unknown }).retryAfter;
  return typeof retryAfter === 'number' ? retryAfter : backoffDelay(failures - 1, rule.backoff);
}

/** A policy's rule for a watch (bounded by time, and by a count only when one was given) or a one-shot call (a count). */
export function retryRule(policy: ResolvedRetryPolicy, kind: 'watch' | 'once'): RetryRule {
  return kind === 'watch'
    ? { count: policy.watchCount, giveUpAfter: policy.giveUpAfter, backoff: policy, isRetryable: retryableBy(policy) }
    : { count: policy.count, giveUpAfter: Infinity, backoff: policy, isRetryable: retryableBy(policy) };
}

/**
 * RxJS `retry`, resubscribing after a failure as `retryDelay` says (failures counted in a row unless
 * `resetOnSuccess` is false; the time bound runs from the subscription). Used by `retrieve`,
 * `createTryOn` and the public `retryTransient`.
 */
export function retryTransientFailures<T>(rule: RetryRule, scheduler: SchedulerLike, resetOnSuccess = true): MonoTypeOperatorFunction<T> {
  if (rule.count <= 0) return (source) => source;
  return (source: Observable<T>) =>
    defer(() => {
      const subscribedAt = scheduler.now();
      return source.pipe(
        retry({
          resetOnSuccess,
          delay: (error: unknown, failures: number) => {
            const delay = retryDelay(error, failures, scheduler.now() - subscribedAt, rule);
            return delay === undefined ? throwError(() => error) : timer(delay, scheduler);
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
