import { describe, expect, it } from 'vitest';
import { type Generation, GenerationFailedError, GenerationTimeoutError, GenlookApiError, retryTransient, timeoutGeneration, untilTerminal } from '../src/index.js';
import { completed, createTestGenlook, failed, pending, processing } from '../src/testing/index.js';
import { testScheduler } from './helpers/marbles.js';

const p = pending('g1');
const r = processing('g1');
const c = completed('g1');
const f = failed('g1', 'PRODUCT_IMAGE_FETCH_FAILED');

describe('untilTerminal', () => {
  it('completes right after COMPLETED, dropping what follows', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('p-r-c-p-', { p, r, c });
      expectObservable(source.pipe(untilTerminal())).toBe('p-r-(c|)', { p, r, c });
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('errors with GenerationFailedError on FAILED', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('p-f-', { p, f }).pipe(untilTerminal())).toBe('p-#', { p }, new GenerationFailedError(f));
    });
  });

  it('passes errors and completion through', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('p-#', { p }, new Error('boom')).pipe(untilTerminal())).toBe('p-#', { p }, new Error('boom'));
      expectObservable(cold('p-|', { p }).pipe(untilTerminal())).toBe('p-|', { p });
    });
  });
});

describe('timeoutGeneration', () => {
  it('errors with GenerationTimeoutError carrying the last status, and unsubscribes the source', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('p 99ms r 999ms c', { p, r, c });
      const error = new GenerationTimeoutError({ generationId: 'g1', timeout: 500, lastStatus: 'PROCESSING' });
      expectObservable(source.pipe(timeoutGeneration(500))).toBe('p 99ms r 399ms #', { p, r }, error);
      expectSubscriptions(source.subscriptions).toBe('^ 499ms !');
    });
  });

  it('lets a stream that ends in time through untouched', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('p 99ms (c|)', { p, c }).pipe(timeoutGeneration({ total: 500 }))).toBe('p 99ms (c|)', { p, c });
    });
  });

  it('names the generation even when no status arrived', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const error = new GenerationTimeoutError({ generationId: 'g9', timeout: 10, lastStatus: undefined });
      expectObservable(cold<Generation>('-').pipe(timeoutGeneration({ total: 10, generationId: 'g9' }))).toBe('10ms #', undefined, error);
    });
  });

  it('is what generation$ uses for its timeout option', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({ latency: 100, timelines: { g1: [{ at: 0, answer: p }] } });
      const error = new GenerationTimeoutError({ generationId: 'g1', timeout: 5000, lastStatus: 'PENDING' });
      expectObservable(genlook.generation$('g1', { timeout: 5000 })).toBe('100ms p 4899ms #', { p }, error);
      flush();
      // The request in flight at 5000 (sent at 4200, answered at 4300) and then none: the poll stopped.
      expect(requests.map((request) => request.sentAt)).toEqual([0, 2100, 4200]);
    });
  });

  it('refuses a bad total', () => {
    expect(() => timeoutGeneration(-1)).toThrow(TypeError);
  });
});

describe('retryTransient', () => {
  const outage = new GenlookApiError({ status: 503, code: 'SERVICE_UNAVAILABLE', request: 'GET x' });

  it('resubscribes after a transient error with backoff; statuses keep moving forward across resubscriptions', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('p-r-#', { p, r }, outage);
      const retried = source.pipe(retryTransient({ count: 1, delay: 10, jitter: false }));
      // First run: p r, error at 4; resubscribed at 14: p is older than r and r was seen: neither is emitted again.
      expectObservable(retried).toBe('p-r- 10ms ----#', { p, r }, outage);
      expectSubscriptions(source.subscriptions).toBe(['^---!', '14ms ^---!']);
    });
  });

  it('drops a status repeated right after a retry', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('r-#', { r }, outage);
      expectObservable(source.pipe(retryTransient({ count: 2, delay: 5, jitter: false }))).toBe('r 20ms #', { r }, outage);
    });
  });

  it('passes a non-transient error at once', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const notFound = new GenlookApiError({ status: 404, code: 'GENERATION_NOT_FOUND', request: 'GET x' });
      const source = cold('p-#', { p }, notFound);
      expectObservable(source.pipe(retryTransient(3))).toBe('p-#', { p }, notFound);
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('honours the error retryAfter when it is longer than the backoff', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const limited = new GenlookApiError({ status: 429, code: 'RATE_LIMITED', retryAfter: 50, request: 'GET x' });
      const source = cold<Generation>('#', undefined, limited);
      // The backoff would wait 10 ms; the server asked for 50.
      expectObservable(source.pipe(retryTransient({ count: 1, delay: 10, jitter: false }))).toBe('50ms #', undefined, limited);
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '50ms (^!)']);
    });
  });

  it('composes with a client whose own retries are off', () => {
    testScheduler().run(({ expectObservable }) => {
      const { genlook } = createTestGenlook({
        retry: false,
        timelines: { g1: ({ count }) => (count === 2 ? { status: 502 } : count >= 3 ? c : p) },
      });
      expectObservable(genlook.generation$('g1').pipe(retryTransient({ count: 2, delay: 100, jitter: false }))).toBe('p 2099ms (c|)', { p, c });
    });
  });
});
