import type * as z from 'zod/mini';
import { GenlookApiError } from './errors/genlook-api-error.js';
import { redact } from './errors/genlook-error.js';
import { GenlookResponseError } from './errors/genlook-response-error.js';
import { parseRetryAfter } from './scheduling/backoff.js';
import { type ApiErrorBody, apiErrorBodySchema } from './schemas.js';
import type { TransportResponse } from './transport/transport.js';
import { summarize, validate } from './validate.js';

/** What the decoder needs to know about the request that got this response. */
export interface DecodeContext {
  /** `METHOD url`, for messages. */
  request: string;
  /** The code a 404 without one means here (`GENERATION_NOT_FOUND` for generations). */
  notFoundCode: string;
  now: number;
  maxRetryAfter: number;
  /** The API key: a server that echoes it must not put it into an error's excerpt or message. */
  secret: string | undefined;
}

const STATUS_CODES: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  402: 'INSUFFICIENT_CREDITS',
  403: 'FORBIDDEN',
  408: 'REQUEST_TIMEOUT',
  429: 'RATE_LIMITED',
};

/**
 * Turns a transport's answer into the validated body, or throws the typed error: `GenlookApiError`
 * for a non-2xx status (redirects included: they are never followed), `GenlookResponseError` for a
 * 2xx body that is not JSON or fails `schema`.
 */
export function decodeResponse<T>(
  response: TransportResponse,
  schema: z.ZodMiniType<T>,
  context: DecodeContext,
  fastPath?: (value: unknown) => T | undefined,
): T {
  const { status } = response;
  const body = redact(response.body, context.secret);
  if (status < 200 || status > 299) throw toApiError(status, body, response.headers, context);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw new GenlookResponseError({ message: `Response body is not valid JSON (status ${status})`, status, request: context.request, body, isJson: false, cause });
  }
  const fast = fastPath?.(json);
  if (fast !== undefined) return fast;
  const parsed = validate(schema, json);
  if (!parsed.success) {
    throw new GenlookResponseError({ message: `Response body failed validation: ${summarize(parsed.issues)}`, status, request: context.request, body, issues: parsed.issues });
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
  const isRedirect = status >= 300 && status < 400;
  const code =
    parsed?.code ??
    (isRedirect ? 'UNEXPECTED_REDIRECT' : status === 404 ? context.notFoundCode : (STATUS_CODES[status] ?? (status >= 500 ? 'SERVER_ERROR' : `HTTP_${status}`)));
  return new GenlookApiError({
    status,
    code,
    serverMessage: isRedirect ? 'redirects are not followed' : parsed?.message,
    details: parsed?.details,
    retryAfter: parseRetryAfter(headers['retry-after'], context.now, context.maxRetryAfter),
    request: context.request,
  });
}
