import { defer, type Observable, throwError } from 'rxjs';
import { GenlookApiError } from '../model/errors/genlook-api-error.js';
import { GenlookNetworkError } from '../model/errors/genlook-network-error.js';
import { GenlookValidationError } from '../model/errors/genlook-validation-error.js';
import { type TryOnCreated, type TryOnRequest, tryOnRequestSchema } from '../model/schemas.js';
import { summarize, validate } from '../model/validate.js';
import { throughBudget } from '../polling/through-budget.js';
import type { PollContext } from '../polling/generation-poll.js';
import { retryRule, retryTransientFailures } from '../polling/transient-retry.js';
import type { ResolvedRetryPolicy } from '../scheduling/retry-policy.js';

/**
 * A creation goes before requests that reached the budget up to this long before it (ms): a shopper
 * waits on it, and a poll can always wait a little (see `RateBudget.take`).
 */
export const CREATION_PRIORITY = 60_000;

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
export function createTryOn$(request: unknown, context: PollContext, retry: ResolvedRetryPolicy | false): Observable<TryOnCreated> {
  return defer(() => {
    const checked = checkTryOnRequest(request);
    if ('error' in checked) return throwError(() => checked.error);
    const create$ = throughBudget(context.api.create$(checked.request), context.budget, context.scheduler, CREATION_PRIORITY);
    if (retry === false) return create$;
    return create$.pipe(retryTransientFailures({ ...retryRule(retry, 'once'), isRetryable: isProvablyNotProcessed }, context.scheduler));
  });
}

/** True when the request is known not to have been processed: a 429, or a connection refused before sending. */
export function isProvablyNotProcessed(error: unknown): boolean {
  return (error instanceof GenlookApiError && error.status === 429) || (error instanceof GenlookNetworkError && error.isNotSent);
}
