import { defer, identity, type Observable, type SchedulerLike, startWith, switchMap, tap, timer } from 'rxjs';
import type { ApiRequester } from '../http/api-requester.js';
import type { Generation } from '../model/schemas.js';
import { pacedRepeat } from '../operators/paced-repeat.js';
import { throughBudget } from '../operators/through-budget.js';
import type { RateBudget } from '../scheduling/rate-budget.js';
import { type ResolvedRetryPolicy, retryByRule, type RetryRule, retryRule } from '../scheduling/retry-policy.js';
import type { Cadence, CadenceOptions } from './cadence.js';
import { coordinated$ } from './coordinated.js';
import { type PageVisibility, whileVisible } from './page-visibility.js';
import type { Sweeps } from './sweeps.js';
import type { PollCoordinator } from './poll-coordinator.js';

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
  /** The client's sweeps of `GET /generations` (src/polling/sweeps.ts), for the loops that join them. */
  sweeps?: Sweeps | undefined;
}

/** The settings of one id's loop (made once per set of stream options, shared by the ids that use it). */
export interface PollSettings {
  /** How long to wait after an answer before the next poll (the cadence), in ms. */
  delayAfter(answer: Generation): number;
  /** The budget priority of the poll after `last` (see `Cadence.priorityOf`). */
  priorityOf(last: Generation | undefined): number;
  /** The retry rule of a watch (bounded by time since the last good answer), or none. */
  retry: RetryRule | undefined;
  /** The loop reads through the client's sweeps (streams with the client's own interval and retry only). */
  joinsSweeps: boolean;
}

/** The loop settings of a cadence and a retry policy. */
export function pollSettings(context: Pick<PollContext, 'cadence' | 'scheduler'>, options: CadenceOptions, retry: ResolvedRetryPolicy | false, joinsSweeps = false): PollSettings {
  const { cadence, scheduler } = context;
  return {
    joinsSweeps,
    delayAfter: (answer) => cadence.delayAfter(answer, options, scheduler.now()),
    priorityOf: (last) => cadence.priorityOf(last, options, scheduler.now()),
    retry: retry === false ? undefined : retryRule(retry, 'watch'),
  };
}

/**
 * The answers of one id, of RxJS's own operators:
 *
 * ```
 * defer(() => read$)                       the first read on subscribe (timer(delayAfter(seed)) after a seed)
 * read$ = GET.pipe(throughBudget(...))     one request, once the client's budget grants a slot (by priority);
 *                                          with sweeps, the id's share of the next sweep (src/polling/sweeps.ts)
 *   .pipe(tap(answer => note it),          the cadence's wait after it, the priority of the next read
 *         pacedRepeat(...),                repeat({ delay: () => timer(wait) }): again after each answer
 *         retry)                           retry({ delay }): transient failures, while the last good answer is recent
 * [sweeps.member]                          with sweeps: a member of the client's sweeps while it runs
 * [coordinated$]                           in a fleet: polled here only while this process leads the id
 * ```
 *
 * In a browser (`pauseWhenHidden`), each read waits while the page is hidden (`whileVisible`): a poll
 * that comes due then goes as soon as the page is shown again.
 *
 * A `seed` (a generation just created, so known PENDING) is emitted first, and the first poll waits for
 * the cadence: nothing is asked of the API that it cannot yet have changed.
 *
 * The client shares them between the id's subscribers under the forward-status and terminal rules
 * (src/polling/shared-polls.ts); a terminal status unsubscribes, which stops the loop. Requests for one
 * id never overlap, a slow server is still answered (nothing cancels a request but unsubscribing), and
 * unsubscribing aborts the request in flight and cancels the timer.
 */
export function generationPoll$(id: string, context: PollContext, settings: PollSettings, seed?: Generation): Observable<Generation> {
  const { api, budget, scheduler, visibility } = context;
  const get$ = api.generation$(id);
  const { delayAfter, priorityOf, retry } = settings;
  const sweeps = settings.joinsSweeps ? context.sweeps : undefined;
  // The latest answer, when it came and the wait it calls for: the next read's budget priority, the
  // pacing and the retry's time bound read them. Kept per call, not per subscription (no `defer` held
  // for the whole watch): the shared poll makes a loop per connection (src/polling/shared-polls.ts), and
  // only a fleet's coordinator subscribes it again, once the previous subscription ended (the retry's
  // time bound then starts afresh).
  let last = seed;
  let answeredAt = scheduler.now();
  let wait = 0;
  const read$ = sweeps === undefined ? get$.pipe(throughBudget({ budget, scheduler, priority: () => priorityOf(last) })) : defer(() => sweeps.read$(id, priorityOf(last)));
  const polls$ = (visibility === undefined ? read$ : whileVisible(read$, visibility)).pipe(
    // Inside the repeat: made per cycle, released while the watch waits.
    tap((answer: Generation) => {
      last = answer;
      answeredAt = scheduler.now();
      // A swept answer waits for the next sweep, which keeps its own pace (`pollInterval` after the last).
      wait = sweeps === undefined ? delayAfter(answer) : sweeps.waitAfter(answer, delayAfter(answer));
    }),
    pacedRepeat({ delay: () => wait, scheduler }),
    retry === undefined ? identity : retryByRule<Generation>(retry, scheduler, { lastGoodAt: () => answeredAt }),
  );
  // After a creation, the first read waits for the cadence, or joins the next sweep when sweeps run.
  const firstDelay = (created: Generation) => (sweeps?.isActive() ? 0 : delayAfter(created));
  const answers$ = seed === undefined ? polls$ : timer(firstDelay(seed), scheduler).pipe(switchMap(() => polls$), startWith(seed));
  // With sweeps, the loop is a member of them while it runs (in a fleet: while this process leads the id).
  const loop$ = sweeps === undefined ? answers$ : sweeps.member(id, answers$);
  if (context.coordinator === undefined) return loop$;
  return coordinated$(
    id,
    context.coordinator,
    defer(() => {
      answeredAt = scheduler.now();
      return loop$;
    }),
  );
}
