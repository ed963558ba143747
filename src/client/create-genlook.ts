import { defer, distinctUntilChanged, map, type Observable, raceWith, Subject, tap, throwError, timer } from 'rxjs';
import { createApiRequester } from '../http/api-requester.js';
import { GenlookConfigError } from '../model/errors/genlook-config-error.js';
import { validateGenerationId } from '../model/generation-id.js';
import { positive } from '../model/option-checks.js';
import type { CompletedGeneration, Generation, TryOnCreated, TryOnRequest } from '../model/schemas.js';
import { throughBudget } from '../operators/through-budget.js';
import { Cadence, DurationModel } from '../polling/cadence.js';
import { generationPoll$, type PollSettings, pollSettings } from '../polling/generation-poll.js';
import type { PollCoordinator } from '../polling/poll-coordinator.js';
import { sharedPolls } from '../polling/shared-polls.js';
import { createSweeps } from '../polling/sweeps.js';
import { type ConnectionHealth, createHealthMonitor } from './connection-health.js';
import { estimateGeneration, type GenerationEstimate } from './generation-estimate.js';
import { eventSourceOf, eventsOrPolls$, proxyEvents$ } from './proxy-events.js';
import { createMemoryBudget } from '../scheduling/memory-budget.js';
import type { BudgetSnapshot, RateBudget } from '../scheduling/rate-budget.js';
import { createTimerHeapScheduler } from '../scheduling/timer-heap-scheduler.js';
import { timeoutGeneration } from '../operators/timeout-generation.js';
import { checkIds, combineGenerations, type SettledGeneration, settleGenerations } from './many-ids.js';
import { retryByRule, retryRule } from '../scheduling/retry-policy.js';
import { CreationChoice } from './creation-choice.js';
import { pageVisibility } from '../polling/page-visibility.js';
import { type GenerationOptions, type GenlookOptions, type ResolvedOptions, resolveOptions, type ResolvedStreamOptions, resolveStreamOptions, type TryOnOptions } from './options.js';
import { checkSignal, promiseFrom } from './promise-from.js';
import { type CreationContext, createTryOn$, tryOnFlow$ } from './try-on.js';
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
  /**
   * Creates a try-on and follows it to its outcome: with `POST /try-on/sync` when requests are scarce
   * (the outcome alone), else `POST /try-on` then its poll (PENDING and PROCESSING too); `creation` says
   * which (see `GenlookOptions.creation`).
   */
  tryOn$(request: TryOnRequest, options?: TryOnOptions): Observable<Generation>;
  /**
   * How loaded the client's budget is, each second while subscribed (when it changes): requests used in
   * the window, waiting for a slot, and the limit. Past capacity the client queues rather than drawing
   * 429s; this says so.
   */
  readonly pressure$: Observable<BudgetSnapshot>;
  /**
   * Whether the API is answering, as this client's requests find it: `ok`, `retrying` (since when, and
   * the last failure's code) or `down` (failing for longer than `retry.giveUpAfter`). The current state
   * at once, then each change; completes on `close()`. A UI or a relay can say "reconnecting" with it.
   */
  readonly health$: Observable<ConnectionHealth>;
  /**
   * When `generation` is likely to end (median and 90% end times) and how far along it is (0 to 1),
   * from the durations this client has seen: for a progress bar or an ETA, labelled an estimate. The
   * emitted `Generation` stays the server's shape. `pollInterval` (default: the client's) sets the
   * scale of the prior used before any try-on was seen to end: five intervals.
   */
  estimate(generation: Generation, options?: { pollInterval?: number }): GenerationEstimate;
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
  // Down once failures last as long as a watch rides them out (without retries, at the first).
  const health = createHealthMonitor(scheduler, retry === false ? 0 : retry.giveUpAfter);
  const api = createApiRequester({ ...resolved, scheduler, maxRetryAfter: retry === false ? 60_000 : retry.maxRetryAfter, report: health.report });
  claim(coordinator);
  const cadence = new Cadence(new DurationModel());

  const visibility = resolved.pauseWhenHidden ? pageVisibility() : undefined;
  // Sweeps read every pending id in one request. In a fleet each id's lease decides which process reads
  // it, and one process sweeps for the fleet (the coordinator's `sweep`); a coordinator without one: polls per id.
  const fleetSweep = coordinator?.sweep === undefined ? undefined : coordinator.sweep.bind(coordinator);
  const sweeps =
    resolved.sweeps && (coordinator === undefined || fleetSweep !== undefined)
      ? createSweeps({
          readOne$: (id, priority) => api.generation$(id).pipe(throughBudget({ budget, scheduler, priority })),
          readPage$: (query) => api.list$(query).pipe(throughBudget({ budget, scheduler, priority: resolved.pollInterval })),
          scheduler,
          interval: resolved.pollInterval,
          // The client loop's cadence (made below; called only once sweeps run).
          delayAfter: (answer) => clientSettings.delayAfter(answer),
          learn: (duration) => cadence.model.observe(duration),
          fleet: fleetSweep,
        })
      : undefined;
  const choice = new CreationChoice(budget, cadence, sweeps !== undefined);
  const context: CreationContext = { api, budget, scheduler, coordinator, cadence, visibility, sweeps, retry, holdTimeout: resolved.holdTimeout, choice, pollInterval: resolved.pollInterval };
  const polls = sharedPolls();
  /** Errors when the client closes: one-shot calls race against it. */
  const closing = new Subject<never>();
  let isClosed = false;

  const closedError = () => new GenlookConfigError('This Genlook client was closed', 'CLIENT_CLOSED');
  const refusal = (id: string) => (isClosed ? closedError() : validateGenerationId(id));
  // A stream with its own pollInterval or retry polls on its own: only the client's loop joins sweeps.
  const settingsOf = (stream: ResolvedStreamOptions, joinsSweeps = false): PollSettings =>
    pollSettings(context, { pollInterval: stream.pollInterval, maxGap: resolved.maxPollGapFor(stream.pollInterval), isAdaptive: resolved.cadence === 'adaptive' }, stream.retry, joinsSweeps);
  const clientStream = resolveStreamOptions(undefined, resolved);
  // Made once for the client's options, and per stream only when a stream overrides them.
  const clientSettings = settingsOf(clientStream, sweeps !== undefined);

  // Through a proxy's event stream where there is one (browsers, relative baseUrl); after a backend
  // without one answered, this client polls at once.
  const EventSource = resolved.eventStream ? eventSourceOf() : undefined;
  let hasEvents = EventSource !== undefined;
  const followed$ = (id: string, settings: PollSettings, seed: Generation | undefined) =>
    hasEvents && EventSource
      ? eventsOrPolls$(proxyEvents$(EventSource, resolved.baseUrl, id), () => generationPoll$(id, context, settings, seed), () => (hasEvents = false))
      : generationPoll$(id, context, settings, seed);

  /** The shared poll of `id` (a `seed` when the client just created it), with the stream's own timeout. */
  const watch = (id: string, stream: ResolvedStreamOptions, seed?: Generation): Observable<Generation> => {
    const settings = stream.isClientLoop ? clientSettings : settingsOf(stream);
    const shared$ = defer(() => {
      const error = refusal(id);
      return error ? throwError(() => error) : polls.get(id, () => followed$(id, settings, seed));
    });
    return stream.timeout === false ? shared$ : shared$.pipe(timeoutGeneration({ total: stream.timeout, generationId: id, scheduler }));
  };
  const generation$ = (id: string, streamOptions?: GenerationOptions) => watch(id, resolveStreamOptions(streamOptions, resolved));
  const unlessClosed = <T>(work: () => Observable<T>) => defer(() => (isClosed ? throwError(closedError) : work())).pipe(raceWith(closing));
  const createTryOn = (request: TryOnRequest) => unlessClosed(() => createTryOn$(request, context));

  return {
    generation$,
    generations$: (ids, streamOptions) => combineGenerations(checkIds(ids), (id) => generation$(id, streamOptions)),
    generationsSettled$: (ids, streamOptions) => settleGenerations(checkIds(ids), (id) => generation$(id, streamOptions)),
    waitFor: (id, waitOptions) =>
      attempt(() => {
        const { timeout, signal, onStatus } = waitForOptions(waitOptions);
        const stream = watch(id, { ...clientStream, timeout });
        return promiseFrom(onStatus ? stream.pipe(tap(onStatus)) : stream, signal) as Promise<CompletedGeneration>;
      }),
    retrieve: (id, requestOptions) =>
      attempt(() => {
        const signal = checkSignal(requestOptions?.signal);
        const read$ = defer(() => {
          const error = refusal(id);
          if (error) return throwError(() => error);
          const read$ = api.generation$(id).pipe(throughBudget({ budget, scheduler }));
          return retry === false ? read$ : read$.pipe(retryByRule(retryRule(retry, 'once'), scheduler));
        });
        return promiseFrom(read$.pipe(raceWith(closing)), signal);
      }),
    createTryOn: (request, requestOptions) => attempt(() => promiseFrom(createTryOn(request), checkSignal(requestOptions?.signal))),
    tryOn$: (request, tryOnOptions) => {
      // Bad stream options throw now, not after the creation.
      const stream = resolveStreamOptions(tryOnOptions, resolved);
      const watchStream: ResolvedStreamOptions = { ...stream, timeout: false };
      const flow$ = unlessClosed(() => tryOnFlow$(request, stream.creation, context, (id, seed) => watch(id, watchStream, seed)));
      // The timeout covers the whole try-on: the creation (a hold, maybe) and the watch.
      return stream.timeout === false ? flow$ : flow$.pipe(timeoutGeneration({ total: stream.timeout, scheduler }));
    },
    pressure$: timer(0, 1_000, scheduler).pipe(
      map((): BudgetSnapshot => budget.snapshot?.() ?? { limit: Infinity, used: 0, waiting: 0, windowMs: 60_000 }),
      distinctUntilChanged((a, b) => a.used === b.used && a.waiting === b.waiting && a.limit === b.limit),
    ),
    health$: health.health$,
    estimate: (generation, options) =>
      estimateGeneration(generation, cadence.model, options?.pollInterval === undefined ? resolved.pollInterval : positive('pollInterval', options.pollInterval), scheduler.now()),
    async close() {
      if (isClosed) return;
      isClosed = true;
      health.close();
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
