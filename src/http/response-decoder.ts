import { GenlookApiError } from '../model/errors/genlook-api-error.js';
import { GenlookResponseError } from '../model/errors/genlook-response-error.js';
import { type ApiErrorBody, apiErrorBodySchema } from '../model/schemas.js';
import { serverText } from '../model/server-text.js';
import { summarize, validate, type ValidationIssue } from '../model/validate.js';
import { parseRetryAfter } from '../scheduling/backoff.js';
import { OPAQUE_REDIRECT_STATUS, type TransportResponse } from './transport.js';

/** Turns parsed JSON into the value a call expects, or the issues found; `secret` (the API key) is redacted from the server's text as it is decoded. */
export type BodyParser<T> = (json: unknown, status: number, expectedId: string | undefined, secret: string | undefined) => { success: true; data: T } | { success: false; issues: ValidationIssue[] };

/** What the decoder needs to know about the request that got this response (read only on errors). */
export interface DecodeContext {
  /** `METHOD url`, for messages. */
  readonly request: string;
  /** The code a 404 without one means here (`GENERATION_NOT_FOUND` for generations). */
  readonly notFoundCode: string;
  /** The longest `Retry-After` honoured, in ms. */
  readonly maxRetryAfter: number;
  /** The API key: a server that echoes it must not put it into an error's excerpt or message. */
  readonly secret: string | undefined;
  /** The generation id the answer must be about, for `parse`. */
  readonly expectedId?: string | undefined;
}

/**
 * The codes of statuses whose body gave none. A 408 has none of its own: it is `HTTP_408`, like every
 * status the API does not document, so that `REQUEST_TIMEOUT` keeps its one meaning (this client's
 * `requestTimeout` ran out, a `GenlookNetworkError`).
 */
const STATUS_CODES: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  402: 'INSUFFICIENT_CREDITS',
  403: 'FORBIDDEN',
  429: 'RATE_LIMITED',
};

/**
 * Turns a transport's answer into the parsed body, or throws the typed error: `GenlookApiError` for a
 * non-2xx status (redirects included, and a browser's hidden one, status 0: they are never followed), `GenlookResponseError` for a 2xx body
 * that is not JSON or that `parse` refuses. A leading UTF-8 byte order mark is ignored, whichever way
 * the body was read. Server text enters errors only after decoding, redacted and sanitised.
 */
export function decodeResponse<T>(response: TransportResponse, parse: BodyParser<T>, context: DecodeContext): T {
  const { status } = response;
  const body = response.body.charCodeAt(0) === 0xfeff ? response.body.slice(1) : response.body;
  if (status < 200 || status > 299) throw toApiError(status, body, response.headers, context);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    // No cause: JSON.parse's message quotes the body, which `excerpt` shows redacted.
    throw new GenlookResponseError({ message: `Response body is not valid JSON (status ${status})`, status, request: context.request, body, secret: context.secret, isJson: false });
  }
  const parsed = parse(json, status, context.expectedId, context.secret);
  if (!parsed.success) {
    const issues = parsed.issues.map((issue) => ({ path: serverText(issue.path, context.secret), message: serverText(issue.message, context.secret) }));
    throw new GenlookResponseError({ message: `Response body failed validation: ${summarize(issues)}`, status, request: context.request, body, secret: context.secret, issues });
  }
  return parsed.data;
}

function toApiError(status: number, body: string, headers: TransportResponse['headers'], context: DecodeContext): GenlookApiError {
  let parsed: ApiErrorBody | undefined;
  try {
    const result = validate(apiErrorBodySchema, JSON.parse(body));
    if (result.success) parsed = result.data;
  } catch {
    // A non-JSON error body (a proxy's HTML page): the status alone says what happened.
  }
  const isRedirect = (status >= 300 && status < 400) || status === OPAQUE_REDIRECT_STATUS;
  const fallback = isRedirect ? 'UNEXPECTED_REDIRECT' : status === 404 ? context.notFoundCode : (STATUS_CODES[status] ?? (status >= 500 ? 'SERVER_ERROR' : `HTTP_${status}`));
  const text = (value: string) => serverText(value, context.secret);
  return new GenlookApiError({
    status,
    // A redirect is UNEXPECTED_REDIRECT whatever its body says: the same error on every transport.
    code: parsed?.code === undefined || isRedirect ? fallback : text(parsed.code),
    serverMessage: isRedirect ? 'redirects are not followed' : parsed?.message === undefined ? undefined : text(parsed.message),
    details: parsed?.details?.map((detail) => ({ path: text(detail.path), message: text(detail.message) })),
    retryAfter: parseRetryAfter(headers['retry-after'], Date.now(), context.maxRetryAfter),
    request: context.request,
  });
}
