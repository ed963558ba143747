import { from, isObservable, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { GenlookNetworkError } from '../model/errors/genlook-network-error.js';
import { type BodyParser, decodeResponse } from './response-decoder.js';
import { toNetworkError } from './network-error.js';
import type { Transport, TransportRequest, TransportResponse } from './transport.js';

/** One HTTP exchange: what to send, and how to read the answer. */
export interface Exchange<T> {
  method: 'GET' | 'POST';
  /** The absolute URL (or a path, with a relative `baseUrl`). */
  url: string;
  headers: Record<string, string>;
  body?: string;
  parse: BodyParser<T>;
  /** The code a 404 without one means here. */
  notFoundCode: string;
  /** Time allowed for the whole exchange, in ms: `requestTimeout`, or a creation's longer hold. */
  timeout: number;
}

/** What every exchange of a client shares. */
export interface ExchangeContext {
  transport: () => Transport;
  scheduler: SchedulerLike;
  apiKey: string | undefined;
  maxRetryAfter: number;
  /** Controllers of the requests in flight, so that `close()` aborts them. */
  inflight: Set<AbortController>;
}

/**
 * One request as a lean Observable: each subscription sends it once, emits the decoded answer and
 * completes, or errors with a typed `GenlookError`. Unsubscribing aborts the request if it is still in
 * flight (an answered request is not aborted: an abort builds a `DOMException` with a stack). The time
 * limit runs on the client's scheduler. No operator chain per request: the poll loop sends thousands.
 */
export function exchange$<T>(exchange: Exchange<T>, context: ExchangeContext): Observable<T> {
  return new Observable<T>((subscriber) => {
    const description = `${exchange.method} ${exchange.url}`;
    const controller = new AbortController();
    const { inflight, scheduler } = context;
    inflight.add(controller);
    let isSettled = false;
    let answer: Subscription | undefined;
    const settle = () => {
      isSettled = true;
      inflight.delete(controller);
      timeout.unsubscribe();
    };
    const timeout = scheduler.schedule(() => {
      if (isSettled) return;
      settle();
      controller.abort();
      answer?.unsubscribe();
      subscriber.error(new GenlookNetworkError({ message: `Request timed out after ${exchange.timeout} ms`, request: description, code: 'REQUEST_TIMEOUT' }));
    }, exchange.timeout);
    const onAnswer = (response: TransportResponse) => {
      if (isSettled) return;
      settle();
      let value: T;
      try {
        value = decodeResponse(response, exchange.parse, { request: description, notFoundCode: exchange.notFoundCode, now: Date.now(), maxRetryAfter: context.maxRetryAfter, secret: context.apiKey });
      } catch (error) {
        subscriber.error(error);
        return;
      }
      subscriber.next(value);
      subscriber.complete();
    };
    const onFailure = (error: unknown) => {
      if (isSettled) return;
      settle();
      subscriber.error(toNetworkError(error, description, context.apiKey, controller.signal.aborted));
    };
    const request: TransportRequest = { method: exchange.method, url: exchange.url, headers: exchange.headers, signal: controller.signal, timeout: exchange.timeout };
    if (exchange.body !== undefined) request.body = exchange.body;
    try {
      const pending = context.transport().request(request);
      // A promise (the built-in transports) is awaited directly: no Observable wrapper per request.
      if (isPromiseLike<TransportResponse>(pending)) pending.then(onAnswer, onFailure);
      else answer = from(pending).subscribe({ next: onAnswer, error: onFailure });
    } catch (error) {
      onFailure(error);
    }
    return () => {
      answer?.unsubscribe();
      if (isSettled) return;
      settle();
      controller.abort();
    };
  });
}

function isPromiseLike<T>(value: unknown): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function' && !isObservable(value);
}
