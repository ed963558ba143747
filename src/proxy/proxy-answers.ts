import type { ServerResponse } from 'node:http';
import { GenlookApiError, GenlookConfigError, type GenlookErrorDetail, GenlookNetworkError, GenlookResponseError, GenlookValidationError } from '../internal.js';
import { safeText } from './proxy-text.js';

/** An error body as Genlook sends one: what a browser-side genlook-rx client turns into `GenlookApiError`. */
export interface ProxyErrorBody {
  code: string;
  message: string;
  status: number;
  details?: readonly GenlookErrorDetail[];
}

/** An error body with the headers that go with it (`Retry-After`). */
export interface ProxyRefusal {
  body: ProxyErrorBody;
  headers: Record<string, string>;
}

/** Headers of every answer: JSON, never cached, never sniffed. */
const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/**
 * The upstream statuses relayed to the browser as they are (with the server's code, its message made
 * safe and its details): those Genlook documents as a verdict on the request the browser made (400,
 * 402, 403, 404, 429), and 422, which refuses a request's content as 400 does. Every other status is
 * the proxy's business, not the browser's: 401 (the server's own key) and the rest below 500 (a 302
 * with no Location, a 407 that `fetch` reports as a network error, a 418) become 502.
 */
export const RELAYED_STATUSES: ReadonlySet<number> = new Set([400, 402, 403, 404, 422, 429]);

/** Sends `body` as JSON with `status`, unless the browser already went away or an answer started. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...HEADERS, ...headers }).end(JSON.stringify(body));
}

/** An error body in Genlook's shape. */
export function errorBody(status: number, code: string, message: string, details?: readonly GenlookErrorDetail[]): ProxyErrorBody {
  return { code, message, status, ...(details ? { details } : {}) };
}

/** Sends an error body. */
export function sendError(res: ServerResponse, status: number, code: string, message: string, extra: { details?: readonly GenlookErrorDetail[]; headers?: Record<string, string> } = {}): void {
  sendJson(res, status, errorBody(status, code, message, extra.details), extra.headers);
}

/** Sends what `refusalOf` says of `error`. */
export function sendFailure(res: ServerResponse, error: unknown): void {
  const { body, headers } = refusalOf(error);
  sendJson(res, body.status, body, headers);
}

/**
 * What the browser is told of a failure: the API's relayed refusals (`RELAYED_STATUSES`, with the
 * server's code, its message and details made safe, `Retry-After`), and a fixed line for the rest.
 * Never an upstream URL, a stack, a key or the text of an unexpected exception. The JSON answers and
 * the event stream's `end` event (outcome `error`) both say this.
 */
export function refusalOf(error: unknown): ProxyRefusal {
  const fixed = (status: number, code: string, message: string): ProxyRefusal => ({ body: errorBody(status, code, message), headers: {} });
  if (error instanceof GenlookValidationError) {
    return { body: errorBody(400, 'VALIDATION_FAILED', error.code === 'INVALID_ID' ? 'Invalid generation id' : 'Invalid try-on request', error.details && safeDetails(error.details)), headers: {} };
  }
  if (error instanceof GenlookApiError) {
    if (error.status === 401) return fixed(502, 'UPSTREAM_AUTH_FAILED', 'The server could not authenticate with Genlook');
    if (!RELAYED_STATUSES.has(error.status)) return fixed(502, 'UPSTREAM_ERROR', 'Genlook is unavailable; try again');
    const headers: Record<string, string> = error.retryAfter === undefined ? {} : { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfter / 1000))) };
    return { body: errorBody(error.status, safeText(error.code), safeText(error.serverMessage ?? 'Request refused'), error.details && safeDetails(error.details)), headers };
  }
  if (error instanceof GenlookNetworkError) {
    return error.code === 'REQUEST_TIMEOUT' ? fixed(504, 'UPSTREAM_TIMEOUT', 'Genlook did not answer in time; try again') : fixed(502, 'UPSTREAM_UNAVAILABLE', 'Genlook is unreachable; try again');
  }
  if (error instanceof GenlookResponseError) return fixed(502, 'UPSTREAM_INVALID_RESPONSE', 'Genlook answered something unexpected; try again');
  if (error instanceof GenlookConfigError) return fixed(503, 'PROXY_UNAVAILABLE', 'The proxy is shutting down or not configured');
  return fixed(500, 'PROXY_ERROR', 'Internal error');
}

function safeDetails(details: readonly GenlookErrorDetail[]): GenlookErrorDetail[] {
  return details.slice(0, 20).map((detail) => ({ path: safeText(detail.path), message: safeText(detail.message) }));
}
