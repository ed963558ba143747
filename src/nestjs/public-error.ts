import { GenerationTimeoutError, GenlookApiError, isGenlookError } from '../internal.js';

/** What a browser may be told of an error: a stable code and a fixed line. */
export interface PublicError {
  code: string;
  message: string;
}

/**
 * An error as a browser may see it: the typed error's `code` and a fixed line, never its `message`
 * (which names the upstream request), its stack or the key.
 */
export function publicError(error: unknown): PublicError {
  if (error instanceof GenlookApiError && error.status === 404) return { code: error.code, message: 'No such generation' };
  if (error instanceof GenerationTimeoutError) return { code: error.code, message: 'The try-on took too long' };
  if (isGenlookError(error)) return { code: error.code, message: 'The try-on could not be followed' };
  return { code: 'UNEXPECTED_ERROR', message: 'Something went wrong' };
}
