import { defer, type Observable, throwError } from 'rxjs';
import { type ApiRequester, attempt$ } from './api-requester.js';
import { GenlookValidationError } from './errors/genlook-validation-error.js';
import type { ResolvedRetryPolicy } from './scheduling/backoff.js';
import { type BudgetContext, budgetedCall } from './scheduling/budgeted-call.js';
import { type TryOnCreated, tryOnRequestSchema } from './schemas.js';
import { summarize, validate } from './validate.js';

/**
 * `POST /try-on`: the request is validated before anything is sent (`GenlookValidationError` with the
 * failing paths). Creation costs a credit and has no idempotency key, so it is retried only when the
 * request provably was not processed: a 429, or a connection that was refused before sending.
 * Never after a timeout, a reset or a 5xx: the generation may exist.
 */
export function createTryOn$(request: unknown, api: ApiRequester, context: BudgetContext, retry: ResolvedRetryPolicy | false): Observable<TryOnCreated> {
  return defer(() => {
    const parsed = validate(tryOnRequestSchema, request);
    if (!parsed.success) {
      return throwError(() => new GenlookValidationError(`Invalid try-on request: ${summarize(parsed.issues)}`, 'INVALID_REQUEST', parsed.issues));
    }
    const attempt = api.createAttempt(parsed.data);
    return attempt$<TryOnCreated>((onValue, onError) => budgetedCall(attempt, context, retry, onValue, onError, isProvablyNotProcessed));
  });
}

function isProvablyNotProcessed(error: unknown): boolean {
  const { name, status, isNotSent } = error as { name?: string; status?: number; isNotSent?: boolean };
  return (name === 'GenlookApiError' && status === 429) || (name === 'GenlookNetworkError' && isNotSent === true);
}
