import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { GENLOOK_ORIGIN } from '../http/api-requester.js';
import type { Transport } from '../http/transport.js';
import { rateLimitOf } from '../model/account-limits.js';
import { boolean, describe, oneOf, positive, withMethods } from '../model/option-checks.js';
import type { PollCoordinator } from '../polling/poll-coordinator.js';
import { resolveRetry, type ResolvedRetryPolicy, type RetryOptions } from '../scheduling/retry-policy.js';
import type { RateBudget } from '../scheduling/rate-budget.js';
import { resolveBaseUrl } from './base-url.js';

export type { RetryOptions } from '../scheduling/retry-policy.js';

/** The public Genlook Try-On API. */
export const DEFAULT_BASE_URL = `${GENLOOK_ORIGIN}/tryon/v1`;

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
  /**
   * Where polls go: `'adaptive'` learns how long try-ons take and skips the polls that could not find an
   * outcome (never leaving a gap over `maxPollGap`); `'fixed'` polls every `pollInterval`. See docs/capacity.md.
   * @default 'adaptive'
   */
  cadence?: 'adaptive' | 'fixed';
  /** The longest gap between two polls of a generation, in ms: the bound on how long a status change can go unseen. @default 4 × pollInterval */
  maxPollGap?: number;
  /**
   * Sweeps: while more than one watched generation is pending, one `GET /generations` page (newest
   * first, up to 200) reads the status of all of them instead of a poll each: every `pollInterval` from
   * three pending ids on, and with one or two only when one is due by the cadence; a
   * finished one then costs its one `GET /generations/{id}` for its result or error code, and an id the
   * list does not show is polled on its own. In a fleet, one process sweeps for the account (the
   * coordinator's `sweep`, as `redisCoordinator` has); with a coordinator that has no `sweep`, and for
   * streams with their own `pollInterval` or `retry`, polls go per id. See docs/capacity.md. @default true
   */
  sweeps?: boolean;
  /**
   * Follow generations through a `genlook-rx/proxy` event stream (`GET {baseUrl}/generations/{id}/events`)
   * instead of polling, so every tab and browser watching an id shares the server's one poll of it.
   * `'auto'`: where an `EventSource` exists (browsers) and `baseUrl` is relative (the app's own backend)
   * with no custom `transport`. Polling through the same `baseUrl` is the fallback when the backend has
   * no event stream. See docs/proxy.md. @default 'auto'
   */
  eventStream?: boolean | 'auto';
  /**
   * How `tryOn$` creates: `'sync'` with `POST /try-on/sync` (one request for the whole try-on, no
   * intermediate status), `'poll'` with `POST /try-on` then polls (PENDING and PROCESSING shown), `'auto'`
   * poll while the budget has room for this try-on's polls and the rate of creations would keep polling
   * within 70% of it, else sync. See docs/capacity.md. @default 'auto'
   */
  creation?: CreationMode;
  /** The time allowed a `POST /try-on/sync` request, in ms: longer than the server's 90 s hold. @default 100000 */
  holdTimeout?: number;
  /**
   * In a browser, polls wait while the page is hidden (`document.visibilityState`) and go as soon as it
   * is shown again: a background tab spends none of the account's requests. No effect where there is no
   * `document`. @default true
   */
  pauseWhenHidden?: boolean;
}

/** How `tryOn$` creates a try-on (see `GenlookOptions.creation`). */
export type CreationMode = 'auto' | 'sync' | 'poll';

/** Per-stream overrides of `generation$` (and of `tryOn$`'s watch). */
export interface GenerationOptions {
  /** Delay between a response and the next request, in ms (the first subscriber of an id sets it for the shared poll). */
  pollInterval?: number;
  /** Total time allowed before the stream errors with `GenerationTimeoutError`, in ms. @default none */
  timeout?: number;
  /** Retries of transient failures for this stream (the first subscriber of an id sets it). */
  retry?: RetryOptions | number | false;
}

/** Options of `tryOn$`: the watch's, and how to create. */
export interface TryOnOptions extends GenerationOptions {
  /** `'sync'`, `'poll'` or `'auto'` for this try-on. @default the client's `creation` */
  creation?: CreationMode;
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
  cadence: 'adaptive' | 'fixed';
  sweeps: boolean;
  /** Whether to follow through a proxy's event stream where the runtime has an `EventSource`. */
  eventStream: boolean;
  /** The longest gap for a stream polled every `pollInterval` ms (the option, else four intervals). */
  maxPollGapFor: (pollInterval: number) => number;
  creation: CreationMode;
  holdTimeout: number;
  pauseWhenHidden: boolean;
}

const OPTION_NAMES = new Set(['apiKey', 'baseUrl', 'pollInterval', 'requestTimeout', 'rateLimit', 'retry', 'transport', 'scheduler', 'coordinator', 'cadence', 'maxPollGap', 'sweeps', 'eventStream', 'creation', 'holdTimeout', 'pauseWhenHidden']);

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
  const transport = options.transport === undefined ? undefined : withMethods<Transport>('transport', options.transport, ['request'], 'an object with a request() method');
  const scheduler = withMethods<SchedulerLike>('scheduler', options.scheduler ?? asyncScheduler, ['schedule', 'now'], 'an RxJS scheduler');
  const coordinator =
    options.coordinator === undefined ? undefined : withMethods<PollCoordinator>('coordinator', options.coordinator, ['join'], 'a PollCoordinator (an object with a join() method)');
  const { baseUrl, isRelativeBaseUrl } = resolveBaseUrl(options.baseUrl ?? (env.GENLOOK_BASE_URL || DEFAULT_BASE_URL), transport !== undefined);
  const pollInterval = positive('pollInterval', options.pollInterval ?? 2_000);
  const maxPollGap = options.maxPollGap === undefined ? undefined : positive('maxPollGap', options.maxPollGap);
  if (maxPollGap !== undefined && maxPollGap < pollInterval) throw new TypeError(`Expected \`maxPollGap\` to be at least \`pollInterval\` (${pollInterval}), got ${maxPollGap}`);
  return {
    apiKey,
    baseUrl,
    isRelativeBaseUrl,
    pollInterval,
    // A stream's own pollInterval may exceed the client's maxPollGap: its interval is the floor.
    maxPollGapFor: maxPollGap === undefined ? (interval) => DEFAULT_GAP_INTERVALS * interval : (interval) => Math.max(interval, maxPollGap),
    cadence: oneOf('cadence', options.cadence ?? 'adaptive', ['adaptive', 'fixed'] as const),
    sweeps: boolean('sweeps', options.sweeps ?? true),
    eventStream: eventStreamOf(options.eventStream, isRelativeBaseUrl && transport === undefined),
    creation: creationMode('creation', options.creation ?? 'auto'),
    holdTimeout: positive('holdTimeout', options.holdTimeout ?? 100_000),
    pauseWhenHidden: boolean('pauseWhenHidden', options.pauseWhenHidden ?? true),
    requestTimeout: positive('requestTimeout', options.requestTimeout ?? 10_000),
    rateLimit: resolveRateLimit(options.rateLimit),
    retry: resolveRetry(options.retry, 'retry'),
    transport,
    scheduler,
    coordinator,
  };
}

/** `eventStream` resolved: `'auto'` (the default) is `isProxyLike`, a relative baseUrl on the built-in transport. */
function eventStreamOf(value: unknown, isProxyLike: boolean): boolean {
  if (value === undefined || value === 'auto') return isProxyLike;
  if (typeof value !== 'boolean') throw new TypeError(`Expected \`eventStream\` to be true, false or 'auto', got ${describe(value)}`);
  return value;
}

/** `maxPollGap` when not given, in poll intervals: past the adaptive cadence's first poll (6.8 s at 2 s) so it does not bind. */
const DEFAULT_GAP_INTERVALS = 4;

function resolveRateLimit(rateLimit: GenlookOptions['rateLimit']): ResolvedOptions['rateLimit'] {
  if (rateLimit === undefined) return rateLimitOf('rateLimit', undefined, undefined);
  if (rateLimit === false) return false;
  if (typeof rateLimit !== 'object' || rateLimit === null) {
    throw new TypeError(`Expected \`rateLimit\` to be { requestsPerMinute }, a RateBudget or false, got ${describe(rateLimit)}`);
  }
  if ('take' in rateLimit) return withMethods<RateBudget>('rateLimit', rateLimit, ['take', 'reportRateLimited'], 'a RateBudget (take() and reportRateLimited() methods)');
  return rateLimitOf('rateLimit', rateLimit.requestsPerMinute, rateLimit.burst);
}

/** A stream's options (`generation$`, `tryOn$`) validated once, at the call, over the client's. */
export interface ResolvedStreamOptions {
  pollInterval: number;
  retry: ResolvedRetryPolicy | false;
  /** Total time allowed, in ms, or none. */
  timeout: number | false;
  creation: CreationMode;
  /** True when the stream keeps the client's pollInterval and retry (its loop settings are the client's). */
  isClientLoop: boolean;
}

/** Validates one call's stream options (a `TypeError` naming the option) and fills them from the client's. */
export function resolveStreamOptions(options: TryOnOptions | undefined, client: ResolvedOptions): ResolvedStreamOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new TypeError(`Expected stream options to be an object, got ${describe(options)}`);
  const { pollInterval, retry, timeout, creation } = options ?? {};
  return {
    pollInterval: pollInterval === undefined ? client.pollInterval : positive('pollInterval', pollInterval),
    retry: retry === undefined ? client.retry : resolveRetry(retry, 'retry', client.retry || undefined),
    timeout: timeout === undefined ? false : positive('timeout', timeout),
    creation: creation === undefined ? client.creation : creationMode('creation', creation),
    isClientLoop: pollInterval === undefined && retry === undefined,
  };
}

/** Checks a creation mode (the client's option, or one `tryOn$` call's). */
function creationMode(name: string, value: unknown): CreationMode {
  return oneOf(name, value, ['auto', 'sync', 'poll'] as const);
}

function readEnv(): Record<string, string | undefined> {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return process?.env ?? {};
}
