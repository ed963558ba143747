import type { ServerResponse } from 'node:http';
import { GenlookApiError, GenlookConfigError, type GenlookErrorDetail, GenlookNetworkError, GenlookResponseError, GenlookValidationError } from '../internal.js';

/** An error body as Genlook sends one: what a browser-side genlook-rx client turns into `GenlookApiError`. */
export interface ProxyErrorBody {
  code: string;
  message: string;
  status: number;
  details?: readonly GenlookErrorDetail[];
}

/** Headers of every answer: JSON, never cached, never sniffed. */
const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/** Sends `body` as JSON with `status`, unless the browser already went away. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...HEADERS, ...headers }).end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, extra: { details?: readonly GenlookErrorDetail[]; headers?: Record<string, string> } = {}): void {
  const body: ProxyErrorBody = { code, message, status, ...(extra.details ? { details: extra.details } : {}) };
  sendJson(res, status, body, extra.headers);
}

/**
 * What the browser is told of a failure upstream: the API's own answers that concern it (400, 402, 403,
 * 404, 429, with the server's code, its sanitized message and its details), and a generic line for the
 * rest. Never an upstream URL, a stack, a key or the text of an unexpected exception.
 */
export function sendFailure(res: ServerResponse, error: unknown): void {
  if (error instanceof GenlookValidationError) return sendError(res, 400, 'VALIDATION_FAILED', error.code === 'INVALID_ID' ? 'Invalid generation id' : 'Invalid try-on request', { details: error.details });
  if (error instanceof GenlookApiError) {
    if (error.status === 401) return sendError(res, 502, 'UPSTREAM_AUTH_FAILED', 'The server could not authenticate with Genlook');
    if (error.status >= 500) return sendError(res, 502, 'UPSTREAM_ERROR', 'Genlook is unavailable; try again');
    const retryAfter = error.retryAfter === undefined ? undefined : String(Math.ceil(error.retryAfter / 1000));
    return sendError(res, error.status, error.code, error.serverMessage ?? 'Request refused', { details: error.details, headers: retryAfter ? { 'retry-after': retryAfter } : {} });
  }
  if (error instanceof GenlookNetworkError) {
    return error.code === 'REQUEST_TIMEOUT' ? sendError(res, 504, 'UPSTREAM_TIMEOUT', 'Genlook did not answer in time; try again') : sendError(res, 502, 'UPSTREAM_UNAVAILABLE', 'Genlook is unreachable; try again');
  }
  if (error instanceof GenlookResponseError) return sendError(res, 502, 'UPSTREAM_INVALID_RESPONSE', 'Genlook answered something unexpected; try again');
  if (error instanceof GenlookConfigError) return sendError(res, 503, 'PROXY_UNAVAILABLE', 'The proxy is shutting down or not configured');
  sendError(res, 500, 'PROXY_ERROR', 'Internal error');
}
