import { randomUUID } from 'node:crypto';
import { asyncScheduler, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import {
  ACCOUNT_REQUESTS_PER_MINUTE,
  ACCOUNT_WINDOW_MS,
  type BudgetSnapshot,
  createMemoryBudget,
  DEFAULT_BURST,
  MinHeap,
  nonEmptyString,
  positive,
  positiveInteger,
  type RateBudget,
  windowMargin,
  withMethods,
} from '../internal.js';
import { HEARTBEAT_SCRIPT, PAUSE_SCRIPT, TAKE_SCRIPT } from './budget-scripts.js';
import { GenlookRedisWarning } from './genlook-redis-warning.js';
import { createRedisHealth, type RedisLike } from './redis-health.js';

export type { RedisLike } from './redis-health.js';

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
  /** How often the process says it is alive (it counts in every process's share of an outage), in ms. @default 5000 */
  heartbeatInterval?: number;
  /** Processes assumed when Redis fails before any was counted. @default 1 */
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

/** A 429 without `Retry-After` pauses every process this long. */
const SHARED_PAUSE = 2_000;

interface Waiter {
  grant: () => void;
  rank: number;
  order: number;
  index: number;
}

/**
 * One account budget for a fleet: never more than `requestsPerMinute` requests in any window across every
 * process that shares the Redis and the key, paced (GCRA) so no process can burst the others out, and a
 * 429 seen by one process pauses all of them. Each grant is one atomic Lua script on the Redis server's
 * clock (ioredis `eval`); within a process, waiting requests go by priority (see `RateBudget.take`).
 * Every process registers itself on a heartbeat, whether or not it sends requests. When Redis fails, the
 * budget falls back to a local one at this process's share of the limit (the limit over the processes
 * last counted), starting with its share of the grants the fleet had made in the window, signalled once
 * on `warnings$`; it goes back to Redis when a probe succeeds. `genlook.close()` closes it.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * const budget = redisBudget({ redis: new Redis(process.env.REDIS_URL), requestsPerMinute: 100 });
 * budget.warnings$.subscribe((warning) => logger.warn(warning.message));
 * const genlook = createGenlook({ rateLimit: budget });
 * ```
 */
export function redisBudget(options: RedisBudgetOptions): RedisBudget {
  const redis = withMethods<RedisLike>('redis', options.redis, ['eval'], 'an ioredis client');
  const key = nonEmptyString('key', options.key ?? 'genlook-rx:budget');
  const requestsPerMinute = positiveInteger('requestsPerMinute', options.requestsPerMinute ?? ACCOUNT_REQUESTS_PER_MINUTE);
  const burst = positiveInteger('burst', options.burst ?? DEFAULT_BURST);
  const windowMs = positive('windowMs', options.windowMs ?? ACCOUNT_WINDOW_MS);
  const heartbeatInterval = positive('heartbeatInterval', options.heartbeatInterval ?? 5_000);
  const scheduler = withMethods<SchedulerLike>('scheduler', options.scheduler ?? asyncScheduler, ['schedule', 'now'], 'an RxJS scheduler');
  const span = windowMs + windowMargin(windowMs);
  const keys = [`${key}:window`, `${key}:pause`, `${key}:pacing`, `${key}:processes`];
  const processId = randomUUID();
  const spacing = span / requestsPerMinute;
  const queue = new MinHeap<Waiter>((a, b) => a.rank < b.rank || (a.rank === b.rank && a.order < b.order));
  let processes = positiveInteger('assumedProcesses', options.assumedProcesses ?? 1);
  let used = 0;
  let fallback: RateBudget | undefined;
  let timer: Subscription | undefined;
  let isPumping = false;
  let isClosed = false;
  let sequence = 0;

  const share = () => Math.max(1, Math.floor(requestsPerMinute / processes));
  const health = createRedisHealth({
    redis,
    commandTimeout: positive('commandTimeout', options.commandTimeout ?? 1_000),
    probeInterval: positive('probeInterval', options.probeInterval ?? 5_000),
    scheduler,
    warning: (code, cause) => new GenlookRedisWarning(code, 'budget', share(), cause),
    onRecovered() {
      // New requests go to Redis again; the local budget still serves the ones waiting in it (it holds
      // a timer only while some wait), so nobody is dropped in the switch.
      fallback = undefined;
      pump();
    },
  });
  const eval$ = (script: string, ...args: Array<string | number>) => health.call(redis.eval(script, 4, ...keys, requestsPerMinute, span, spacing, burst, `${processId}:${sequence++}`, processId, ...args));
  const counted = (answer: unknown) => {
    const [, seen, inWindow] = answer as [number, number, number];
    processes = Math.max(1, Number(seen) || 1);
    used = Number(inWindow) || 0;
  };

  const enterFallback = (cause: unknown) => {
    if (fallback !== undefined || isClosed) return;
    // This process's share of the limit, and its share of what the fleet already spent in the window.
    fallback = createMemoryBudget({ requestsPerMinute: share(), burst: Math.min(burst, share()), windowMs, spent: Math.ceil(used / processes), scheduler });
    health.fail(cause);
    // Waiters move to the local budget, in their order; Redis is probed in the background.
    for (let waiter = queue.pop(); waiter !== undefined; waiter = queue.pop()) fallback.take(waiter.grant);
  };

  const heartbeat = () => {
    if (isClosed) return;
    if (fallback === undefined) eval$(HEARTBEAT_SCRIPT).then((answer) => counted([0, ...(answer as number[])]), enterFallback);
    health.schedule(heartbeat, heartbeatInterval);
  };

  const pump = () => {
    if (isPumping || isClosed || fallback !== undefined || queue.size === 0) return;
    isPumping = true;
    eval$(TAKE_SCRIPT).then(
      (answer) => {
        isPumping = false;
        counted(answer);
        if (isClosed) return;
        const wait = Number((answer as number[])[0]);
        if (wait === 0) {
          queue.pop()?.grant();
          pump();
        } else {
          timer = health.schedule(() => {
            timer = undefined;
            pump();
          }, Math.min(wait, span));
        }
      },
      (error: unknown) => {
        isPumping = false;
        enterFallback(error);
      },
    );
  };

  heartbeat();
  return {
    warnings$: health.warnings$,
    get isFallback() {
      return fallback !== undefined;
    },
    take(grant, priority = 0) {
      if (fallback !== undefined) return fallback.take(grant, priority);
      const waiter: Waiter = { grant, rank: scheduler.now() - Math.max(0, priority), order: sequence++, index: -1 };
      queue.push(waiter);
      if (timer === undefined) pump();
      return () => queue.remove(waiter);
    },
    reportRateLimited(retryAfter, sentAt) {
      fallback?.reportRateLimited(retryAfter, sentAt);
      health.call(redis.eval(PAUSE_SCRIPT, 1, keys[1]!, Math.max(1, Math.round(retryAfter ?? SHARED_PAUSE)))).catch((error: unknown) => enterFallback(error));
    },
    reportSuccess() {
      fallback?.reportSuccess?.();
    },
    snapshot(): BudgetSnapshot {
      const local = fallback?.snapshot?.();
      return local ?? { limit: requestsPerMinute, used, waiting: queue.size, windowMs };
    },
    close() {
      isClosed = true;
      timer?.unsubscribe();
      timer = undefined;
      queue.drain();
      fallback?.close?.();
      health.close();
    },
  };
}
