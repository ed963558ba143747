import { GenlookError } from '../model/errors/genlook-error.js';
import { GenlookNetworkError } from '../model/errors/genlook-network-error.js';
import { GenlookResponseError } from '../model/errors/genlook-response-error.js';
import { serverText } from '../model/server-text.js';
import { ResponseTooLargeError } from './response-too-large-error.js';

/** Codes of failures that happen before a request is sent: nothing reached the server. */
const CONNECTION_NOT_MADE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * A transport's failure as a typed error: `GenlookNetworkError` (with `isNotSent` when the connection
 * was refused), or `GenlookResponseError` for a body over the size cap. A foreign message is redacted
 * and sanitised, and a foreign error that quoted the key is replaced by a redacted copy, so no inspection
 * of the cause shows it.
 */
export function toNetworkError(error: unknown, request: string, apiKey: string | undefined, aborted: boolean): GenlookError {
  if (error instanceof GenlookError) return error;
  if (error instanceof ResponseTooLargeError) {
    return new GenlookResponseError({ message: error.message, status: error.status, request, body: '', code: 'RESPONSE_TOO_LARGE' });
  }
  const code = errorCode(error);
  const original = error instanceof Error ? error.message : String(error);
  const message = serverText(original, apiKey);
  const cause = message === original && error instanceof Error ? error : Object.assign(new Error(message), { code });
  return new GenlookNetworkError({
    message: `${aborted ? 'Request aborted' : 'Request failed'}: ${code ? `${serverText(code, apiKey)} ` : ''}${message}`,
    request,
    isNotSent: code !== undefined && CONNECTION_NOT_MADE.has(code),
    cause,
  });
}

function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
