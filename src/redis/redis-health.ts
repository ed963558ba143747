import { type Observable, type SchedulerLike, Subject, type Subscription } from 'rxjs';
import { createTimerHeapScheduler } from '../internal.js';
import type { GenlookRedisWarning } from './genlook-redis-warning.js';

/** The part of an ioredis client `genlook-rx/redis` uses for commands. */
export interface RedisLike {
  eval(script: string, numberOfKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/** Settings of `createRedisHealth`. */
export interface RedisHealthConfig {
  redis: RedisLike;
  /** A Redis call slower than this counts as a failure, in ms. */
  commandTimeout: number;
  /** How often to try Redis again during an outage, in ms. */
  probeInterval: number;
  scheduler: SchedulerLike;
  /** Builds the warning of an outage (`REDIS_UNAVAILABLE`) or its end (`REDIS_RECOVERED`). */
  warning(code: 'REDIS_UNAVAILABLE' | 'REDIS_RECOVERED', cause?: unknown): GenlookRedisWarning;
  /** Called when a probe finds Redis again. */
  onRecovered(): void;
  /** What a probe asks of Redis during an outage. @default a `return 1` script on `redis` */
  probe?: () => Promise<unknown>;
}

/** Redis calls with a time limit, and the outage they may reveal. */
export interface RedisHealth {
  /** `command`, failing when it takes longer than `commandTimeout`. */
  call<T>(command: Promise<T>): Promise<T>;
  /** Reports a failed call: the first one of an outage warns and starts probing; returns whether it was the first. */
  fail(cause: unknown): boolean;
  /**
   * Runs `callback` after `delay` ms; unsubscribing cancels it. Every timer of the budget or coordinator
   * (call guards, probes, waits, leases) sits in one timer heap, as the client's do; `close()` drops them.
   */
  schedule(callback: () => void, delay: number): Subscription;
  /** True from a failure until a probe succeeds. */
  readonly isDown: boolean;
  /** One `REDIS_UNAVAILABLE` per outage, then `REDIS_RECOVERED`. */
  readonly warnings$: Observable<GenlookRedisWarning>;
  /** Drops every timer (probes included) and completes `warnings$`. */
  close(): void;
}

/**
 * The outage tracking shared by the budget and the coordinator of `genlook-rx/redis`: never a silent
 * stall (a slow call is a failure), one warning per outage, a cheap probe (`return 1`) until Redis answers.
 */
export function createRedisHealth(config: RedisHealthConfig): RedisHealth {
  const { redis, commandTimeout, probeInterval, scheduler, probe = () => redis.eval('return 1', 0) } = config;
  const warnings = new Subject<GenlookRedisWarning>();
  const timers = createTimerHeapScheduler(scheduler);
  let isDown = false;
  let isClosed = false;

  const call = <T>(command: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const guard = timers.schedule(() => reject(new Error(`Redis did not answer within ${commandTimeout} ms`)), commandTimeout);
      command.then(
        (value) => (guard.unsubscribe(), resolve(value)),
        (error: unknown) => (guard.unsubscribe(), reject(error)),
      );
    });

  const scheduleProbe = () => {
    timers.schedule(() => {
      // A probe that throws at once (a client that is not connected, a stand-in) is a failed probe, not a
      // throw out of the timer.
      call(new Promise((resolve) => resolve(probe()))).then(
        () => {
          if (isClosed || !isDown) return;
          isDown = false;
          warnings.next(config.warning('REDIS_RECOVERED'));
          config.onRecovered();
        },
        () => !isClosed && scheduleProbe(),
      );
    }, probeInterval);
  };

  return {
    call,
    fail(cause) {
      if (isDown || isClosed) return false;
      isDown = true;
      warnings.next(config.warning('REDIS_UNAVAILABLE', cause));
      scheduleProbe();
      return true;
    },
    schedule: (callback, delay) => timers.schedule(callback, delay),
    get isDown() {
      return isDown;
    },
    warnings$: warnings.asObservable(),
    close() {
      isClosed = true;
      timers.clear();
      warnings.complete();
    },
  };
}
