import type { Observable, SchedulerLike } from 'rxjs';
import type { ApiRequester } from '../http/api-requester.js';
import type { Generation } from '../model/schemas.js';
import type { RateBudget } from '../scheduling/rate-budget.js';
import type { ResolvedRetryPolicy } from '../scheduling/retry-policy.js';
import { coordinated$ } from './coordinated.js';
import { pacedRepeat, type PacedRepeatConfig } from './paced-repeat.js';
import type { PollCoordinator } from './poll-coordinator.js';
import { throughBudget } from './through-budget.js';
import { retryRule } from './transient-retry.js';

/** What every poll of one client shares. */
export interface PollContext {
  api: ApiRequester;
  budget: RateBudget;
  /** The client's scheduler: one timer heap for every delay of every poll. */
  scheduler: SchedulerLike;
  /** Decides which process of a fleet polls each id (none: this client polls every id it watches). */
  coordinator?: PollCoordinator | undefined;
}

/** The settings of one id's loop: its pacing and retries (made once per set of stream options, shared by the ids that use it). */
export type PollSettings = PacedRepeatConfig<Generation>;

/** The loop settings of a poll interval and a retry policy. */
export function pollSettings(pollInterval: number, retry: ResolvedRetryPolicy | false, scheduler: SchedulerLike): PollSettings {
  return { delayAfter: () => pollInterval, retry: retry === false ? undefined : retryRule(retry, 'watch'), scheduler };
}

/**
 * The answers of one id, in RxJS's own terms:
 *
 * ```
 * throughBudget(GET)       one request per subscription, once the client's budget grants a slot
 *   pacedRepeat(...)       again `pollInterval` after each answer (paced by responses), or after a
 *                          backoff when a transient failure is retried (while the last good answer is recent)
 *   [coordinated$]         in a fleet: polled here only while this process leads the id
 * ```
 *
 * The client shares them between the id's subscribers under the distinct-status and terminal rules
 * (`sharedPolls`: `forwardStatus()`, `endAtTerminal()`, `share()`); a terminal status unsubscribes, which
 * stops the loop. Requests for one id never overlap, a slow server is still answered (nothing cancels a
 * request but unsubscribing), and unsubscribing aborts the request in flight and cancels the timer.
 */
export function generationPoll$(id: string, context: PollContext, settings: PollSettings): Observable<Generation> {
  const { api, budget, scheduler } = context;
  const answers$ = throughBudget(api.generation$(id), budget, scheduler).pipe(pacedRepeat(settings));
  return context.coordinator === undefined ? answers$ : coordinated$(id, context.coordinator, answers$);
}
