// Types of the error guards (checked by `npm run typecheck`, which includes test/): after
// `isGenlookError(e)`, a check of `e.code` narrows to the class with its fields.
import { expectTypeOf } from 'vitest';
import {
  GenerationFailedError,
  GenerationTimeoutError,
  GenlookApiError,
  GenlookConfigError,
  GenlookError,
  type GenlookErrorCode,
  type GenlookErrorUnion,
  GenlookNetworkError,
  GenlookResponseError,
  GenlookValidationError,
  isGenlookError,
  isTransientError,
} from '../src/index.js';

declare const caught: unknown;

if (isGenlookError(caught) && caught.code === 'GENERATION_FAILED') {
  expectTypeOf(caught).toEqualTypeOf<GenerationFailedError>();
  expectTypeOf(caught.errorCode).toEqualTypeOf<string | undefined>();
}
if (isGenlookError(caught) && caught.code === 'GENERATION_TIMEOUT') expectTypeOf(caught.lastStatus).toEqualTypeOf<string | undefined>();
if (isGenlookError(caught) && caught.code === 'RATE_LIMITED') {
  expectTypeOf(caught).toExtend<GenlookApiError>();
  expectTypeOf(caught.retryAfter).toEqualTypeOf<number | undefined>();
}
if (isGenlookError(caught) && caught.code === 'HTTP_408') expectTypeOf(caught.status).toEqualTypeOf<number>();
if (isGenlookError(caught) && caught.code === 'MISSING_API_KEY') expectTypeOf(caught).toExtend<GenlookApiError>();
if (isGenlookError(caught) && caught.code === 'API_KEY_NOT_CONFIGURED') expectTypeOf(caught).toEqualTypeOf<GenlookConfigError>();
if (isGenlookError(caught) && caught.code === 'REQUEST_TIMEOUT') expectTypeOf(caught).toEqualTypeOf<GenlookNetworkError>();
if (isGenlookError(caught) && caught.code === 'NETWORK_ERROR') expectTypeOf(caught.isNotSent).toEqualTypeOf<boolean>();
if (isGenlookError(caught) && caught.code === 'RESPONSE_TOO_LARGE') expectTypeOf(caught).toEqualTypeOf<GenlookResponseError>();
if (isGenlookError(caught) && caught.code === 'INVALID_REQUEST') expectTypeOf(caught).toEqualTypeOf<GenlookValidationError>();
if (isGenlookError(caught) && caught.code === 'NO_VALUE') expectTypeOf(caught).toEqualTypeOf<GenlookError<'NO_VALUE' | 'UNKNOWN' | 'REDIS_UNAVAILABLE' | 'REDIS_RECOVERED'>>();

// A switch narrows each case.
if (isGenlookError(caught)) {
  switch (caught.code) {
    case 'GENERATION_FAILED':
      expectTypeOf(caught.generation.status).toBeString();
      break;
    case 'INVALID_ID':
      expectTypeOf(caught.details).toEqualTypeOf<GenlookValidationError['details']>();
      break;
    case 'FORBIDDEN':
      expectTypeOf(caught.request).toEqualTypeOf<string>();
      break;
  }
}

// @ts-expect-error a typo in a code fails to compile once the guard has run
if (isGenlookError(caught) && caught.code === 'GENERATION_FAILD') void caught;

// The union is the classes; its codes are GenlookErrorCode's.
expectTypeOf<GenlookErrorUnion>().toExtend<GenlookError>();
expectTypeOf<GenlookErrorUnion['code']>().toExtend<GenlookErrorCode>();
expectTypeOf<GenerationTimeoutError>().toExtend<GenlookErrorUnion>();

// A code the server adds later: the class's own `code` stays open.
if (caught instanceof GenlookApiError && caught.code === 'A_CODE_THE_SERVER_ADDS_LATER') expectTypeOf(caught.status).toEqualTypeOf<number>();
if (isTransientError(caught)) expectTypeOf(caught).toEqualTypeOf<GenlookNetworkError | GenlookApiError>();
void GenerationFailedError;

// The example of docs/errors.md ("Narrowing on `code`"), as it is there.
function describe(error: unknown): string {
  if (!isGenlookError(error)) return 'unexpected';
  switch (error.code) {
    case 'GENERATION_FAILED':
      return `failed: ${error.errorCode ?? 'no reason given'}`; // GenerationFailedError
    case 'RATE_LIMITED':
      return `slow down for ${error.retryAfter ?? 'a while'} ms`; // GenlookApiError
    case 'REQUEST_TIMEOUT':
      return `no answer: ${error.request}`; // GenlookNetworkError
    default:
      return error.message;
  }
}
void describe;
