import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { ResolvedRetryPolicy } from './scheduling/backoff.js';
import type { PollCoordinator } from './poll-coordinator.js';
import type { RateBudget } from './scheduling/rate-budget.js';
import type { Transport } from './transport/transport.js';
import { resolveBaseUrl } from './base-url.js';
import { count, describe, nonNegative, positive, positiveInteger } from './option-checks.js';


/** The public Genlook Try-On API. */
export const DEFAULT_BASE_URL = 'https://api.genlook.app/tryon/v1';

/** How transient failures of one request (network error, request timeout, 5xx, 429) are retried. */
export interface RetryOptions {
  /** Retries after the first failure before the stream errors. @default 5 */
  count?: number;
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

/** The client-wide request budget. */
export interface RateLimitOptions {
  /** Requests allowed in any 60 s window (the account limit). @default 100 */
  requestsPerMinute?: number;
  /** Requests that may go at once before pacing starts. @default 10 */
  burst?: number;
}

/** Options of `createGenlook`. Every field is validated once, when the client is created. */
export interface GenlookOptions {
  /** The API key (`gk_...`). @default process.env.GENLOOK_API_KEY (on Node) */
  apiKey?: string;
  /** The API's base URL; `https:` unless the host is loopback; relative (`/api/genlook`) where the transport resolves it (browsers). @default process.env.GENLOOK_BASE_URL, else `https://api.genlook.app/tryon/v1` */
  baseUrl?: string;
  /** Delay between a response and the next request for the same id, in ms. @default 2000 */
  pollInterval?: number;
  /** Limit for one HTTP request, in ms. @default 10000 */
  requestTimeout?: number;
  /** The request budget: settings of the in-memory one, your own `RateBudget`, or `false` (only 429 pauses). @default { requestsPerMinute: 100 } */
  rateLimit?: RateLimitOptions | RateBudget | false;
  /** Retries of transient failures: a policy, a retry count, or `false`. @default { count: 5 } */
  retry?: RetryOptions | number | false;
  /** How one HTTP request is made. @default undici on Node, fetch in browsers and edge runtimes */
  transport?: Transport;
  /** The scheduler that times polls, retries, timeouts and the budget. @default asyncScheduler */
  scheduler?: SchedulerLike;
  /** One poll per id across a fleet of processes (`redisCoordinator` of `genlook-rx/redis`); one per client. @default none: this client polls every id it watches */
  coordinator?: PollCoordinator;
}

/** Per-stream overrides of `generation$`. */
export interface GenerationOptions {
  /** Delay between a response and the next request, in ms (the first subscriber of an id sets it for the shared poll). */
  pollInterval?: number;
  /** Total time allowed before the stream errors with `GenerationTimeoutError`, in ms. @default none */
  timeout?: number;
  /** Retries of transient failures for this stream (the first subscriber of an id sets it). */
  retry?: RetryOptions | number | false;
}

/** `GenlookOptions` after validation: the core sees no `undefined`. */
export interface ResolvedOptions {
  apiKey: string | undefined;
  baseUrl: string;
  isRelativeBaseUrl: boolean;
  pollInterval: number;
  requestTimeout: number;
  rateLimit: RateBudget | Required<RateLimitOptions> | false;
  retry: ResolvedRetryPolicy | false;
  transport: Transport | undefined;
  scheduler: SchedulerLike;
  coordinator: PollCoordinator | undefined;
}

const DEFAULT_RETRY: ResolvedRetryPolicy = {
  count: 5,
  delay: 1_000,
  maxDelay: 30_000,
  jitter: true,
  maxRetryAfter: 60_000,
  random: Math.random,
  invalidBodies: false,
};

const OPTION_NAMES = new Set(['apiKey', 'baseUrl', 'pollInterval', 'requestTimeout', 'rateLimit', 'retry', 'transport', 'scheduler', 'coordinator']);

/** Validates and normalises `createGenlook`'s options; throws a `TypeError` naming the option. */
export function resolveOptions(options: GenlookOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(`Expected options to be an object, got ${describe(options)}`);
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.has(key)) throw new TypeError(`Unknown option \`${key}\`; expected one of ${[...OPTION_NAMES].join(', ')}`);
  }
  const env = readEnv();
  const apiKey = options.apiKey ?? (env.GENLOOK_API_KEY || undefined);
  if (apiKey !== undefined && (typeof apiKey !== 'string' || apiKey.trim() === '' || /[\s\u0000-\u001f\u007f]/.test(apiKey))) {
    // Never echo the value: it may be a real key.
    throw new TypeError(`Expected \`apiKey\` to be a non-empty string without whitespace, got ${typeof apiKey === 'string' ? 'an invalid string' : typeof apiKey}`);
  }
  const transport = options.transport;
  if (transport !== undefined && (typeof transport !== 'object' || transport === null || typeof transport.request !== 'function')) {
    throw new TypeError(`Expected \`transport\` to be an object with a request() method, got ${describe(transport)}`);
  }
  const scheduler = options.scheduler ?? asyncScheduler;
  if (typeof scheduler !== 'object' || scheduler === null || typeof scheduler.schedule !== 'function' || typeof scheduler.now !== 'function') {
    throw new TypeError(`Expected \`scheduler\` to be an RxJS scheduler, got ${describe(scheduler)}`);
  }
  const coordinator = options.coordinator;
  if (coordinator !== undefined && (typeof coordinator !== 'object' || coordinator === null || typeof coordinator.join !== 'function')) {
    throw new TypeError(`Expected \`coordinator\` to be a PollCoordinator (an object with a join() method), got ${describe(coordinator)}`);
  }
  const { baseUrl, isRelativeBaseUrl } = resolveBaseUrl(options.baseUrl ?? (env.GENLOOK_BASE_URL || DEFAULT_BASE_URL), transport !== undefined);
  return {
    apiKey,
    baseUrl,
    isRelativeBaseUrl,
    pollInterval: positive('pollInterval', options.pollInterval ?? 2_000),
    requestTimeout: positive('requestTimeout', options.requestTimeout ?? 10_000),
    rateLimit: resolveRateLimit(options.rateLimit),
    retry: resolveRetry(options.retry, 'retry'),
    transport,
    scheduler,
    coordinator,
  };
}

/** Validates a per-stream override of `retry`. */
export function resolveRetry(retry: RetryOptions | number | false | undefined, name: string, base: ResolvedRetryPolicy = DEFAULT_RETRY): ResolvedRetryPolicy | false {
  if (retry === undefined) return base;
  if (retry === false) return false;
  if (typeof retry === 'number') return { ...base, count: count(name, retry) };
  if (typeof retry !== 'object' || retry === null) throw new TypeError(`Expected \`${name}\` to be a retry policy object, a number or false, got ${describe(retry)}`);
  const random = retry.random ?? base.random;
  if (typeof random !== 'function') throw new TypeError(`Expected \`${name}.random\` to be a function, got ${describe(random)}`);
  const jitter = retry.jitter ?? base.jitter;
  if (typeof jitter !== 'boolean') throw new TypeError(`Expected \`${name}.jitter\` to be a boolean, got ${describe(jitter)}`);
  const invalidBodies = retry.invalidBodies ?? base.invalidBodies;
  if (typeof invalidBodies !== 'boolean') throw new TypeError(`Expected \`${name}.invalidBodies\` to be a boolean, got ${describe(invalidBodies)}`);
  return {
    count: count(`${name}.count`, retry.count ?? base.count),
    delay: nonNegative(`${name}.delay`, retry.delay ?? base.delay),
    maxDelay: nonNegative(`${name}.maxDelay`, retry.maxDelay ?? base.maxDelay),
    jitter,
    maxRetryAfter: nonNegative(`${name}.maxRetryAfter`, retry.maxRetryAfter ?? base.maxRetryAfter),
    random,
    invalidBodies,
  };
}

function resolveRateLimit(rateLimit: GenlookOptions['rateLimit']): ResolvedOptions['rateLimit'] {
  if (rateLimit === undefined) return { requestsPerMinute: 100, burst: 10 };
  if (rateLimit === false) return false;
  if (typeof rateLimit !== 'object' || rateLimit === null) {
    throw new TypeError(`Expected \`rateLimit\` to be { requestsPerMinute }, a RateBudget or false, got ${describe(rateLimit)}`);
  }
  if ('take' in rateLimit) {
    if (typeof rateLimit.take !== 'function' || typeof rateLimit.reportRateLimited !== 'function') {
      throw new TypeError('Expected `rateLimit` budget to have take() and reportRateLimited() methods');
    }
    return rateLimit;
  }
  const requestsPerMinute = positiveInteger('rateLimit.requestsPerMinute', rateLimit.requestsPerMinute ?? 100);
  return { requestsPerMinute, burst: positiveInteger('rateLimit.burst', rateLimit.burst ?? Math.min(10, requestsPerMinute)) };
}

function readEnv(): Record<string, string | undefined> {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return process?.env ?? {};
}
