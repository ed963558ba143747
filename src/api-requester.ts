import { from, isObservable, Observable, type Subscription } from 'rxjs';
import type * as z from 'zod/mini';
import { GenlookConfigError } from './errors/genlook-config-error.js';
import { redact } from './errors/genlook-error.js';
import { GenlookNetworkError } from './errors/genlook-network-error.js';
import { GenlookResponseError } from './errors/genlook-response-error.js';
import { isGenlookError } from './errors/guards.js';
import { generationPath } from './generation-id.js';
import { parseGenerationFast } from './generation-shape.js';
import { DEFAULT_BASE_URL, type ResolvedOptions } from './options.js';
import { decodeResponse } from './response-decoder.js';
import type { Attempt } from './scheduling/budgeted-call.js';
import type { TimerQueue } from './scheduling/timer-queue.js';
import { type Generation, generationSchema, type TryOnCreated, tryOnCreatedSchema } from './schemas.js';
import { createDefaultTransport } from './transport/default-transport.js';
import { ResponseTooLargeError } from './transport/response-too-large-error.js';
import { REUSES_SIGNALS, type Transport, type TransportRequest, type TransportResponse } from './transport/transport.js';

/** The HTTP edge of a client: requests decoded into a value or a typed error. */
export interface ApiRequester {
  /** `GET /generations/{id}` as a budgeted-call attempt; the id must already be valid. */
  generationAttempt(id: string): Attempt<Generation>;
  /** `POST /try-on` with an already validated body, as an attempt. */
  createAttempt(body: unknown): Attempt<TryOnCreated>;
  /** Aborts requests in flight and closes the transport. */
  close(): Promise<void>;
}

interface Call<T> {
  method: 'GET' | 'POST';
  path: string;
  schema: z.ZodMiniType<T>;
  notFoundCode: string;
  body?: string;
  expectedId?: string;
  fastPath?: (value: unknown) => T | undefined;
}

const GENLOOK_ORIGIN = new URL(DEFAULT_BASE_URL).origin;
const CONNECTION_NOT_MADE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Builds the requester of a client. Each request: the key check, the URL (always under `baseUrl`),
 * a per-request timeout on the client's timers, abort on cancel, and the mapping of every outcome to
 * a value or a `GenlookError`, with the key redacted from any foreign message. Callback style, so the
 * poll loop allocates no Observable per request.
 */
export function createApiRequester(options: ResolvedOptions, timers: TimerQueue): ApiRequester {
  const { apiKey, baseUrl, isRelativeBaseUrl, requestTimeout } = options;
  let transport: Transport | undefined = options.transport;
  const inflight = new Set<AbortController>();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (apiKey !== undefined) headers['x-api-key'] = apiKey;
  const postHeaders = { ...headers, 'content-type': 'application/json' };
  // A key is needed to talk to Genlook itself. A relative baseUrl is the app's own backend, which adds it;
  // a custom transport (an Angular HttpClient with interceptors, say) may add its own credentials.
  const needsKey = !isRelativeBaseUrl && (options.transport === undefined || baseUrl.startsWith(GENLOOK_ORIGIN));
  const maxRetryAfter = options.retry === false ? 60_000 : options.retry.maxRetryAfter;
  // Controllers of settled, never aborted requests, for transports that release their abort listener:
  // as many as requests run at once, instead of one per request (allocation) or one per id (memory).
  const spareControllers: AbortController[] = [];

  function start<T>(call: Call<T>, onValue: (value: T) => void, onError: (error: unknown) => void): () => void {
    const url = `${baseUrl}${call.path}`;
    const description = `${call.method} ${url}`;
    if (apiKey === undefined && needsKey) {
      onError(
        new GenlookConfigError(
          'No Genlook API key: pass `apiKey` to createGenlook() or set GENLOOK_API_KEY (a relative baseUrl, served by your own backend, needs none)',
          'MISSING_API_KEY',
        ),
      );
      return noop;
    }
    transport ??= createDefaultTransport();
    const reusable = (transport as { [REUSES_SIGNALS]?: boolean })[REUSES_SIGNALS] === true;
    const controller = (reusable && spareControllers.pop()) || new AbortController();
    inflight.add(controller);
    let subscription: Subscription | undefined;
    // Settled: answered, failed or cancelled. Aborting creates a DOMException with a stack, so only a
    // request still in flight is aborted; an aborted controller is never reused.
    let isSettled = false;
    const settle = () => {
      isSettled = true;
      cancelTimeout();
      inflight.delete(controller);
    };
    const release = () => {
      if (reusable && !controller.signal.aborted && spareControllers.length < 1024) spareControllers.push(controller);
    };
    const abort = () => controller.abort();
    const cancelTimeout = timers.schedule(() => {
      if (isSettled) return;
      settle();
      abort();
      subscription?.unsubscribe();
      onError(new GenlookNetworkError({ message: `Request timed out after ${requestTimeout} ms`, request: description, code: 'REQUEST_TIMEOUT' }));
    }, requestTimeout);
    const onAnswer = (answer: TransportResponse) => {
      if (isSettled) return;
      settle();
      release();
      let value: T;
      try {
        value = decodeResponse(answer, call.schema, { request: description, notFoundCode: call.notFoundCode, now: Date.now(), maxRetryAfter, secret: apiKey }, call.fastPath);
        if (call.expectedId !== undefined) checkId(value as Generation, call.expectedId, answer, description);
      } catch (error) {
        onError(error);
        return;
      }
      onValue(value);
    };
    const onFailure = (error: unknown) => {
      if (isSettled) return;
      settle();
      release();
      onError(toNetworkError(error, description, apiKey, controller.signal.aborted));
    };
    const request: TransportRequest = { method: call.method, url, headers: call.method === 'POST' ? postHeaders : headers, signal: controller.signal, timeout: requestTimeout };
    if (call.body !== undefined) request.body = call.body;
    try {
      const pending = transport.request(request);
      // A promise (the built-in transports) is awaited directly: no Observable wrapper per request.
      if (isPromiseLike<TransportResponse>(pending)) pending.then(onAnswer, onFailure);
      else subscription = from(pending).subscribe({ next: onAnswer, error: onFailure });
    } catch (error) {
      onFailure(error);
    }
    return () => {
      subscription?.unsubscribe();
      if (isSettled) return;
      settle();
      abort();
    };
  }

  return {
    generationAttempt(id) {
      const call: Call<Generation> = { method: 'GET', path: generationPath(id), schema: generationSchema, notFoundCode: 'GENERATION_NOT_FOUND', expectedId: id, fastPath: parseGenerationFast };
      return (onValue, onError) => start(call, onValue, onError);
    },
    createAttempt(body) {
      const call: Call<TryOnCreated> = { method: 'POST', path: '/try-on', schema: tryOnCreatedSchema, notFoundCode: 'NOT_FOUND', body: JSON.stringify(body) };
      return (onValue, onError) => start(call, onValue, onError);
    },
    async close() {
      for (const controller of inflight) controller.abort();
      inflight.clear();
      spareControllers.length = 0;
      await transport?.close?.();
    },
  };
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

function isPromiseLike<T>(value: unknown): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function' && !isObservable(value);
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

function noop(): void {}

/** An attempt as a one-value Observable (for the Promise helpers and `tryOn$`). */
export function attempt$<T>(run: (onValue: (value: T) => void, onError: (error: unknown) => void) => () => void): Observable<T> {
  return new Observable<T>((subscriber) =>
    run(
      (value) => {
        subscriber.next(value);
        subscriber.complete();
      },
      (error) => subscriber.error(error),
    ),
  );
}
