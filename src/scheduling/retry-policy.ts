import { defer, identity, type MonoTypeOperatorFunction, type Observable, retry, type SchedulerLike, tap, throwError, timer } from 'rxjs';
import { GenlookResponseError } from '../model/errors/genlook-response-error.js';
import { isTransientError } from '../model/errors/guards.js';
import { boolean, callable, describe, nonNegative, nonNegativeInteger } from '../model/option-checks.js';
import { backoffDelay } from './backoff.js';

/**
 * How transient failures (network error, request timeout, 5xx, 408, 429) are retried. A watch
 * (`generation$`, `waitFor`) retries while its last good answer is recent (`giveUpAfter`); a one-shot
 * call (`retrieve`, `createTryOn`) retries `count` times.
 */
export interface RetryOptions {
  /** Retries of a one-shot call before it fails; for a watch, given explicitly, also a cap on failures in a row. @default 5 (watches: no cap) */
  count?: number;
  /** A watch gives up when no good answer came for this long, in ms (an outage shorter than that loses no watch). @default 120000 */
  giveUpAfter?: number;
  /** The base delay of the exponential backoff, in ms. @default 1000 */
  delay?: number;
  /** The cap of the exponential backoff, in ms. @default 30000 */
  maxDelay?: number;
  /** Full jitter: each delay is drawn uniformly from `[0, cap]`. @default true */
  jitter?: boolean;
  /** The longest `Retry-After` honoured, in ms; longer values are clamped to it. @default 60000 */
  maxRetryAfter?: number;
  /** The random source of the jitter, in `[0, 1)`. @default Math.random */
  random?: () => number;
  /**
   * Also retry a 2xx answer whose body is not JSON at all (cut short, or a proxy's HTML page): a
   * transport glitch on an idempotent read. Off by default: such a body surfaces at once as
   * `GenlookResponseError`. Bodies that are JSON but break the schema are never retried.
   * @default false
   */
  invalidBodies?: boolean;
}

/** A transient-failure retry policy with every field resolved. */
export interface ResolvedRetryPolicy {
  /** Retries of a one-shot call (`retrieve`, `createTryOn`). */
  count: number;
  /** A cap on a watch's consecutive retries: the `count` given explicitly, else none (`Infinity`). */
  watchCount: number;
  /** A watch gives up when its last good answer (or its start) is older than this, in ms. */
  giveUpAfter: number;
  delay: number;
  maxDelay: number;
  jitter: boolean;
  maxRetryAfter: number;
  random: () => number;
  invalidBodies: boolean;
}

const DEFAULT_RETRY: ResolvedRetryPolicy = {
  count: 5,
  watchCount: Infinity,
  giveUpAfter: 120_000,
  delay: 1_000,
  maxDelay: 30_000,
  jitter: true,
  maxRetryAfter: 60_000,
  random: Math.random,
  invalidBodies: false,
};

/** Validates a per-stream override of `retry`. */
export function resolveRetry(retry: RetryOptions | number | false | undefined, name: string, base: ResolvedRetryPolicy = DEFAULT_RETRY): ResolvedRetryPolicy | false {
  if (retry === undefined) return base;
  if (retry === false) return false;
  if (typeof retry === 'number') {
    const count = nonNegativeInteger(name, retry);
    return { ...base, count, watchCount: count };
  }
  if (typeof retry !== 'object' || retry === null) throw new TypeError(`Expected \`${name}\` to be a retry policy object, a number or false, got ${describe(retry)}`);
  const count = retry.count === undefined ? undefined : nonNegativeInteger(`${name}.count`, retry.count);
  return {
    count: count ?? base.count,
    watchCount: count ?? base.watchCount,
    giveUpAfter: nonNegative(`${name}.giveUpAfter`, retry.giveUpAfter ?? base.giveUpAfter),
    delay: nonNegative(`${name}.delay`, retry.delay ?? base.delay),
    maxDelay: nonNegative(`${name}.maxDelay`, retry.maxDelay ?? base.maxDelay),
    jitter: boolean(`${name}.jitter`, retry.jitter ?? base.jitter),
    maxRetryAfter: nonNegative(`${name}.maxRetryAfter`, retry.maxRetryAfter ?? base.maxRetryAfter),
    random: callable<() => number>(`${name}.random`, retry.random ?? base.random),
    invalidBodies: boolean(`${name}.invalidBodies`, retry.invalidBodies ?? base.invalidBodies),
  };
}


/** The bounds and backoff of one retry loop (a policy made into a watch's or a one-shot call's rule). */
export interface RetryRule {
  /** Failures allowed in a row (`Infinity`: bounded by `giveUpAfter` only). */
  count: number;
  /** Gives up when the last good answer (or the start) is older than this, in ms (`Infinity`: by count only). */
  giveUpAfter: number;
  /** The backoff (capped exponential with full jitter) and the longest `Retry-After` honoured. */
  backoff: Pick<ResolvedRetryPolicy, 'delay' | 'maxDelay' | 'jitter' | 'random' | 'maxRetryAfter'>;
  /** Which errors are worth another attempt. */
  isRetryable: (error: unknown) => boolean;
}

/**
 * The retry rule, written once: after the `failures`-th failure in a row (from 1), how long to wait
 * before trying again, or `undefined` to give up (the error is not retryable, the failures exceed
 * `count`, or the last good answer is `sinceGood` ms ago, past `giveUpAfter`). The wait is the backoff,
 * `min(maxDelay, delay × 2^(failures-1))` with full jitter, or the server's `Retry-After` when that is
 * longer, clamped to `maxRetryAfter`: a `Retry-After` never shortens the backoff (a `Retry-After: 0` on
 * every 503 would otherwise retry at once, for as long as the watch lasts). A watch is bounded by time
 * (a burst of 503s cannot end it while answers still come), a one-shot call by a count.
 */
export function retryDelay(error: unknown, failures: number, sinceGood: number, rule: RetryRule): number | undefined {
  if (!rule.isRetryable(error) || failures > rule.count || sinceGood > rule.giveUpAfter) return undefined;
  const backoff = backoffDelay(failures - 1, rule.backoff);
  const retryAfter = (error as { retryAfter?: unknown }).retryAfter;
  return typeof retryAfter === 'number' ? Math.max(backoff, Math.min(retryAfter, rule.backoff.maxRetryAfter)) : backoff;
}

/** A policy's rule for a watch (bounded by time, and by a count only when one was given) or a one-shot call (a count). */
export function retryRule(policy: ResolvedRetryPolicy, kind: 'watch' | 'once'): RetryRule {
  return kind === 'watch'
    ? { count: policy.watchCount, giveUpAfter: policy.giveUpAfter, backoff: policy, isRetryable: retryableBy(policy) }
    : { count: policy.count, giveUpAfter: Infinity, backoff: policy, isRetryable: retryableBy(policy) };
}

/** How `retryByRule` counts. */
export interface RetryByRuleConfig {
  /** Count failures in a row: a value from the source starts the count again (RxJS `retry`'s `resetOnSuccess`). @default true */
  resetOnSuccess?: boolean;
  /**
   * When the last good answer came, on the scheduler's clock, for a caller that already knows it (the
   * poll loop); without it, the time of the source's last value (or of the subscription), kept by a `tap`.
   */
  lastGoodAt?: () => number;
}

/**
 * RxJS `retry({ delay })` under `retryDelay`: resubscribes to the source after a failure the rule
 * allows, after its delay on `scheduler` (a `timer`), and passes any other failure on. The time bound
 * runs from the last good answer. The poll loop of one id (src/polling/generation-poll.ts), `retrieve`,
 * `createTryOn` and the public `retryTransient` all retry through it.
 */
export function retryByRule<T>(rule: RetryRule, scheduler: SchedulerLike, config: RetryByRuleConfig = {}): MonoTypeOperatorFunction<T> {
  const { resetOnSuccess = true, lastGoodAt } = config;
  if (rule.count <= 0) return identity;
  if (lastGoodAt !== undefined) return retry<T>({ resetOnSuccess, delay: delayByRule(rule, scheduler, lastGoodAt) });
  return (source) =>
    defer(() => {
      let goodAt = scheduler.now();
      return source.pipe(
        tap(() => {
          goodAt = scheduler.now();
        }),
        retry({ resetOnSuccess, delay: delayByRule(rule, scheduler, () => goodAt) }),
      );
    });
}

/** `retry`'s `delay` under `retryDelay`: a `timer` on `scheduler`, or the error again to give up. */
function delayByRule(rule: RetryRule, scheduler: SchedulerLike, lastGoodAt: () => number): (error: unknown, failures: number) => Observable<unknown> {
  return (error, failures) => {
    const delay = retryDelay(error, failures, scheduler.now() - lastGoodAt(), rule);
    return delay === undefined ? throwError(() => error) : timer(delay, scheduler);
  };
}

/**
 * What a policy retries: transient errors, plus (with `invalidBodies`) a 2xx body that is not JSON at
 * all, a glitch of an idempotent read. Bodies that are JSON but break the schema are never retried.
 */
export function retryableBy(policy: Pick<ResolvedRetryPolicy, 'invalidBodies'>): (error: unknown) => boolean {
  if (!policy.invalidBodies) return isTransientError;
  return (error) => isTransientError(error) || (error instanceof GenlookResponseError && !error.isJson);
}
