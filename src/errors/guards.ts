import { GENLOOK_ERROR_BRAND, type GenlookError } from './genlook-error.js';

/**
 * True for every error genlook-rx produces, including those of another copy of the package
 * (an ESM and a CJS build loaded side by side), where `instanceof` would say no.
 */
export function isGenlookError(error: unknown): error is GenlookError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Record<symbol, unknown>)[GENLOOK_ERROR_BRAND] === true &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

/**
 * True for a failure of one request that is worth retrying: a network error, a request timeout,
 * a 5xx, a 408 or a 429. False for 400, 401, 402, 403, 404, invalid 2xx bodies and failed generations.
 */
export function isTransientError(error: unknown): error is GenlookError {
  if (!isGenlookError(error)) return false;
  if (error.name === 'GenlookNetworkError') return true;
  if (error.name !== 'GenlookApiError') return false;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && (status === 408 || status === 429 || status >= 500);
}
