import { defer, type MonoTypeOperatorFunction, type SchedulerLike, switchMap, tap } from 'rxjs';
import { GenlookApiError } from '../model/errors/genlook-api-error.js';
import { budgetSlot$, type RateBudget } from '../scheduling/rate-budget.js';

/**
 * Settings of `throughBudget`.
 * @internal
 */
export interface ThroughBudgetConfig {
  /** The client's budget. */
  budget: RateBudget;
  /** The clock that dates a request's sending (for the budget's 429 episodes). */
  scheduler: SchedulerLike;
  /** The request's priority in the budget's queue (see `RateBudget.take`), or how to work it out at each subscription. @default 0 */
  priority?: number | (() => number);
}

/**
 * The budget stage: each subscription asks the budget for a slot (`budgetSlot$`) and subscribes the
 * request only once it is granted, then tells the budget how it went: a 429 pauses the whole client
 * (with the time the request was sent, so that a burst counts as one episode), a success ends the
 * backoff. Unsubscribing before the grant withdraws from the queue; after it, aborts the request. Every
 * request of a client goes through here. Made of `defer`, `switchMap` and `tap`.
 * @internal
 */
export function throughBudget<T>(config: ThroughBudgetConfig): MonoTypeOperatorFunction<T> {
  const { budget, scheduler, priority = 0 } = config;
  return (request$) =>
    defer(() => {
      let sentAt = 0;
      return budgetSlot$(budget, typeof priority === 'number' ? priority : priority()).pipe(
        switchMap(() => {
          sentAt = scheduler.now();
          return request$;
        }),
        // Made per request: a waiting watch holds none of it.
        tap({
          next: () => budget.reportSuccess?.(),
          error: (error: unknown) => {
            if (error instanceof GenlookApiError && error.status === 429) budget.reportRateLimited(error.retryAfter, sentAt);
          },
        }),
      );
    });
}
