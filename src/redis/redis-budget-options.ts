import { asyncScheduler, type Observable, type SchedulerLike } from 'rxjs';
import { ACCOUNT_REQUESTS_PER_MINUTE, ACCOUNT_WINDOW_MS, DEFAULT_BURST, nonEmptyString, positive, positiveInteger, type RateBudget, withMethods } from '../internal.js';
import type { GenlookRedisWarning } from './genlook-redis-warning.js';
import type { RedisLike } from './redis-health.js';

/** Settings of `redisBudget`. */
export interface RedisBudgetOptions {
  /** An ioredis client (a peer dependency of this entry only). */
  redis: RedisLike;
  /** The prefix of the budget's keys: every process of one account uses the same. @default 'genlook-rx:budget' */
  key?: string;
  /** Requests allowed in any window, across every process. @default 100 */
  requestsPerMinute?: number;
  /** Requests that may go at once before pacing starts. @default 10 */
  burst?: number;
  /** A Redis call slower than this counts as a failure. @default 1000 */
  commandTimeout?: number;
  /** How often to try Redis again during an outage, in ms. @default 5000 */
  probeInterval?: number;
  /**
   * How often the process says it is alive, in ms: it counts in every process's share of an outage, and
   * learns the fleet's size and spend (what its own fallback divides by). @default 1000
   */
  heartbeatInterval?: number;
  /**
   * How long the largest fleet seen is remembered, in ms: a process's share of an outage is the limit over
   * the most processes counted at once in that time (longer than an outage lasts), kept in the process and
   * in Redis. @default 600000
   */
  fleetMemoryMs?: number;
  /**
   * Processes assumed by a process that never reached Redis (it started during an outage): its fallback
   * is the limit over this, after one window. @default 10
   */
  assumedProcesses?: number;
  /** The window the limit applies to, in ms: the account's is a minute; tests shorten it. @default 60000 */
  windowMs?: number;
  /** @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/** A `RateBudget` shared through Redis, with its warnings. */
export interface RedisBudget extends RateBudget {
  /** `GenlookRedisWarning`s: `REDIS_UNAVAILABLE` once per outage, then `REDIS_RECOVERED`. */
  readonly warnings$: Observable<GenlookRedisWarning>;
  /** True while the local fallback is in use. */
  readonly isFallback: boolean;
}

/** `RedisBudgetOptions` checked, with every default filled in. */
export type ResolvedRedisBudgetOptions = Required<RedisBudgetOptions>;

/** Checks the options once (``Expected `burst` to be a positive integer, got 0``) and fills in the defaults. */
export function resolveRedisBudgetOptions(options: RedisBudgetOptions): ResolvedRedisBudgetOptions {
  return {
    redis: withMethods<RedisLike>('redis', options.redis, ['eval'], 'an ioredis client'),
    key: nonEmptyString('key', options.key ?? 'genlook-rx:budget'),
    requestsPerMinute: positiveInteger('requestsPerMinute', options.requestsPerMinute ?? ACCOUNT_REQUESTS_PER_MINUTE),
    burst: positiveInteger('burst', options.burst ?? DEFAULT_BURST),
    commandTimeout: positive('commandTimeout', options.commandTimeout ?? 1_000),
    probeInterval: positive('probeInterval', options.probeInterval ?? 5_000),
    heartbeatInterval: positive('heartbeatInterval', options.heartbeatInterval ?? 1_000),
    fleetMemoryMs: positiveInteger('fleetMemoryMs', options.fleetMemoryMs ?? 600_000),
    assumedProcesses: positiveInteger('assumedProcesses', options.assumedProcesses ?? 10),
    windowMs: positive('windowMs', options.windowMs ?? ACCOUNT_WINDOW_MS),
    scheduler: withMethods<SchedulerLike>('scheduler', options.scheduler ?? asyncScheduler, ['schedule', 'now'], 'an RxJS scheduler'),
  };
}
