import type { Observable, SchedulerLike } from 'rxjs';
import type { ApiRequester } from '../http/api-requester.js';
import type { Generation } from '../model/schemas.js';
import type { RateBudget } from '../scheduling/rate-budget.js';
import type { ResolvedRetryPolicy } from '../scheduling/retry-policy.js';
import { coordinated$ } from './coordinated.js';
import type { Cadence, CadenceOptions } from './cadence.js';
import { pacedRepeat, type PacedRepeatConfig } from './paced-repeat.js';
import { type PageVisibility, whileVisible } from './page-visibility.js';
import type { PollCoordinator } from './poll-coordinator.js';
import { throughBudget } from './through-budget.js';
import { retryRule } from './transient-retry.js';

/** What every poll of one client shares. */
export interface PollContext {
  api: ApiRequester;
  budget: RateBudget;
  /** The client's scheduler: one timer heap for every delay of every poll. */
  scheduler: SchedulerLike;
  /** What the client has learned of how long try-ons take, and where a poll is worth its request. */
  cadence: Cadence;
  /** Decides which process of a fleet polls each id (none: this client polls every id it watches). */
  coordinator?: PollCoordinator | undefined;
  /** In a browser with `pauseWhenHidden`: polls wait while the page is hidden. */
  visibility?: PageVisibility | undefined;
}

/** The settings of one id's loop (made once per set of stream options, shared by the ids that use it). */
export interface PollSettings extends PacedRepeatConfig<Generation> {
  /** The budget priority of the poll after `last` (see `Cadence.priorityOf`). */
  priorityOf(last: Generation | undefined): number;
}

/** The loop settings of a cadence and a retry policy. */
export function pollSettings(context: Pick<PollContext, 'cadence' | 'scheduler'>, options: CadenceOptions, retry: ResolvedRetryPolicy | false): PollSettings {
  const { cadence, scheduler } = context;
  return {
    delayAfter: (answer) => cadence.delayAfter(answer, options, scheduler.now()),
    priorityOf: (last) => cadence.priorityOf(last, options, scheduler.now()),
    retry: retry === false ? undefined : retryRule(retry, 'watch'),
    scheduler,
  };
}

/**
 * The answers of one id, in RxJS's own terms:
 *
 * ```
 * pacedRepeat(             again after each answer, as the cadence says (paced by responses), or after
 *                          a backoff when a transient failure is retried (while the last good answer is recent)
 *   throughBudget(GET))    one request per cycle, once the client's budget grants a slot (by priority)
 * [coordinated$]           in a fleet: polled here only while this process leads the id
 * ```
 *
 * In a browser (`pauseWhenHidden`), each cycle waits while the page is hidden (`whileVisible`): a poll
 * that comes due then goes as soon as the page is shown again.
 *
 * A `seed` (a generation just created, so known PENDING) is emitted first, and the first poll waits for
 * the cadence: nothing is asked of the API that it cannot yet have changed.
 *
 * The client shares them between the id's subscribers under the distinct-status and terminal rules
 * (`sharedPolls`: `forwardStatus()`, `endAtTerminal()`, `share()`); a terminal status unsubscribes, which
 * stops the loop. Requests for one id never overlap, a slow server is still answered (nothing cancels a
 * request but unsubscribing), and unsubscribing aborts the request in flight and cancels the timer.
 */
export function generationPoll$(id: string, context: PollContext, settings: PollSettings, seed?: Generation): Observable<Generation> {
  const { api, budget, scheduler, visibility } = context;
  const get$ = api.generation$(id);
  const cycle = (last: Generation | undefined) => throughBudget(get$, budget, scheduler, settings.priorityOf(last));
  const answers$ = pacedRepeat(visibility === undefined ? cycle : (last) => whileVisible(cycle(last), visibility), settings, seed);
  return context.coordinator === undefined ? answers$ : coordinated$(id, context.coordinator, answers$);
}
