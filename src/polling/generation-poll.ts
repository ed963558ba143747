import { type MonoTypeOperatorFunction, type Observable, repeat, type SchedulerLike, timer } from 'rxjs';
import type { Generation } from '../model/schemas.js';
import type { ApiRequester } from '../http/api-requester.js';
import type { ResolvedRetryPolicy } from '../scheduling/retry-policy.js';
import type { RateBudget } from '../scheduling/rate-budget.js';
import { throughBudget } from './budget-slot.js';
import { coordinated$ } from './coordinated.js';
import { forwardStatus } from './forward-status.js';
import type { PollCoordinator } from './poll-coordinator.js';
import { endAtTerminal } from './terminal-rule.js';
import { retryableBy, retryTransientFailures } from './transient-retry.js';

/** What every poll of one client shares. */
export interface PollContext {
  api: ApiRequester;
  budget: RateBudget;
  /** The client's scheduler: one timer heap for every delay of every poll. */
  scheduler: SchedulerLike;
  /** Decides which process of a fleet polls each id (none: this client polls every id it watches). */
  coordinator?: PollCoordinator | undefined;
}

/** The settings of one id's loop. */
export interface PollSettings {
  pollInterval: number;
  retry: ResolvedRetryPolicy | false;
}

/**
 * The loop of one id, in RxJS's own terms:
 *
 * ```
 * GET (through the budget)          one request per cycle (http/exchange.ts)
 *   repeat({ delay: timer(interval) })  paced by responses: the next GET starts `pollInterval` after the answer
 *   retryTransientFailures(...)       a failed GET is retried after backoff, while answers are recent
 *   [coordinated$]                    in a fleet: polled here only while this process leads the id
 *   forwardStatus()                   each status once, forward only (stale reads dropped)
 *   endAtTerminal()                   COMPLETED completes, FAILED errors: and the loop stops
 * ```
 *
 * Requests for one id never overlap (`repeat` resubscribes only after the answer), a slow server is
 * still answered (nothing cancels a request but unsubscribing), and unsubscribing aborts the request in
 * flight and cancels the timer. Sharing between subscribers is the client's (`sharedPolls`).
 */
export function generationPoll$(id: string, context: PollContext, settings: PollSettings): Observable<Generation> {
  const answers$ = context.api.generation$(id).pipe(
    throughBudget(context.budget, context.scheduler),
    repeat({ delay: () => timer(settings.pollInterval, context.scheduler) }),
    watchRetry(settings.retry, context.scheduler),
  );
  const source$ = context.coordinator === undefined ? answers$ : coordinated$(id, context.coordinator, answers$);
  return source$.pipe(forwardStatus(), endAtTerminal());
}

/** A watch's retries: bounded by the time since its last good answer (and by a count only when one was given). */
export function watchRetry<T>(policy: ResolvedRetryPolicy | false, scheduler: SchedulerLike): MonoTypeOperatorFunction<T> {
  if (policy === false) return (source) => source;
  return retryTransientFailures({ count: policy.watchCount, giveUpAfter: policy.giveUpAfter, backoff: policy, scheduler, isRetryable: retryableBy(policy) });
}

/** A one-shot call's retries (`retrieve`): bounded by a count. */
export function oneShotRetry<T>(policy: ResolvedRetryPolicy | false, scheduler: SchedulerLike): MonoTypeOperatorFunction<T> {
  if (policy === false) return (source) => source;
  return retryTransientFailures({ count: policy.count, giveUpAfter: Infinity, backoff: policy, scheduler, isRetryable: retryableBy(policy) });
}
