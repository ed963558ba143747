import { Observable, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import type { ApiRequester } from './api-requester.js';
import { GenerationFailedError } from './errors/generation-failed-error.js';
import type { ResolvedRetryPolicy } from './scheduling/backoff.js';
import { budgetedRequest } from './scheduling/budgeted-request.js';
import type { RateBudget } from './scheduling/rate-budget.js';
import type { Generation } from './schemas.js';

/** What every poll loop of one client shares. */
export interface PollContext {
  api: ApiRequester;
  budget: RateBudget;
  scheduler: SchedulerLike;
  /** Live loops, so that `close()` can end them. */
  active: Set<Subscriber<Generation>>;
}

/** The settings of one loop. */
export interface PollSettings {
  pollInterval: number;
  retry: ResolvedRetryPolicy | false;
  /** One successful read, whatever its status (for `retrieve`): emitted, then complete. */
  once?: boolean;
}

/**
 * The poll loop for one id (DESIGN section 4). Each cycle is one budgeted request (a budget slot,
 * the request, transient retries); only after its answer does the loop wait `pollInterval` before
 * the next, so requests never overlap and a slow server is still answered. Emits a generation only
 * when its status differs from the previous answer's; completes after `COMPLETED`; errors with
 * `GenerationFailedError` on `FAILED`. Unsubscribing aborts the request in flight and clears the timer.
 */
export function pollGeneration(id: string, context: PollContext, settings: PollSettings): Observable<Generation> {
  const { api, scheduler, active } = context;
  const { pollInterval, retry, once = false } = settings;
  const read$ = budgetedRequest(() => api.getGeneration(id), context, retry);
  return new Observable<Generation>((subscriber) => {
    let lastStatus: string | undefined;
    let timer: Subscription | undefined;
    let cycle: Subscription | undefined;

    const onGeneration = (generation: Generation) => {
      cycle = undefined;
      if (once) {
        subscriber.next(generation);
        subscriber.complete();
      } else if (generation.status === 'FAILED') {
        subscriber.error(new GenerationFailedError(generation));
      } else {
        if (generation.status !== lastStatus) {
          lastStatus = generation.status;
          subscriber.next(generation);
        }
        if (generation.status === 'COMPLETED') subscriber.complete();
        else if (!subscriber.closed) timer = scheduler.schedule(poll, pollInterval);
      }
    };
    const observer = { next: onGeneration, error: (error: unknown) => subscriber.error(error) };

    function poll() {
      timer = undefined;
      const inflight = read$.subscribe(observer);
      if (!inflight.closed && timer === undefined) cycle = inflight;
    }

    active.add(subscriber);
    poll();
    return () => {
      active.delete(subscriber);
      timer?.unsubscribe();
      cycle?.unsubscribe();
    };
  });
}
