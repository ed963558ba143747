import { boolean, callable, describe, nonNegative, nonNegativeInteger } from '../model/option-checks.js';

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

