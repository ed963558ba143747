import type { SchedulerLike, Subscription } from 'rxjs';
import { ACCOUNT_WINDOW_MS, DEFAULT_BURST, rateLimitOf, windowMargin } from '../model/account-limits.js';
import { nonNegativeInteger, positive } from '../model/option-checks.js';
import { MinHeap } from './min-heap.js';
import { type BudgetSnapshot, type RateBudget, takenSlot$ } from './rate-budget.js';

/** The settings of the in-memory budget. */
export interface MemoryBudgetConfig {
  /** Requests allowed in any window (`Infinity`: only 429 pauses are honoured). @default 100 */
  requestsPerMinute?: number;
  /** Requests that may go at once before pacing starts. @default 10 */
  burst?: number;
  /** The window the limit applies to, in ms: the account's is a minute; time-scaled tests shorten it. @default 60000 */
  windowMs?: number;
  /** Requests already spent in the current window (by other processes, say), counted as made now. @default 0 */
  spent?: number;
  /** The scheduler that times the budget. */
  scheduler: SchedulerLike;
}

/** The first 429 pause without `Retry-After`; it doubles once per episode up to `PAUSE_MAX`. */
const PAUSE_BASE = 1_000;
const PAUSE_MAX = 60_000;

/** A request waiting for its slot; `rank` is its arrival time less its priority. */
interface Waiter {
  grant: (() => void) | undefined;
  rank: number;
  order: number;
  index: number;
}

/**
 * The client-wide budget: never more than `requestsPerMinute` grants in any window (a ring of the last
 * grant times, plus a margin: `windowMargin`), paced by a token bucket of `burst` so that a crowd
 * of ids is spread out. Waiting requests are served by arrival time less their priority (a bounded
 * boost, so none is starved; equal ranks first come, first served). One scheduler action serves every
 * waiter. A 429 pauses all of them: for `Retry-After` when given, else for a backoff that doubles once
 * per episode of 429s (a burst of answers to requests sent before the pause is one episode).
 */
export function createMemoryBudget(config: MemoryBudgetConfig): RateBudget {
  const { scheduler } = config;
  // Infinity: no limit (`rateLimit: false`), only 429 pauses.
  const { requestsPerMinute, burst } = config.requestsPerMinute === Infinity ? { requestsPerMinute: Infinity, burst: DEFAULT_BURST } : rateLimitOf('', config.requestsPerMinute, config.burst);
  const windowMs = positive('windowMs', config.windowMs ?? ACCOUNT_WINDOW_MS);
  const limited = Number.isFinite(requestsPerMinute);
  const span = windowMs + windowMargin(windowMs);
  const grants = new Float64Array(limited ? requestsPerMinute : 0);
  const ratePerMs = requestsPerMinute / windowMs;
  const capacity = Math.max(1, Math.min(burst, requestsPerMinute));
  let granted = 0;
  let tokens = capacity;
  let tokensAt = scheduler.now();
  let pausedUntil = -Infinity;
  let pauseStartedAt = -Infinity;
  let escalations = 0;
  let sequence = 0;
  const queue = new MinHeap<Waiter>((a, b) => a.rank < b.rank || (a.rank === b.rank && a.order < b.order));
  let timer: Subscription | undefined;
  let isDraining = false;

  const consume = (now: number) => {
    if (!limited) return;
    grants[granted % grants.length] = now;
    granted++;
    tokens -= 1;
  };
  for (let spent = Math.min(nonNegativeInteger('spent', config.spent ?? 0), requestsPerMinute); spent > 0; spent--) consume(tokensAt);
  tokens = capacity;

  /** When the next grant may happen (`now` if at once). */
  const freeAt = (now: number): number => {
    let at = Math.max(now, pausedUntil);
    if (!limited) return at;
    if (granted >= grants.length) at = Math.max(at, grants[granted % grants.length]! + span);
    tokens = Math.min(capacity, tokens + (now - tokensAt) * ratePerMs);
    tokensAt = now;
    if (tokens < 1) at = Math.max(at, now + Math.ceil((1 - tokens) / ratePerMs));
    return at;
  };

  const drain = () => {
    timer = undefined;
    if (isDraining) return;
    isDraining = true;
    try {
      for (let waiter = queue.peek(); waiter !== undefined; waiter = queue.peek()) {
        const now = scheduler.now();
        const at = freeAt(now);
        if (at > now) {
          timer = scheduler.schedule(drain, at - now);
          return;
        }
        queue.remove(waiter);
        const grant = waiter.grant!;
        waiter.grant = undefined;
        consume(now);
        grant();
      }
    } finally {
      isDraining = false;
    }
  };

  const budget: RateBudget = {
    take(grant, priority = 0) {
      const now = scheduler.now();
      if (queue.size === 0 && !isDraining && freeAt(now) <= now) {
        consume(now);
        grant();
        return noop;
      }
      const waiter: Waiter = { grant, rank: now - Math.max(0, priority), order: sequence++, index: -1 };
      queue.push(waiter);
      // When the next grant may happen does not depend on who waits, so a timer already set stands.
      if (timer === undefined && !isDraining) drain();
      return () => {
        if (waiter.grant === undefined) return;
        waiter.grant = undefined;
        queue.remove(waiter);
        if (queue.size === 0) {
          timer?.unsubscribe();
          timer = undefined;
        }
      };
    },
    reportRateLimited(retryAfter, sentAt) {
      const now = scheduler.now();
      // A timer set before the pause fires early and finds the pause: waiters are not granted meanwhile.
      if (retryAfter !== undefined) {
        pausedUntil = Math.max(pausedUntil, now + retryAfter);
      } else if (now >= pausedUntil && (sentAt === undefined || sentAt > pauseStartedAt)) {
        // A new episode: the pause doubles. A 429 for a request sent before the current pause began (in
        // its very millisecond too: nothing is granted once it began), or arriving while it lasts, is part
        // of the episode already paused for.
        pauseStartedAt = now;
        pausedUntil = now + Math.min(PAUSE_MAX, PAUSE_BASE * 2 ** Math.min(escalations, 16));
        escalations++;
      }
    },
    reportSuccess() {
      escalations = 0;
    },
    snapshot(): BudgetSnapshot {
      const now = scheduler.now();
      let used = 0;
      for (let index = 0; index < Math.min(granted, grants.length); index++) if (grants[index]! > now - span) used++;
      return { limit: requestsPerMinute, used, waiting: queue.size, windowMs };
    },
    close() {
      timer?.unsubscribe();
      timer = undefined;
      for (const waiter of queue.drain()) waiter.grant = undefined;
    },
    slot$: (priority = 0) => takenSlot$(budget, priority),
  };
  return budget;
}

function noop(): void {}
