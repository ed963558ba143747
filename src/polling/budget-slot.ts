import { type MonoTypeOperatorFunction, Observable, type SchedulerLike, switchMap, tap } from 'rxjs';
import { GenlookApiError } from '../model/errors/genlook-api-error.js';
import type { RateBudget } from '../scheduling/rate-budget.js';

/** A request's priority in the budget's queue (see `RateBudget.take`), or how to work it out when it asks. */
export type SlotPriority = number | (() => number);

/**
 * A slot of the budget as an Observable: emits the time it was granted (on `scheduler`'s clock) and
 * completes; unsubscribing before the grant withdraws the request from the queue.
 */
export function budgetSlot$(budget: RateBudget, scheduler: SchedulerLike, priority: SlotPriority = 0): Observable<number> {
  return new Observable<number>((subscriber) =>
    budget.take(
      () => {
        subscriber.next(scheduler.now());
        subscriber.complete();
      },
      typeof priority === 'number' ? priority : priority(),
    ),
  );
}

/**
 * Sends the request only once the budget grants a slot, and tells the budget how it went: a 429 pauses
 * the whole client (with the time the request was sent, so a burst counts as one episode), a success
 * ends the backoff. Every request of a client goes through here.
 */
export function throughBudget<T>(budget: RateBudget, scheduler: SchedulerLike, priority: SlotPriority = 0): MonoTypeOperatorFunction<T> {
  return (request$) =>
    budgetSlot$(budget, scheduler, priority).pipe(
      switchMap((sentAt) =>
        request$.pipe(
          tap({
            next: () => budget.reportSuccess?.(),
            error: (error: unknown) => {
              if (error instanceof GenlookApiError && error.status === 429) budget.reportRateLimited(error.retryAfter, sentAt);
            },
          }),
        ),
      ),
    );
}
