import type { GenerationFailedError } from './generation-failed-error.js';
import type { GenerationTimeoutError } from './generation-timeout-error.js';
import { GenlookApiError } from './genlook-api-error.js';
import type { GenlookConfigError } from './genlook-config-error.js';
import { GenlookError, type KnownApiErrorCode } from './genlook-error.js';
import { GenlookNetworkError } from './genlook-network-error.js';
import type { GenlookResponseError } from './genlook-response-error.js';
import type { GenlookValidationError } from './genlook-validation-error.js';

/**
 * Every error genlook-rx produces, as a union of its classes discriminated by `code`: after
 * `isGenlookError(e)`, a check of `e.code` narrows to the class with its fields.
 *
 * A `GenlookApiError` is typed here with the codes the API documents and those genlook-rx derives from
 * a status (`KnownApiErrorCode`): an open `string` would keep every class in every branch, so no check
 * could narrow. A code Genlook adds later still arrives, as a string; match it through
 * `error instanceof GenlookApiError`, whose `code` stays open.
 *
 * @example
 * ```ts
 * if (isGenlookError(e) && e.code === 'GENERATION_FAILED') console.log(e.errorCode); // GenerationFailedError
 * if (isGenlookError(e) && e.code === 'RATE_LIMITED') console.log(e.retryAfter); // GenlookApiError
 * ```
 */
export type GenlookErrorUnion =
  | GenerationFailedError
  | GenerationTimeoutError
  | (GenlookApiError & { readonly code: KnownApiErrorCode })
  | GenlookNetworkError
  | GenlookResponseError
  | GenlookValidationError
  | GenlookConfigError
  // The base class itself: a Promise helper's stream that ended empty, a foreign error inside a settled
  // entry, and the warnings of genlook-rx/redis (`GenlookRedisWarning`, never thrown).
  | GenlookError<'NO_VALUE' | 'UNKNOWN' | 'REDIS_UNAVAILABLE' | 'REDIS_RECOVERED'>;

/**
 * True for every error genlook-rx produces, including those of another copy of the package
 * (an ESM and a CJS build loaded side by side). The same test as `error instanceof GenlookError`, typed
 * as `GenlookErrorUnion`, so that checking `code` narrows to the class.
 */
export function isGenlookError(error: unknown): error is GenlookErrorUnion {
  return error instanceof GenlookError && typeof (error as { code?: unknown }).code === 'string';
}

/**
 * True for a failure of one request that is worth retrying: a network error, a request timeout,
 * a 5xx, a 408 or a 429. False for 400, 401, 402, 403, 404, redirects, invalid 2xx bodies and failed
 * generations.
 */
export function isTransientError(error: unknown): error is GenlookNetworkError | GenlookApiError {
  if (error instanceof GenlookNetworkError) return true;
  if (!(error instanceof GenlookApiError)) return false;
  const { status } = error;
  return status === 408 || status === 429 || status >= 500;
}
