import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';
import type { RedisLike } from '../../src/redis/index.js';
import { HEARTBEAT_SCRIPT, RECORD_SCRIPT, TAKE_SCRIPT } from '../../src/redis/budget-scripts.js';

/** Lets every settled promise run its callbacks. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A scheduler whose clock moves only when the test says (`advance`), letting promises settle between timers. */
export function manualScheduler(): SchedulerLike & { advance(ms: number): Promise<void> } {
  let now = 0;
  let sequence = 0;
  const due: Array<{ at: number; order: number; run: () => void; isCancelled: boolean }> = [];
  const scheduler = {
    now: () => now,
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
      const entry = { at: now + Math.max(0, delay), order: sequence++, isCancelled: false, run: () => {} };
      const action = { schedule: (next?: T, again = 0) => scheduler.schedule(work, again, next) } as unknown as SchedulerAction<T>;
      entry.run = () => work.call(action, state);
      due.push(entry);
      return new Subscription(() => void (entry.isCancelled = true));
    },
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        await settle();
        const live = due.filter((entry) => !entry.isCancelled && entry.at <= end).sort((a, b) => a.at - b.at || a.order - b.order);
        const next = live[0];
        if (next === undefined) break;
        due.splice(due.indexOf(next), 1);
        now = next.at;
        next.run();
      }
      now = end;
      await settle();
    },
  };
  return scheduler;
}

/** What the fleet answers the budget's scripts with, as Redis would: { processes, grants in the window, peak, ms it is remembered }. */
export interface FleetAnswer {
  processes: number;
  used: number;
  peak: number;
  peakTtl: number;
  /** For RECORD: ms until the fleet resumes the shared budget. */
  resumeIn?: number;
}

/**
 * A stand-in for the Redis of `redisBudget` (its Lua runs only in a real redis-server, test/fleet/outage.test.ts):
 * answers each script with `answer`, grants every TAKE, logs each call's script name, time and ARGV, and while
 * `isDown` never answers (a frozen server: the budget's `commandTimeout` notices).
 */
export function scriptedRedis(answer: FleetAnswer, clock: () => number): RedisLike & { answer: FleetAnswer; isDown: boolean; calls: Array<{ script: string; at: number; argv: Array<string | number> }> } {
  const names = new Map([
    [TAKE_SCRIPT, 'TAKE'],
    [HEARTBEAT_SCRIPT, 'HEARTBEAT'],
    [RECORD_SCRIPT, 'RECORD'],
  ]);
  const redis = {
    answer,
    isDown: false,
    calls: [] as Array<{ script: string; at: number; argv: Array<string | number> }>,
    eval(script: string, keys: number, ...args: Array<string | number>): Promise<unknown> {
      if (redis.isDown) return new Promise(() => {});
      const name = names.get(script) ?? (script.includes('return 1') && keys === 0 ? 'PROBE' : 'PAUSE');
      redis.calls.push({ script: name, at: clock(), argv: args.slice(keys) });
      const { processes, used, peak, peakTtl, resumeIn = 0 } = redis.answer;
      return Promise.resolve(name === 'PROBE' ? 1 : [name === 'RECORD' ? resumeIn : 0, processes, used, peak, peakTtl]);
    },
  };
  return redis;
}
