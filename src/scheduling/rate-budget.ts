import { Observable } from 'rxjs';

/**
 * The gate every request of a client passes. The in-memory budget of `createGenlook` implements it;
 * a budget shared by many processes of one account (see `genlook-rx/redis`) can replace it.
 *
 * @example
 * ```ts
 * const budget: RateBudget = { take: (grant) => { grant(); return () => {}; }, reportRateLimited() {} };
 * createGenlook({ rateLimit: budget });
 * ```
 */
export interface RateBudget {
  /**
   * Asks for one request slot. `grant` is called once, when the request may go (possibly at once,
   * synchronously). Returns a function that withdraws the request if it has not been granted yet.
   * `priority` (ms, default 0) lets the request go before those that arrived up to that long before
   * it: creations and polls likely to find a finished generation ask with one. A bounded boost, so
   * nothing waits forever.
   */
  take(grant: () => void, priority?: number): () => void;
  /**
   * The same ask as an Observable: emits once, then completes, when the request may go (possibly
   * synchronously, on subscribe); unsubscribing before the grant withdraws the request. `take` is
   * enough: a budget without `slot$` is reached through `take` (see `budgetSlot$`).
   */
  slot$?(priority?: number): Observable<void>;
  /**
   * Reports a 429: the budget pauses every request for `retryAfter` milliseconds when the server gave
   * one, else for a backoff that grows once per episode (a 429 for a request sent before the current
   * pause began, `sentAt` on the scheduler's clock, belongs to that pause's episode).
   */
  reportRateLimited(retryAfter: number | undefined, sentAt?: number): void;
  /** Reports a successful answer (ends the 429 backoff). */
  reportSuccess?(): void;
  /** How loaded the budget is now: the client's choices (creation that waits) and `pressure$` read it. */
  snapshot?(): BudgetSnapshot;
  /** Releases the budget's timers; called by `genlook.close()`. */
  close?(): void;
}

/** A budget's load at one moment. */
export interface BudgetSnapshot {
  /** Requests allowed per window (`Infinity` without a limit). */
  limit: number;
  /** Requests granted in the last window. */
  used: number;
  /** Requests waiting for a slot. */
  waiting: number;
  /** The window `limit` applies to, in ms. */
  windowMs: number;
}

/**
 * The slot of one request from any budget, as an Observable: the budget's own `slot$` when it has one,
 * else its `take`. Every request of a client asks through here (src/operators/through-budget.ts).
 */
export function budgetSlot$(budget: RateBudget, priority = 0): Observable<void> {
  return budget.slot$?.(priority) ?? takenSlot$(budget, priority);
}

/**
 * A slot asked with `budget.take`: emits and completes on the grant; the teardown withdraws (after the
 * grant, a no-op). What `slot$` is for a budget that implements only `take` (the in-memory budget's
 * `slot$` is this over its own queue).
 */
export function takenSlot$(budget: Pick<RateBudget, 'take'>, priority: number): Observable<void> {
  return new Observable<void>((subscriber) =>
    budget.take(() => {
      subscriber.next();
      subscriber.complete();
    }, priority),
  );
}
