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
  /** The generation id the answer must be about, handed to `parse`. */
  expectedId?: string;
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
  /** Told how each request ended (its error, or `undefined` for an answer): the client's health. */
  report: (error: unknown) => void;
}

/**
 * One request as a lean Observable: each subscription sends it once, emits the decoded answer and
 * completes, or errors with a typed `GenlookError`. Each request has its own `AbortController`, aborted
 * when the subscriber unsubscribes while the request is in flight, at the time limit (on the client's
 * scheduler), and by `close()`; an answered request is not aborted (there is nothing left to cancel).
 */
export function exchange$<T>(exchange: Exchange<T>, context: ExchangeContext): Observable<T> {
  return new Observable<T>((subscriber) => {
    const description = `${exchange.method} ${exchange.url}`;
    const { inflight, scheduler } = context;
    const transport = context.transport();
    const controller = new AbortController();
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
      const error = new GenlookNetworkError({ message: `Request timed out after ${exchange.timeout} ms`, request: description, code: 'REQUEST_TIMEOUT' });
      context.report(error);
      subscriber.error(error);
    }, exchange.timeout);
    const onAnswer = (response: TransportResponse) => {
      if (isSettled) return;
      settle();
      let value: T;
      try {
        value = decodeResponse(response, exchange.parse, { request: description, notFoundCode: exchange.notFoundCode, maxRetryAfter: context.maxRetryAfter, secret: context.apiKey, expectedId: exchange.expectedId });
      } catch (error) {
        context.report(error);
        subscriber.error(error);
        return;
      }
      context.report(undefined);
      subscriber.next(value);
      subscriber.complete();
    };
    const onFailure = (error: unknown) => {
      if (isSettled) return;
      settle();
      const failure = toNetworkError(error, description, context.apiKey, controller.signal.aborted);
      context.report(failure);
      subscriber.error(failure);
    };
    const request: TransportRequest = { method: exchange.method, url: exchange.url, headers: exchange.headers, signal: controller.signal, timeout: exchange.timeout };
    if (exchange.body !== undefined) request.body = exchange.body;
    try {
      const pending = transport.request(request);
      // A promise (the built-in transports) is awaited directly: no Observable wrapper per request.
      if (isPromiseLike<TransportResponse>(pending)) pending.then(onAnswer, onFailure);
      else answer = from(pending).subscribe({ next: onAnswer, error: onFailure });
    } catch (error) {
      onFailure(error);
    }
    return () => {
      // The signal first, as at the time limit: the transport sees the abort before its own teardown.
      if (!isSettled) {
        settle();
        controller.abort();
      }
      answer?.unsubscribe();
    };
  });
}

function isPromiseLike<T>(value: unknown): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function' && !isObservable(value);
}
