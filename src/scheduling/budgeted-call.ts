import { isTransientError } from '../errors/guards.js';
import { backoffDelay, type ResolvedRetryPolicy } from './backoff.js';
import type { RateBudget } from './rate-budget.js';
import type { CancelTimer, TimerQueue } from './timer-queue.js';

/** What a budgeted call needs from its client. */
export interface BudgetContext {
  budget: RateBudget;
  timers: TimerQueue;
}

/** Starts one attempt; calls exactly one of its callbacks (unless cancelled); returns its cancel. */
export type Attempt<T> = (onValue: (value: T) => void, onError: (error: unknown) => void) => () => void;

/**
 * One logical request, callback style (the poll loop's hot path allocates no Observable): waits for a
 * budget slot, runs `attempt`, and on a retryable failure waits a capped exponential backoff with full
 * jitter (or the server's `Retry-After`) and tries again, up to `retry.count` times. A 429 is reported to
 * the budget, which pauses the whole client. The returned function withdraws from the budget, cancels the
 * attempt in flight and clears the timer.
 */
export function budgetedCall<T>(
  attempt: Attempt<T>,
  context: BudgetContext,
  retry: ResolvedRetryPolicy | false,
  onValue: (value: T) => void,
  onError: (error: unknown) => void,
  isRetryable: (error: unknown) => boolean = retry && retry.invalidBodies ? isTransientOrUnparseable : isTransientError,
): () => void {
  const { budget, timers } = context;
  let failures = 0;
  let timer: CancelTimer | undefined;
  let cancelAttempt: (() => void) | undefined;
  let withdraw: (() => void) | undefined;
  let isOver = false;

  const succeed = (value: T) => {
    cancelAttempt = undefined;
    isOver = true;
    budget.reportSuccess?.();
    onValue(value);
  };
  const fail = (error: unknown) => {
    cancelAttempt = undefined;
    const { status, retryAfter } = error as { status?: number; retryAfter?: number };
    if (status === 429 && isTransientError(error)) budget.reportRateLimited(retryAfter);
    if (retry === false || failures >= retry.count || !isRetryable(error)) {
      isOver = true;
      onError(error);
      return;
    }
    const delay = retryAfter ?? backoffDelay(failures, retry);
    failures++;
    timer = timers.schedule(waitForSlot, delay);
  };
  const sendNow = () => {
    withdraw = undefined;
    if (isOver) return;
    const cancel = attempt(succeed, fail);
    // The attempt may have answered synchronously (a test transport): then there is nothing to cancel.
    if (cancelAttempt === undefined && !isOver && timer === undefined) cancelAttempt = cancel;
  };
  function waitForSlot() {
    timer = undefined;
    const cancel = budget.take(sendNow);
    if (cancelAttempt === undefined && !isOver && timer === undefined) withdraw = cancel;
  }

  waitForSlot();
  return () => {
    isOver = true;
    timer?.();
    cancelAttempt?.();
    withdraw?.();
    timer = cancelAttempt = withdraw = undefined;
  };
}

function isTransientOrUnparseable(error: unknown): boolean {
  return isTransientError(error) || ((error as { name?: string }).name === 'GenlookResponseError' && (error as { isJson?: boolean }).isJson === false);
}
