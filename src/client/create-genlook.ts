import { defer, type Observable, raceWith, Subject, switchMap, tap, throwError } from 'rxjs';
import { createApiRequester } from '../http/api-requester.js';
import { GenlookConfigError } from '../model/errors/genlook-config-error.js';
import { validateGenerationId } from '../model/generation-id.js';
import { positive } from '../model/option-checks.js';
import type { CompletedGeneration, Generation, TryOnCreated, TryOnRequest } from '../model/schemas.js';
import { throughBudget } from '../polling/through-budget.js';
import { generationPoll$, type PollContext, type PollSettings, pollSettings } from '../polling/generation-poll.js';
import { retryRule, retryTransientFailures } from '../polling/transient-retry.js';
import type { PollCoordinator } from '../polling/poll-coordinator.js';
import { sharedPolls } from '../polling/shared-polls.js';
import { createMemoryBudget } from '../scheduling/memory-budget.js';
import type { RateBudget } from '../scheduling/rate-budget.js';
import { createTimerHeapScheduler } from '../scheduling/timer-heap-scheduler.js';
import { timeoutGeneration } from '../operators/timeout-generation.js';
import { checkIds, combineGenerations, type SettledGeneration, settleGenerations } from './many-ids.js';
import { resolveRetry } from '../scheduling/retry-policy.js';
import { type GenerationOptions, type GenlookOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { checkSignal, promiseFrom } from './promise-from.js';
import { createTryOn$ } from './try-on.js';
import { waitForOptions, type WaitForOptions } from './wait-for.js';

/** Options of `retrieve` and `createTryOn`. */
export interface RequestOptions {
  /** Aborts the request; the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** A Genlook client: one transport, one rate budget, one timer heap, one poll per id. */
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
  /** Ends every stream with `CLIENT_CLOSED`, clears every timer and closes the connections. */
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
  const { coordinator, retry } = resolved;
  // Every delay of the client (polls, backoffs, request timeouts, the budget) sits in one timer heap.
  const scheduler = createTimerHeapScheduler(resolved.scheduler);
  const budget = budgetOf(resolved.rateLimit, scheduler);
  const api = createApiRequester({ ...resolved, scheduler, maxRetryAfter: retry === false ? 60_000 : retry.maxRetryAfter });
  claim(coordinator);
  const context: PollContext = { api, budget, scheduler, coordinator };
  const polls = sharedPolls();
  /** Errors when the client closes: one-shot calls race against it. */
  const closing = new Subject<never>();
  let isClosed = false;

  const closedError = () => new GenlookConfigError('This Genlook client was closed', 'CLIENT_CLOSED');
  const refusal = (id: string) => (isClosed ? closedError() : validateGenerationId(id));
  const defaultSettings = pollSettings(resolved.pollInterval, retry, scheduler);
  // Made once for the client's options, and per stream only when a stream overrides them.
  const settingsOf = (streamOptions: GenerationOptions | undefined): PollSettings =>
    streamOptions?.pollInterval === undefined && streamOptions?.retry === undefined
      ? defaultSettings
      : pollSettings(
          streamOptions.pollInterval === undefined ? resolved.pollInterval : positive('pollInterval', streamOptions.pollInterval),
          streamOptions.retry === undefined ? retry : resolveRetry(streamOptions.retry, 'retry', retry || undefined),
          scheduler,
        );

  const generation$ = (id: string, streamOptions?: GenerationOptions): Observable<Generation> => {
    const settings = settingsOf(streamOptions);
    const timeout = streamOptions?.timeout === undefined ? undefined : positive('timeout', streamOptions.timeout);
    const stream = defer(() => {
      const error = refusal(id);
      return error ? throwError(() => error) : polls.get(id, () => generationPoll$(id, context, settings));
    });
    return timeout === undefined ? stream : stream.pipe(timeoutGeneration({ total: timeout, generationId: id, scheduler }));
  };

  const createTryOn = (request: TryOnRequest) => defer(() => (isClosed ? throwError(closedError) : createTryOn$(request, context, retry))).pipe(raceWith(closing));

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
        const read$ = defer(() => {
          const error = refusal(id);
          if (error) return throwError(() => error);
          const read$ = throughBudget(api.generation$(id), budget, scheduler);
          return retry === false ? read$ : read$.pipe(retryTransientFailures(retryRule(retry, 'once'), scheduler));
        });
        return promiseFrom(read$.pipe(raceWith(closing)), signal);
      }),
    createTryOn: (request, requestOptions) => attempt(() => promiseFrom(createTryOn(request), checkSignal(requestOptions?.signal))),
    tryOn$: (request, streamOptions) => {
      settingsOf(streamOptions); // bad stream options throw now, not after the creation
      return createTryOn(request).pipe(switchMap((created) => generation$(created.generationId, streamOptions)));
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      const error = closedError();
      polls.fail(error);
      closing.error(error);
      budget.close?.();
      scheduler.clear();
      await Promise.all([coordinator?.close?.(), api.close()]);
    },
  };
}

/** The in-memory budget of the options (on the client's timer heap), or the caller's own. */
function budgetOf(rateLimit: ResolvedOptions['rateLimit'], scheduler: Parameters<typeof createMemoryBudget>[0]['scheduler']): RateBudget {
  if (rateLimit === false) return createMemoryBudget({ requestsPerMinute: Infinity, scheduler });
  return 'take' in rateLimit ? rateLimit : createMemoryBudget({ ...rateLimit, scheduler });
}

/** Coordinators attached to a client: each serves one (it keys its leases by id, and the client closes it). */
const coordinatorsInUse = new WeakSet<PollCoordinator>();

function claim(coordinator: PollCoordinator | undefined): void {
  if (coordinator === undefined) return;
  if (coordinatorsInUse.has(coordinator)) throw new TypeError('Expected `coordinator` to serve one client: create one per client (closing the client closes it)');
  coordinatorsInUse.add(coordinator);
}

/** Runs a promise-returning function so that a synchronous throw (a bad option) becomes a rejection. */
function attempt<T>(run: () => Promise<T>): Promise<T> {
  try {
    return run();
  } catch (error) {
    return Promise.reject(error);
  }
}
