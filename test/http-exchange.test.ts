import { Observable, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { GenlookNetworkError } from '../src/index.js';
import { createApiRequester } from '../src/http/api-requester.js';
import type { Transport, TransportRequest, TransportResponse } from '../src/http/transport.js';

// Each request of a client (src/http/exchange.ts), seen from its subscriber, from its transport and
// from the client's health (`report`): settled once, by its answer, its failure, its time limit, an
// unsubscribe or close(), whichever comes first; nothing that comes later is delivered or reported.

const ID = 'gen_1';
const BASE = 'http://127.0.0.1:1/tryon/v1';
const REQUEST = `GET ${BASE}/generations/${ID}`;
const TIMEOUT = 5_000;
const answer: TransportResponse = { status: 200, headers: {}, body: JSON.stringify({ generationId: ID, status: 'PROCESSING', createdAt: '2026-12-03T08:00:00.000Z', updatedAt: '2026-12-03T08:00:01.000Z' }) };

interface Call {
  request: TransportRequest;
  resolve: (response: TransportResponse) => void;
  reject: (error: unknown) => void;
}

/** A transport whose requests stay in flight until the test settles them; one that honours `signal` rejects when it is aborted. */
function controlled(honoursSignal: boolean): { transport: Transport; calls: Call[] } {
  const calls: Call[] = [];
  const transport: Transport = {
    request: (request) =>
      new Promise<TransportResponse>((resolve, reject) => {
        calls.push({ request, resolve, reject });
        if (honoursSignal) request.signal.addEventListener('abort', () => reject(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' })));
      }),
  };
  return { transport, calls };
}

/** A requester on virtual time (`scheduler.flush()` runs the time limits), its reports, and what one read's subscriber saw. */
function setup(transport: Transport) {
  const scheduler = new VirtualTimeScheduler();
  const reports: unknown[] = [];
  const api = createApiRequester({ apiKey: 'gk_exchange_spec', baseUrl: BASE, isRelativeBaseUrl: false, requestTimeout: TIMEOUT, transport, scheduler, maxRetryAfter: 60_000, report: (error) => reports.push(error) });
  const seen: { values: unknown[]; errors: unknown[]; completed: boolean } = { values: [], errors: [], completed: false };
  const subscription = api.generation$(ID).subscribe({ next: (value) => seen.values.push(value), error: (error: unknown) => seen.errors.push(error), complete: () => (seen.completed = true) });
  return { api, scheduler, reports, seen, subscription };
}

/** Lets the transport's promises settle (a turn of the event loop, no time). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('a request of the client, as its subscriber, its transport and report see it', () => {
  it('at the time limit: REQUEST_TIMEOUT with its message, the signal aborted, reported once (the abort that follows is not reported)', async () => {
    const { transport, calls } = controlled(true);
    const { scheduler, reports, seen } = setup(transport);
    scheduler.flush();
    await settled();
    expect(seen.errors).toHaveLength(1);
    const error = seen.errors[0] as GenlookNetworkError;
    expect(error).toBeInstanceOf(GenlookNetworkError);
    expect(error).toMatchObject({ code: 'REQUEST_TIMEOUT', request: REQUEST, message: `Request timed out after ${TIMEOUT} ms (${REQUEST})` });
    expect(calls[0]!.request.signal.aborted).toBe(true);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toBe(error);
  });

  it('at the time limit, with an Observable transport that errors as soon as its signal aborts: still REQUEST_TIMEOUT, reported once', async () => {
    const transport: Transport = {
      request: ({ signal }) => new Observable<TransportResponse>((subscriber) => signal.addEventListener('abort', () => subscriber.error(new Error('aborted')))),
    };
    const { scheduler, reports, seen } = setup(transport);
    scheduler.flush();
    await settled();
    expect(seen.errors).toEqual([expect.objectContaining({ code: 'REQUEST_TIMEOUT', message: `Request timed out after ${TIMEOUT} ms (${REQUEST})` })]);
    expect(reports).toEqual([seen.errors[0]]);
  });

  it('an answer after the time limit (a transport that ignores the signal) is dropped: not delivered, not reported', async () => {
    const { transport, calls } = controlled(false);
    const { scheduler, reports, seen } = setup(transport);
    scheduler.flush();
    calls[0]!.resolve(answer);
    await settled();
    expect(seen.values).toEqual([]);
    expect(seen.errors).toEqual([expect.objectContaining({ code: 'REQUEST_TIMEOUT' })]);
    expect(reports).toEqual([seen.errors[0]]);
  });

  it('an answered request is never aborted, not by its time limit passing nor by close(), and is reported once as answered', async () => {
    const { transport, calls } = controlled(true);
    const { api, scheduler, reports, seen } = setup(transport);
    calls[0]!.resolve(answer);
    await settled();
    expect(seen).toMatchObject({ values: [expect.objectContaining({ generationId: ID })], errors: [], completed: true });
    scheduler.flush();
    await api.close();
    await settled();
    expect(calls[0]!.request.signal.aborted).toBe(false);
    expect(reports).toEqual([undefined]);
  });

  it('a failure is reported once: nothing more at the time limit', async () => {
    const { transport, calls } = controlled(false);
    const { scheduler, reports, seen } = setup(transport);
    calls[0]!.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await settled();
    scheduler.flush();
    await settled();
    expect(seen.errors).toHaveLength(1);
    expect(seen.errors[0]).toMatchObject({ code: 'NETWORK_ERROR', request: REQUEST, message: `Request failed: ECONNRESET socket hang up (${REQUEST})` });
    expect(reports).toEqual([seen.errors[0]]);
    expect(calls[0]!.request.signal.aborted).toBe(false);
  });

  it('an unsubscribe in flight aborts the signal and reports nothing: not the abort, not a time limit later', async () => {
    const { transport, calls } = controlled(true);
    const { scheduler, reports, seen, subscription } = setup(transport);
    subscription.unsubscribe();
    expect(calls[0]!.request.signal.aborted).toBe(true);
    await settled();
    scheduler.flush();
    await settled();
    expect(reports).toEqual([]);
    expect(seen).toEqual({ values: [], errors: [], completed: false });
  });

  it('close() aborts the requests in flight: their subscribers get "Request aborted"', async () => {
    const { transport, calls } = controlled(true);
    const { api, reports, seen } = setup(transport);
    await api.close();
    await settled();
    expect(calls[0]!.request.signal.aborted).toBe(true);
    expect(seen.errors).toEqual([expect.objectContaining({ code: 'NETWORK_ERROR', message: `Request aborted: This operation was aborted (${REQUEST})` })]);
    expect(reports).toEqual([seen.errors[0]]);
  });

  it('a transport may answer with any ObservableInput: an async iterable is read', async () => {
    const transport: Transport = {
      request: async function* () {
        yield answer;
      },
    };
    const { reports, seen } = setup(transport);
    await settled();
    expect(seen).toMatchObject({ values: [expect.objectContaining({ generationId: ID })], errors: [], completed: true });
    expect(reports).toEqual([undefined]);
  });
});
