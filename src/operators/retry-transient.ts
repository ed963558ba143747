import { asyncScheduler, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { resolveRetry, type RetryOptions } from '../scheduling/retry-policy.js';
import { boolean, withMethods } from '../model/option-checks.js';
import type { Generation } from '../model/schemas.js';
import { forwardStatus } from '../polling/forward-status.js';
import { retryRule, retryTransientFailures } from '../polling/transient-retry.js';

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
 * error's `retryAfter`), up to `count` times (default 5); other errors pass at once. Statuses keep
 * moving forward across resubscriptions: one already emitted, or an earlier one, is not emitted again.
 * A number is shorthand for `{ count }`. The client's own retry loop is the same code.
 *
 * @example
 * ```ts
 * createGenlook({ retry: false }).generation$(id).pipe(retryTransient({ count: 3, delay: 500 }));
 * ```
 */
export function retryTransient<T extends Generation>(config: number | RetryTransientConfig = {}): MonoTypeOperatorFunction<T> {
  const { scheduler = asyncScheduler, resetOnSuccess = false, ...options } = typeof config === 'number' ? { count: config } : config;
  withMethods('retryTransient.scheduler', scheduler, ['schedule', 'now'], 'an RxJS scheduler');
  const policy = resolveRetry(options, 'retryTransient');
  if (policy === false) return forwardStatus<T>();
  const rule = { ...retryRule(policy, 'once'), giveUpAfter: options.giveUpAfter ?? Infinity };
  const retry = retryTransientFailures<T>(rule, scheduler, boolean('retryTransient.resetOnSuccess', resetOnSuccess));
  return (source) => source.pipe(retry, forwardStatus());
}
