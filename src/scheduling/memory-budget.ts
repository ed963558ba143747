import type { SchedulerLike, Subscription } from 'rxjs';
import type { RateBudget } from './rate-budget.js';

/** The settings of the in-memory budget. */
export interface MemoryBudgetConfig {
  /** Requests allowed in any 60 s window; `Infinity` only honours 429 pauses. @default 100 */
  requestsPerMinute?: number;
  /** Requests that may go at once before pacing starts. @default 10 */
  burst?: number;
  /** The window the limit applies to, in ms: the account's is a minute; tests shorten it. @default 60000 */
  windowMs?: number;
  /** The scheduler that times the budget. @default asyncScheduler */
  scheduler: SchedulerLike;
}

/** Spacing kept beyond the 60 s window so that jitter in network latency cannot push the server over. */
const WINDOW_MARGIN = 500;
const PAUSE_BASE = 1_000;
const PAUSE_MAX = 60_000;

interface Waiter {
  grant: (() => void) | undefined;
  next: Waiter | undefined;
}

/**
 * The client-wide budget: never more than `requestsPerMinute` grants in any 60 s window (a ring of
 * the last grant times), paced by a token bucket of `burst` so a crowd of ids is spread out, and
 * shared fairly (first come, first served: each id waits at most once at a time). One timer serves
 * every waiting request; a 429 pauses all of them.
 */
export function createMemoryBudget(config: MemoryBudgetConfig): RateBudget {
  const { requestsPerMinute = 100, burst = 10, windowMs: WINDOW = 60_000, scheduler } = config;
  const limited = Number.isFinite(requestsPerMinute);
  const grants = limited ? new Float64Array(requestsPerMinute) : new Float64Array(0);
  let granted = 0;
  const ratePerMs = requestsPerMinute / WINDOW;
  const capacity = Math.max(1, Math.min(burst, requestsPerMinute));
  let tokens = capacity;
  let tokensAt = scheduler.now();
  let pausedUntil = -Infinity;
  let pauses = 0;
  let head: Waiter | undefined;
  let tail: Waiter | undefined;
  let timer: Subscription | undefined;
  let draining = false;
  /** Waiters not yet granted nor withdrawn: when none is left, the timer goes too. */
  let live = 0;

  const refill = (now: number) => {
    tokens = Math.min(capacity, tokens + (now - tokensAt) * ratePerMs);
    tokensAt = now;
  };

  /** When the next grant may happen (`now` if at once). */
  const freeAt = (now: number): number => {
    let at = Math.max(now, pausedUntil);
    if (!limited) return at;
    if (granted >= grants.length) at = Math.max(at, grants[granted % grants.length]! + WINDOW + WINDOW_MARGIN);
    refill(now);
    if (tokens < 1) at = Math.max(at, now + Math.ceil((1 - tokens) / ratePerMs));
    return at;
  };

  const consume = (now: number) => {
    if (!limited) return;
    grants[granted % grants.length] = now;
    granted++;
    tokens -= 1;
  };

  const drain = () => {
    timer = undefined;
    if (draining) return;
    draining = true;
    try {
      while (head !== undefined) {
        if (head.grant === undefined) {
          head = head.next;
          continue;
        }
        const now = scheduler.now();
        const at = freeAt(now);
        if (at > now) {
          timer = scheduler.schedule(drain, at - now);
          return;
        }
        const waiter = head;
        head = head.next;
        const grant = waiter.grant!;
        waiter.grant = undefined;
        live--;
        consume(now);
        grant();
      }
      tail = undefined;
    } finally {
      draining = false;
    }
  };

  return {
    take(grant) {
      if (head === undefined && !draining) {
        const now = scheduler.now();
        if (freeAt(now) <= now) {
          consume(now);
          grant();
          return noop;
        }
      }
      const waiter: Waiter = { grant, next: undefined };
      if (tail === undefined || head === undefined) head = waiter;
      else tail.next = waiter;
      tail = waiter;
      live++;
      if (timer === undefined && !draining) drain();
      return () => {
        if (waiter.grant === undefined) return;
        waiter.grant = undefined;
        if (--live === 0) {
          timer?.unsubscribe();
          timer = undefined;
          head = tail = undefined;
        }
      };
    },
    reportRateLimited(retryAfter) {
      const delay = retryAfter ?? Math.min(PAUSE_MAX, PAUSE_BASE * 2 ** pauses);
      pauses++;
      const until = scheduler.now() + delay;
      if (until > pausedUntil) pausedUntil = until;
      if (head !== undefined) {
        timer?.unsubscribe();
        timer = undefined;
        drain();
      }
    },
    reportSuccess() {
      pauses = 0;
    },
    close() {
      timer?.unsubscribe();
      timer = undefined;
      head = tail = undefined;
      live = 0;
    },
  };
}

function noop(): void {}
