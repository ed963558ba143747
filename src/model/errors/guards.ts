import { GenlookApiError } from './genlook-api-error.js';
import { GenlookError } from './genlook-error.js';
import { GenlookNetworkError } from './genlook-network-error.js';

/**
 * True for every error genlook-rx produces, including those of another copy of the package
 * (an ESM and a CJS build loaded side by side). The same as `error instanceof GenlookError`.
 */
export function isGenlookError(error: unknown): error is GenlookError {
  return error instanceof GenlookError && typeof (error as { code?: unknown }).code === 'string';
}

/**
 * True for a failure of one request that is worth retrying: a network error, a request timeout,
 * a 5xx, a 408 or a 429. False for 400, 401, 402, 403, 404, invalid 2xx bodies and failed generations.
 */
export function isTransientError(error: unknown): error is GenlookNetworkError | GenlookApiError {
  if (error instanceof GenlookNetworkError) return true;
  if (!(error instanceof GenlookApiError)) return false;
  const { status } = error;
  return status === 408 || status === 429 || status >= 500;
}
