import { randomUUID } from 'node:crypto';
import { asyncScheduler, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { createMemoryBudget, type RateBudget } from '../internal.js';
import { PAUSE_SCRIPT, TAKE_SCRIPT } from './budget-scripts.js';
import { GenlookRedisWarning } from './genlook-redis-warning.js';
import { createRedisHealth, type RedisLike } from './redis-health.js';

export type { RedisLike } from './redis-health.js';

/** Settings of `redisBudget`. */
export interface RedisBudgetOptions {
  /** An ioredis client (a peer dependency of this entry only). */
  redis: RedisLike;
  /** The prefix of the budget's keys: every process of one account uses the same. @default 'genlook-rx:budget' */
  key?: string;
  /** Requests allowed in any 60 s window, across every process. @default 100 */
  requestsPerMinute?: number;
  /** Requests that may go at once before pacing starts. @default 10 */
  burst?: number;
  /** A Redis call slower than this counts as a failure. @default 1000 */
  commandTimeout?: number;
  /** How often to try Redis again during an outage, in ms. @default 5000 */
  probeInterval?: number;
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

/** Kept beyond the window so that jitter in network latency cannot push the server over. */
const WINDOW_MARGIN = 500;

/**
 * One account budget for a fleet: never more than `requestsPerMinute` requests in any 60 s window across
 * every process that shares the Redis and the key, paced (GCRA) so no process can burst the others out,
 * and a 429 seen by one process pauses all of them. Each grant is one atomic Lua script on the Redis
 * server's clock (ioredis `eval`). When Redis fails, the budget falls back to a local one at this process's
 * share of the limit (the limit over the processes last counted), signalled once on `warnings$`; it goes
 * back to Redis when a probe succeeds.
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
  const { redis, key = 'genlook-rx:budget', requestsPerMinute = 100, burst = 10, commandTimeout = 1_000, probeInterval = 5_000, windowMs = 60_000, scheduler = asyncScheduler } = options;
  const WINDOW = windowMs + WINDOW_MARGIN;
  if (typeof redis?.eval !== 'function') throw new TypeError('Expected `redis` to be an ioredis client');
  if (!Number.isInteger(requestsPerMinute) || requestsPerMinute <= 0) throw new TypeError(`Expected \`requestsPerMinute\` to be a positive integer, got ${String(requestsPerMinute)}`);
  const keys = [`${key}:window`, `${key}:pause`, `${key}:pacing`, `${key}:processes`];
  const processId = randomUUID();
  const spacing = WINDOW / requestsPerMinute;
  const queue: Array<() => void> = [];
  let processes = Math.max(1, options.assumedProcesses ?? 1);
  let fallback: RateBudget | undefined;
  let timer: Subscription | undefined;
  let isPumping = false;
  let isClosed = false;
  let sequence = 0;

  const share = () => Math.max(1, Math.floor(requestsPerMinute / processes));
  const health = createRedisHealth({
    redis,
    commandTimeout,
    probeInterval,
    scheduler,
    warning: (code, cause) => new GenlookRedisWarning(code, 'budget', share(), cause),
    onRecovered() {
      // New requests go to Redis again; the local budget still serves the ones waiting in it (it holds
      // a timer only while some wait), so nobody is dropped in the switch.
      fallback = undefined;
      pump();
    },
  });

  const enterFallback = (cause: unknown) => {
    if (fallback !== undefined || isClosed) return;
    fallback = createMemoryBudget({ requestsPerMinute: share(), burst: Math.min(burst, share()), windowMs, scheduler });
    health.fail(cause);
    // Waiters move to the local budget; Redis is probed in the background.
    for (const grant of queue.splice(0)) fallback.take(grant);
  };

  const pump = () => {
    if (isPumping || isClosed || fallback !== undefined || queue.length === 0) return;
    isPumping = true;
    health.call(redis.eval(TAKE_SCRIPT, 4, ...keys, requestsPerMinute, WINDOW, spacing, burst, `${processId}:${sequence++}`, processId)).then(
      (answer) => {
        isPumping = false;
        const [wait, seen] = answer as [number, number];
        processes = Math.max(1, Number(seen) || 1);
        if (isClosed) return;
        if (Number(wait) === 0) {
          queue.shift()?.();
          pump();
        } else {
          timer = health.schedule(() => {
            timer = undefined;
            pump();
          }, Math.min(Number(wait), WINDOW));
        }
      },
      (error: unknown) => {
        isPumping = false;
        enterFallback(error);
      },
    );
  };

  return {
    warnings$: health.warnings$,
    get isFallback() {
      return fallback !== undefined;
    },
    take(grant) {
      if (fallback !== undefined) return fallback.take(grant);
      let isWaiting = true;
      const waiter = () => {
        if (!isWaiting) return;
        isWaiting = false;
        grant();
      };
      queue.push(waiter);
      if (timer === undefined) pump();
      return () => {
        if (!isWaiting) return;
        isWaiting = false;
        const index = queue.indexOf(waiter);
        if (index !== -1) queue.splice(index, 1);
      };
    },
    reportRateLimited(retryAfter) {
      const delay = retryAfter ?? 5_000;
      fallback?.reportRateLimited(retryAfter);
      health.call(redis.eval(PAUSE_SCRIPT, 1, keys[1]!, Math.max(1, Math.round(delay)))).catch((error: unknown) => enterFallback(error));
    },
    reportSuccess() {
      fallback?.reportSuccess?.();
    },
    close() {
      isClosed = true;
      timer?.unsubscribe();
      timer = undefined;
      queue.length = 0;
      fallback?.close?.();
      health.close();
    },
  };
}
