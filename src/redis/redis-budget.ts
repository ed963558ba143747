import { randomUUID } from 'node:crypto';
import type { Subscription } from 'rxjs';
import { type BudgetSnapshot, MinHeap, windowMargin } from '../internal.js';
import { budgetKeys, HEARTBEAT_SCRIPT, PAUSE_SCRIPT, RECORD_SCRIPT, TAKE_SCRIPT } from './budget-scripts.js';
import { fallbackShare } from './fallback-share.js';
import { createFleetPeak } from './fleet-peak.js';
import { GenlookRedisWarning } from './genlook-redis-warning.js';
import { createLocalFallback, type LocalFallback, type Ticket } from './local-fallback.js';
import { type RedisBudget, type RedisBudgetOptions, resolveRedisBudgetOptions } from './redis-budget-options.js';
import { createRedisHealth } from './redis-health.js';

export type { RedisLike } from './redis-health.js';
export type { RedisBudget, RedisBudgetOptions } from './redis-budget-options.js';

/** A 429 without `Retry-After` pauses every process this long. */
const SHARED_PAUSE = 2_000;

/**
 * One account budget for a fleet: never more than `requestsPerMinute` requests in any window across every
 * process that shares the Redis and the key, paced (GCRA) so no process can burst the others out, and a
 * 429 seen by one process pauses all of them. Each grant is one atomic Lua script on the Redis server's
 * clock (ioredis `eval`); within a process, waiting requests go by priority (see `RateBudget.take`).
 * Every process registers itself on a heartbeat, whether or not it sends requests.
 *
 * When Redis fails (an error, or no answer within `commandTimeout`), the budget falls back to a local one
 * at this process's share, so the fleet's fallbacks together stay within the limit: the limit over the
 * largest fleet counted in the last `fleetMemoryMs`, less, in the first window, this process's share of
 * what the fleet may have spent through Redis (`fallbackShare`). It warns once on `warnings$` and probes
 * Redis; when Redis answers, it writes what its fallback granted into the shared window and stays on the
 * fallback until the fleet resumes, one window after the first process came back (the others may still be
 * on theirs), then the shared budget takes over with every request it spent counted. `genlook.close()`
 * closes it.
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
  const { redis, key, requestsPerMinute, burst, windowMs, heartbeatInterval, fleetMemoryMs, assumedProcesses, commandTimeout, probeInterval, scheduler } = resolveRedisBudgetOptions(options);
  const span = windowMs + windowMargin(windowMs);
  const keys = budgetKeys(key);
  const processId = randomUUID();
  const spacing = span / requestsPerMinute;
  const queue = new MinHeap<Ticket>((a, b) => a.rank < b.rank || (a.rank === b.rank && a.order < b.order));
  const fleet = createFleetPeak(fleetMemoryMs);
  // 'shared': grants come from Redis; 'fallback': Redis is away, the local budget grants; 'handover':
  // Redis is back, the local budget still grants (and Redis is told each grant) until the fleet resumes.
  let mode: 'shared' | 'fallback' | 'handover' = 'shared';
  let local: LocalFallback | undefined;
  let used = 0;
  let usedAt: number | undefined;
  let timer: Subscription | undefined;
  let resumeTimer: Subscription | undefined;
  let isPumping = false;
  let isFlushing = false;
  let isFlushDue = false;
  let isResumeDue = false;
  let isClosed = false;
  let sequence = 0;

  const health = createRedisHealth({
    redis,
    commandTimeout,
    probeInterval,
    scheduler,
    warning: (code, cause) => new GenlookRedisWarning(code, 'budget', local?.requestsPerWindow, cause),
    onRecovered() {
      if (mode !== 'fallback') return;
      mode = 'handover';
      flush();
    },
  });
  const eval$ = (script: string, ...args: Array<string | number>) => {
    const now = scheduler.now();
    return health.call(redis.eval(script, keys.length, ...keys, requestsPerMinute, span, spacing, burst, `${processId}:${sequence++}`, processId, fleetMemoryMs, fleet.size(now), fleet.remaining(now), ...args));
  };
  /** Takes in a script's answer: { wait, processes, grants in the window, peak, ms the peak is still remembered }. */
  const counted = (answer: unknown) => {
    const [, processes, inWindow, peak, peakLeft] = (answer as unknown[]).map(Number);
    const now = scheduler.now();
    fleet.observe(Math.max(1, processes || 1), now);
    if (peak! > 0 && peakLeft! > 0) fleet.observe(peak!, now - (fleetMemoryMs - peakLeft!));
    used = inWindow || 0;
    usedAt = now;
  };

  const enterFallback = (cause: unknown) => {
    if (isClosed || mode === 'fallback') return;
    if (mode === 'handover') {
      // Out again before the fleet resumed: the same local budget goes on (it knows what it granted).
      mode = 'fallback';
      resumeTimer = void resumeTimer?.unsubscribe();
      isResumeDue = false;
      health.fail(cause);
      return;
    }
    mode = 'fallback';
    const share = fallbackShare({ limit: requestsPerMinute, burst, spacing, fleet: fleet.size(scheduler.now()), assumedProcesses, used, usedAt, now: scheduler.now() });
    local = createLocalFallback({ ...share, burst, windowMs, span, scheduler, onGrant: () => mode === 'handover' && flush() });
    health.fail(cause);
    // Waiters move to the local budget, in their order; Redis is probed in the background.
    for (let ticket = queue.pop(); ticket !== undefined; ticket = queue.pop()) local.take(ticket);
  };

  /** Writes the fallback's grants into the shared window (in handover); the first answer sets when the fleet resumes. */
  const flush = () => {
    if (mode !== 'handover' || local === undefined) return;
    if (isFlushing) return void (isFlushDue = true);
    isFlushing = true;
    isFlushDue = false;
    const { times, mark } = local.unrecorded();
    const now = scheduler.now();
    eval$(RECORD_SCRIPT, ...times.map((at) => Math.max(0, Math.round(now - at)))).then(
      (answer) => {
        isFlushing = false;
        if (isClosed || mode !== 'handover') return;
        local?.recorded(mark);
        counted(answer);
        if (isFlushDue) flush();
        else if (isResumeDue) resume();
        else if (resumeTimer === undefined) resumeTimer = health.schedule(resume, Math.max(0, Number((answer as number[])[0])));
      },
      (error: unknown) => {
        isFlushing = false;
        enterFallback(error);
      },
    );
  };

  /** The fleet resumes the shared budget: the local budget's waiters go back to the shared queue. */
  const resume = () => {
    resumeTimer = undefined;
    if (mode !== 'handover' || local === undefined) return;
    // Whatever was granted since the last write goes to Redis first; the write's answer resumes.
    if (isFlushing || local.unrecorded().times.length > 0) {
      isResumeDue = true;
      return flush();
    }
    isResumeDue = false;
    mode = 'shared';
    for (const ticket of local.handBack()) queue.push(ticket);
    local.close();
    local = undefined;
    pump();
  };

  const heartbeat = () => {
    if (isClosed) return;
    if (mode !== 'fallback') eval$(HEARTBEAT_SCRIPT).then(counted, enterFallback);
    health.schedule(heartbeat, heartbeatInterval);
  };

  const pump = () => {
    if (isPumping || isClosed || mode !== 'shared' || queue.size === 0) return;
    isPumping = true;
    eval$(TAKE_SCRIPT).then(
      (answer) => {
        isPumping = false;
        if (mode !== 'shared') return;
        counted(answer);
        if (isClosed) return;
        const wait = Number((answer as number[])[0]);
        if (wait === 0) {
          const ticket = queue.pop();
          const grant = ticket?.grant;
          if (ticket !== undefined) ticket.grant = undefined;
          grant?.();
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
      return mode !== 'shared';
    },
    take(grant, priority = 0) {
      const ticket: Ticket = { grant, rank: scheduler.now() - Math.max(0, priority), order: sequence++, index: -1 };
      if (local !== undefined && mode !== 'shared') local.take(ticket);
      else {
        queue.push(ticket);
        if (timer === undefined) pump();
      }
      return () => {
        if (ticket.grant === undefined) return;
        if (local?.withdraw(ticket) !== true) queue.remove(ticket);
        ticket.grant = undefined;
      };
    },
    reportRateLimited(retryAfter, sentAt) {
      local?.budget.reportRateLimited(retryAfter, sentAt);
      if (mode === 'fallback') return;
      health.call(redis.eval(PAUSE_SCRIPT, 1, keys[1]!, Math.max(1, Math.round(retryAfter ?? SHARED_PAUSE)))).catch((error: unknown) => enterFallback(error));
    },
    reportSuccess() {
      local?.budget.reportSuccess?.();
    },
    snapshot(): BudgetSnapshot {
      return local?.budget.snapshot?.() ?? { limit: requestsPerMinute, used, waiting: queue.size, windowMs };
    },
    close() {
      isClosed = true;
      timer?.unsubscribe();
      timer = undefined;
      resumeTimer?.unsubscribe();
      for (const ticket of queue.drain()) ticket.grant = undefined;
      local?.close();
      health.close();
    },
  };
}
