import { defer, Observable, switchMap, tap, throwError } from 'rxjs';
import { attempt$, createApiRequester } from './api-requester.js';
import { GenlookConfigError } from './errors/genlook-config-error.js';
import { checkIds, combineGenerations, type SettledGeneration, settleGenerations } from './generations.js';
import { validateGenerationId } from './generation-id.js';
import { GenerationPoll, type PollContext, type PollSettings } from './generation.js';
import { timeoutGeneration } from './operators/timeout-generation.js';
import { type GenerationOptions, type GenlookOptions, resolveOptions, resolveRetry } from './options.js';
import { positive } from './option-checks.js';
import type { PollCoordinator } from './poll-coordinator.js';
import { checkSignal, promiseFrom } from './promise-from.js';
import { budgetedCall } from './scheduling/budgeted-call.js';
import { createMemoryBudget } from './scheduling/memory-budget.js';
import { createTimerQueue } from './scheduling/timer-queue.js';
import type { RateBudget } from './scheduling/rate-budget.js';
import type { CompletedGeneration, Generation, TryOnCreated, TryOnRequest } from './schemas.js';
import { createTryOn$ } from './try-on.js';
import { waitForOptions, type WaitForOptions } from './wait-for.js';

/** Options of `retrieve` and `createTryOn`. */
export interface RequestOptions {
  /** Aborts the request; the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** A Genlook client: one transport, one rate budget, one poll per id. */
export interface Genlook {
  /** Polls one generation: each distinct status, complete on `COMPLETED`, `GenerationFailedError` on `FAILED`. */
  generation$(id: string, options?: GenerationOptions): Observable<Generation>;
  /** The latest generation of each id, in the order given; errors on the first failure. */
  generations$(ids: readonly string[], options?: GenerationOptions): Observable<Generation[]>;
  /** The latest state of each id, failures as entries; completes when every entry is final. */
  generationsSettled$(ids: readonly string[], options?: GenerationOptions): Observable<SettledGeneration[]>;
  /** Resolves with the completed generation; rejects with a typed error, or `signal.reason` on abort. */
  waitFor(id: string, options?: WaitForOptions): Promise<CompletedGeneration>;
  /** One read of a generation, whatever its status (no polling; transient failures retried). */
  retrieve(id: string, options?: RequestOptions): Promise<Generation>;
  /** `POST /try-on`: creates a generation (costs a credit; never retried after an ambiguous failure). */
  createTryOn(request: TryOnRequest, options?: RequestOptions): Promise<TryOnCreated>;
  /** Creates a try-on, then follows its generation (`generation$`). */
  tryOn$(request: TryOnRequest, options?: GenerationOptions): Observable<Generation>;
  /** Ends every stream with `CLIENT_CLOSED`, clears the budget's timer and closes the connections. */
  close(): Promise<void>;
}

/**
 * Creates a client. Options are validated once (a `TypeError` names the bad option); the API key is
 * read from `GENLOOK_API_KEY` when not given, and its absence is an error at the first request.
 *
 * @example
 * ```ts
 * const genlook = createGenlook({ apiKey: process.env.GENLOOK_API_KEY });
 * genlook.generation$('gen_123').subscribe((generation) => console.log(generation.status));
 * ```
 */
export function createGenlook(options: GenlookOptions = {}): Genlook {
  const resolved = resolveOptions(options);
  const { scheduler, rateLimit } = resolved;
  const budget: RateBudget =
    rateLimit === false
      ? createMemoryBudget({ requestsPerMinute: Infinity, scheduler })
      : 'take' in rateLimit
        ? rateLimit
        : createMemoryBudget({ ...rateLimit, scheduler });
  const timers = createTimerQueue(scheduler);
  const api = createApiRequester(resolved, timers);
  const { coordinator } = resolved;
  if (coordinator !== undefined) {
    if (coordinatorsInUse.has(coordinator)) throw new TypeError('Expected `coordinator` to serve one client: create one per client (closing the client closes it)');
    coordinatorsInUse.add(coordinator);
  }
  const context: PollContext = { api, budget, timers, coordinator };
  /** The one poll of each watched id; the first subscriber's settings drive it. */
  const polls = new Map<string, GenerationPoll>();
  /** Cancels of `retrieve` calls in flight, so that `close()` ends them too. */
  const reads = new Set<(error: unknown) => void>();
  let isClosed = false;

  const settingsOf = (streamOptions: GenerationOptions | undefined): PollSettings => ({
    pollInterval: streamOptions?.pollInterval === undefined ? resolved.pollInterval : positive('pollInterval', streamOptions.pollInterval),
    retry: streamOptions?.retry === undefined ? resolved.retry : resolveRetry(streamOptions.retry, 'retry', resolved.retry || undefined),
  });

  const closedError = () => new GenlookConfigError('This Genlook client was closed', 'CLIENT_CLOSED');
  const forget = (poll: GenerationPoll) => {
    if (polls.get(poll.id) === poll) polls.delete(poll.id);
  };

  const checkedId = (id: string) => {
    if (isClosed) return closedError();
    return validateGenerationId(id);
  };

  const generation$ = (id: string, streamOptions?: GenerationOptions): Observable<Generation> => {
    const settings = settingsOf(streamOptions);
    const timeout = streamOptions?.timeout === undefined ? undefined : positive('timeout', streamOptions.timeout);
    const stream = new Observable<Generation>((subscriber) => {
      const error = checkedId(id);
      if (error) return subscriber.error(error);
      let poll = polls.get(id);
      if (poll === undefined) polls.set(id, (poll = new GenerationPoll(id, context, settings, forget)));
      return poll.add(subscriber);
    });
    return timeout === undefined ? stream : stream.pipe(timeoutGeneration({ total: timeout, generationId: id, scheduler }));
  };

  const createTryOn = (request: TryOnRequest) =>
    defer(() => (isClosed ? throwError(closedError) : createTryOn$(request, api, context, resolved.retry)));

  return {
    generation$,
    generations$: (ids, streamOptions) => combineGenerations(checkIds(ids), (id) => generation$(id, streamOptions)),
    generationsSettled$: (ids, streamOptions) => settleGenerations(checkIds(ids), (id) => generation$(id, streamOptions)),
    waitFor: (id, waitOptions) =>
      attempt(() => {
        const { timeout, signal, onStatus } = waitForOptions(waitOptions);
        const stream = generation$(id, { timeout });
        return promiseFrom(onStatus ? stream.pipe(tap(onStatus)) : stream, signal) as Promise<CompletedGeneration>;
      }),
    retrieve: (id, requestOptions) =>
      attempt(() => {
        const signal = checkSignal(requestOptions?.signal);
        const read = new Observable<Generation>((subscriber) => {
          const error = checkedId(id);
          if (error) return subscriber.error(error);
          const fail = (reason: unknown) => subscriber.error(reason);
          reads.add(fail);
          const cancel = attempt$<Generation>((onValue, onError) =>
            budgetedCall(api.generationAttempt(id), context, resolved.retry, onValue, onError),
          ).subscribe(subscriber);
          return () => {
            reads.delete(fail);
            cancel.unsubscribe();
          };
        });
        return promiseFrom(read, signal);
      }),
    createTryOn: (request, requestOptions) => attempt(() => promiseFrom(createTryOn(request), checkSignal(requestOptions?.signal))),
    tryOn$: (request, streamOptions) => {
      const settings = settingsOf(streamOptions);
      return createTryOn(request).pipe(switchMap((created) => generation$(created.generationId, { ...streamOptions, ...settings })));
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      const error = closedError();
      for (const poll of [...polls.values()]) poll.fail(error);
      for (const fail of [...reads]) fail(error);
      budget.close?.();
      timers.clear();
      await Promise.all([coordinator?.close?.(), api.close()]);
    },
  };
}

/** Coordinators attached to a client: each serves one (it keys its leases by id, and the client closes it). */
const coordinatorsInUse = new WeakSet<PollCoordinator>();

/** Runs a promise-returning function so that a synchronous throw (a bad option) becomes a rejection. */
function attempt<T>(run: () => Promise<T>): Promise<T> {
  try {
    return run();
  } catch (error) {
    return Promise.reject(error);
  }
}
