import { asyncScheduler, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { boolean, withMethods } from '../model/option-checks.js';
import type { Generation } from '../model/schemas.js';
import { resolveRetry, retryByRule, retryRule, type RetryOptions } from '../scheduling/retry-policy.js';
import { forwardStatus } from './forward-status.js';

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
 * error's `retryAfter` when longer, clamped to `maxRetryAfter`), up to `count` times (default 5); other
 * errors pass at once. Statuses keep moving forward across resubscriptions: one already emitted, or an
 * earlier one, is not emitted again. A number is shorthand for `{ count }`. Made of RxJS `retry({ delay })`
 * under the client's own retry rule (`retryByRule`, src/scheduling/retry-policy.ts) and the
 * forward-status stage.
 *
 * @example
 * ```ts
 * createGenlook({ retry: false }).generation$(id).pipe(retryTransient({ count: 3, delay: 500 }));
 * ```
 */
export function retryTransient<T extends Generation>(config: number | RetryTransientConfig = {}): MonoTypeOperatorFunction<T> {
  const { scheduler = asyncScheduler, resetOnSuccess = false, ...options } = typeof config === 'number' ? { count: config } : config;
  withMethods('retryTransient.scheduler', scheduler, ['schedule', 'now'], 'an RxJS scheduler');
  const isReset = boolean('retryTransient.resetOnSuccess', resetOnSuccess);
  const policy = resolveRetry(options, 'retryTransient');
  if (policy === false) return forwardStatus<T>();
  const retry = retryByRule<T>({ ...retryRule(policy, 'once'), giveUpAfter: options.giveUpAfter === undefined ? Infinity : policy.giveUpAfter }, scheduler, { resetOnSuccess: isReset });
  return (source) => source.pipe(retry, forwardStatus());
}
