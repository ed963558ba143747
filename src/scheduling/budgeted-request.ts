import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { isTransientError } from '../errors/guards.js';
import { backoffDelay, type ResolvedRetryPolicy } from './backoff.js';
import type { RateBudget } from './rate-budget.js';

/** What a budgeted request needs from its client. */
export interface BudgetContext {
  budget: RateBudget;
  scheduler: SchedulerLike;
}

/**
 * One logical request: waits for a budget slot, sends, and on a retryable failure waits a capped
 * exponential backoff with full jitter (or the server's `Retry-After`) and tries again, up to
 * `retry.count` times. A 429 is reported to the budget, which pauses the whole client. Unsubscribing
 * withdraws from the budget, aborts the request in flight and clears the timer.
 */
export function budgetedRequest<T>(
  send: () => Observable<T>,
  context: BudgetContext,
  retry: ResolvedRetryPolicy | false,
  isRetryable: (error: unknown) => boolean = retry && retry.invalidBodies ? isTransientOrUnparseable : isTransientError,
): Observable<T> {
  const { budget, scheduler } = context;
  return new Observable<T>((subscriber) => {
    let failures = 0;
    let timer: Subscription | undefined;
    let request: Subscription | undefined;
    let withdraw: (() => void) | undefined;

    const observer = {
      next: (value: T) => {
        request = undefined;
        budget.reportSuccess?.();
        subscriber.next(value);
      },
      error: (error: unknown) => {
        request = undefined;
        const { status, retryAfter } = error as { status?: number; retryAfter?: number };
        if (status === 429 && isTransientError(error)) budget.reportRateLimited(retryAfter);
        if (retry === false || failures >= retry.count || !isRetryable(error)) {
          subscriber.error(error);
          return;
        }
        const delay = retryAfter ?? backoffDelay(failures, retry);
        failures++;
        timer = scheduler.schedule(waitForSlot, delay);
      },
      complete: () => subscriber.complete(),
    };

    const sendNow = () => {
      withdraw = undefined;
      const inflight = send().subscribe(observer);
      if (!inflight.closed) request = inflight;
    };

    function waitForSlot() {
      timer = undefined;
      const cancel = budget.take(sendNow);
      if (request === undefined && !subscriber.closed && timer === undefined) withdraw = cancel;
    }

    waitForSlot();
    return () => {
      timer?.unsubscribe();
      request?.unsubscribe();
      withdraw?.();
    };
  });
}

function isTransientOrUnparseable(error: unknown): boolean {
  return isTransientError(error) || (error as { name?: string; isJson?: boolean }).name === 'GenlookResponseError' && (error as { isJson?: boolean }).isJson === false;
}
