import { defer, type Observable, of, switchMap, throwError } from 'rxjs';
import { GenlookApiError } from '../model/errors/genlook-api-error.js';
import { GenlookNetworkError } from '../model/errors/genlook-network-error.js';
import { GenlookValidationError } from '../model/errors/genlook-validation-error.js';
import { type Generation, type TryOnCreated, type TryOnRequest, tryOnRequestSchema } from '../model/schemas.js';
import { summarize, validate } from '../model/validate.js';
import type { PollContext } from '../polling/generation-poll.js';
import { throughBudget } from '../operators/through-budget.js';
import { untilTerminal } from '../operators/until-terminal.js';
import { type ResolvedRetryPolicy, retryByRule, retryRule } from '../scheduling/retry-policy.js';
import type { CreationChoice } from './creation-choice.js';
import type { CreationMode } from './options.js';

/**
 * A creation goes before requests that reached the budget up to this long before it (ms): a shopper
 * waits on it, and a poll can always wait a little (see `RateBudget.take`).
 */
export const CREATION_PRIORITY = 60_000;

/** What a creation needs from the client. */
export interface CreationContext extends PollContext {
  retry: ResolvedRetryPolicy | false;
  holdTimeout: number;
  /** How `creation: 'auto'` chooses. */
  choice: CreationChoice;
  /** The poll interval of the client (what a polled try-on's requests are counted in). */
  pollInterval: number;
}

/** A try-on request checked against the schema before anything is sent, or the typed error. */
export function checkTryOnRequest(request: unknown): { request: TryOnRequest } | { error: GenlookValidationError } {
  const parsed = validate(tryOnRequestSchema, request);
  if (parsed.success) return { request: parsed.data };
  return { error: new GenlookValidationError(`Invalid try-on request: ${summarize(parsed.issues)}`, 'INVALID_REQUEST', parsed.issues) };
}

/**
 * `POST /try-on`: the request is validated before anything is sent (`GenlookValidationError` with the
 * failing paths). Creation costs a credit and has no idempotency key, so it is retried only when the
 * request provably was not processed: a 429, or a connection that was refused before sending.
 * Never after a timeout, a reset or a 5xx: the generation may exist.
 */
export function createTryOn$(request: unknown, context: CreationContext): Observable<TryOnCreated> {
  return defer(() => {
    const checked = checkTryOnRequest(request);
    return 'error' in checked ? throwError(() => checked.error) : created(context.api.create$(checked.request), context);
  });
}

/**
 * A try-on followed to its outcome. With `mode` `'sync'` (or `'auto'` when requests are scarce, as
 * `CreationChoice` says), one `POST /try-on/sync`: held until the try-on ends, it emits the outcome alone (no
 * intermediate status), and a 202 (the hold ended first) continues as the generation's poll. Otherwise
 * `POST /try-on`, then the poll of the new generation, which starts from the PENDING the creation
 * answered (emitted at once, with the client's clock for its timestamps: the answer holds none) and
 * polls first when the cadence says an outcome could be in. Either way, the creation goes first in the budget, and is never
 * retried after an ambiguous failure (it spends a credit).
 */
export function tryOnFlow$(request: unknown, mode: CreationMode, context: CreationContext, watch: (id: string, seed?: Generation) => Observable<Generation>): Observable<Generation> {
  return defer(() => {
    const checked = checkTryOnRequest(request);
    if ('error' in checked) return throwError(() => checked.error);
    if (mode === 'poll' || (mode === 'auto' && context.choice.shouldPoll(context.scheduler.now(), context.pollInterval))) {
      return created(context.api.create$(checked.request), context).pipe(switchMap((answer) => watch(answer.generationId, seedOf(answer, context.scheduler.now()))));
    }
    const { api, cadence, scheduler, holdTimeout } = context;
    let sentAt = 0;
    const hold$ = defer(() => ((sentAt = scheduler.now()), api.createAndWait$(checked.request, holdTimeout)));
    return created(hold$, context).pipe(
      switchMap((answer) => {
        if ('generationId' in answer) return watch(answer.generationId);
        // The hold lasted about as long as the try-on: one more duration for the cadence to learn.
        cadence.model.observe(scheduler.now() - sentAt);
        return of(answer.generation).pipe(untilTerminal());
      }),
    );
  });
}

/** A creation request through the budget (first in line), retried only when provably not processed. */
function created<T>(create$: Observable<T>, context: CreationContext): Observable<T> {
  const { budget, scheduler, retry } = context;
  const request$ = create$.pipe(throughBudget({ budget, scheduler, priority: CREATION_PRIORITY }));
  return retry === false ? request$ : request$.pipe(retryByRule({ ...retryRule(retry, 'once'), isRetryable: isProvablyNotProcessed }, scheduler));
}

/** The generation a creation answer describes (PENDING, just created), on the client's clock (its scheduler's). */
function seedOf(answer: TryOnCreated, at: number): Generation {
  const now = new Date(at).toISOString();
  return { generationId: answer.generationId, status: answer.status, resultImageUrl: undefined, errorMessage: undefined, errorCode: undefined, createdAt: now, updatedAt: now };
}

/** True when the request is known not to have been processed: a 429, or a connection refused before sending. */
export function isProvablyNotProcessed(error: unknown): boolean {
  return (error instanceof GenlookApiError && error.status === 429) || (error instanceof GenlookNetworkError && error.isNotSent);
}
