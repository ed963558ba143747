import { from, Observable, type Subscription } from 'rxjs';
import type * as z from 'zod/mini';
import { GenlookConfigError } from './errors/genlook-config-error.js';
import { redact } from './errors/genlook-error.js';
import { GenlookNetworkError } from './errors/genlook-network-error.js';
import { GenlookResponseError } from './errors/genlook-response-error.js';
import { isGenlookError } from './errors/guards.js';
import { generationPath } from './generation-id.js';
import { DEFAULT_BASE_URL, type ResolvedOptions } from './options.js';
import { decodeResponse } from './response-decoder.js';
import { type Generation, generationSchema, type TryOnCreated, tryOnCreatedSchema } from './schemas.js';
import { createDefaultTransport } from './transport/default-transport.js';
import { ResponseTooLargeError } from './transport/response-too-large-error.js';
import type { Transport, TransportRequest, TransportResponse } from './transport/transport.js';

/** The HTTP edge of a client: one request per subscription, decoded into a value or a typed error. */
export interface ApiRequester {
  /** `GET /generations/{id}`, validated; the id must already be valid. */
  getGeneration(id: string): Observable<Generation>;
  /** `POST /try-on` with an already validated body. */
  createTryOn(body: unknown): Observable<TryOnCreated>;
  /** Aborts requests in flight and closes the transport. */
  close(): Promise<void>;
}

const GENLOOK_ORIGIN = new URL(DEFAULT_BASE_URL).origin;
const CONNECTION_NOT_MADE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Builds the requester of a client. Each request: the key check, the URL (always under `baseUrl`),
 * a per-request timeout on the client's scheduler, abort on unsubscribe, and the mapping of every
 * outcome to a value or a `GenlookError`, with the key redacted from any foreign message.
 */
export function createApiRequester(options: ResolvedOptions): ApiRequester {
  const { apiKey, baseUrl, isRelativeBaseUrl, requestTimeout, scheduler } = options;
  let transport: Transport | undefined = options.transport;
  const inflight = new Set<AbortController>();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (apiKey !== undefined) headers['x-api-key'] = apiKey;
  const postHeaders = { ...headers, 'content-type': 'application/json' };
  // A key is needed to talk to Genlook itself. A relative baseUrl is the app's own backend, which adds it;
  // a custom transport (an Angular HttpClient with interceptors, say) may add its own credentials.
  const needsKey = !isRelativeBaseUrl && (options.transport === undefined || baseUrl.startsWith(GENLOOK_ORIGIN));

  const send = <T>(method: 'GET' | 'POST', path: string, schema: z.ZodMiniType<T>, notFoundCode: string, body?: string, expectedId?: string) =>
    new Observable<T>((subscriber) => {
      const url = `${baseUrl}${path}`;
      const description = `${method} ${url}`;
      if (apiKey === undefined && needsKey) {
        subscriber.error(
          new GenlookConfigError(
            'No Genlook API key: pass `apiKey` to createGenlook() or set GENLOOK_API_KEY (a relative baseUrl, served by your own backend, needs none)',
            'MISSING_API_KEY',
          ),
        );
        return;
      }
      const controller = new AbortController();
      inflight.add(controller);
      let response: Subscription | undefined;
      const timer = scheduler.schedule(() => {
        controller.abort();
        subscriber.error(new GenlookNetworkError({ message: `Request timed out after ${requestTimeout} ms`, request: description, code: 'REQUEST_TIMEOUT' }));
      }, requestTimeout);
      const request: TransportRequest = {
        method,
        url,
        headers: method === 'POST' ? postHeaders : headers,
        signal: controller.signal,
        timeout: requestTimeout,
      };
      if (body !== undefined) request.body = body;
      try {
        transport ??= createDefaultTransport();
        response = from(transport.request(request)).subscribe({
          next: (answer: TransportResponse) => {
            let value: T;
            try {
              value = decodeResponse(answer, schema, { request: description, notFoundCode, now: Date.now(), maxRetryAfter: maxRetryAfter(options), secret: apiKey });
              if (expectedId !== undefined) checkId(value as Generation, expectedId, answer, description);
            } catch (error) {
              subscriber.error(error);
              return;
            }
            subscriber.next(value);
            subscriber.complete();
          },
          error: (error: unknown) => subscriber.error(toNetworkError(error, description, apiKey, controller.signal.aborted)),
        });
      } catch (error) {
        subscriber.error(toNetworkError(error, description, apiKey, false));
      }
      return () => {
        timer.unsubscribe();
        response?.unsubscribe();
        inflight.delete(controller);
        if (!controller.signal.aborted) controller.abort();
      };
    });

  return {
    getGeneration: (id) => send('GET', generationPath(id), generationSchema, 'GENERATION_NOT_FOUND', undefined, id),
    createTryOn: (body) => send('POST', '/try-on', tryOnCreatedSchema, 'NOT_FOUND', JSON.stringify(body)),
    async close() {
      for (const controller of inflight) controller.abort();
      inflight.clear();
      await transport?.close?.();
    },
  };
}

function maxRetryAfter(options: ResolvedOptions): number {
  return options.retry === false ? 60_000 : options.retry.maxRetryAfter;
}

/** A 2xx body about another generation is as wrong as a malformed one. */
function checkId(generation: Generation, id: string, answer: TransportResponse, request: string): void {
  if (generation.generationId === id) return;
  throw new GenlookResponseError({
    message: `Response is about generation ${JSON.stringify(generation.generationId)}, not ${JSON.stringify(id)}`,
    status: answer.status,
    request,
    body: '',
  });
}

function toNetworkError(error: unknown, request: string, apiKey: string | undefined, aborted: boolean): unknown {
  if (isGenlookError(error)) return error;
  if (error instanceof ResponseTooLargeError) {
    return new GenlookResponseError({ message: error.message, status: error.status, request, body: '', code: 'RESPONSE_TOO_LARGE' });
  }
  const code = errorCode(error);
  const original = error instanceof Error ? error.message : String(error);
  const message = redact(original, apiKey);
  // A foreign error that quotes the key is replaced by a redacted copy, so no inspect of the cause shows it.
  const cause = message === original && error instanceof Error ? error : Object.assign(new Error(message), { code });
  return new GenlookNetworkError({
    message: `${aborted ? 'Request aborted' : 'Request failed'}: ${code ? `${code} ` : ''}${message}`,
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
