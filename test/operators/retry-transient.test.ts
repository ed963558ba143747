import { describe, it } from 'vitest';
import { type Generation, GenlookApiError, retryTransient } from '../../src/index.js';
import { pending, processing } from '../../src/testing/index.js';
import { testScheduler } from '../helpers/marbles.js';

const p = pending('g1');
const r = processing('g1');
const outage = (retryAfter?: number) => new GenlookApiError({ status: 503, code: 'SERVICE_UNAVAILABLE', request: 'GET x', ...(retryAfter === undefined ? {} : { retryAfter }) });

describe('retryTransient: the retry stage (RxJS retry under the client’s retry rule)', () => {
  it('resubscribes after the backoff, capped exponential: delay × 2^(failures - 1)', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Generation>('#', undefined, outage());
      expectObservable(source.pipe(retryTransient({ count: 3, delay: 10, maxDelay: 25, jitter: false }))).toBe('55ms #', undefined, outage());
      // Waits of 10, 20, then 25 (capped).
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '10ms (^!)', '30ms (^!)', '55ms (^!)']);
    });
  });

  it('clamps a long Retry-After to maxRetryAfter (a 120 s Retry-After with maxRetryAfter 1000 waits 1 s)', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Generation>('#', undefined, outage(120_000));
      expectObservable(source.pipe(retryTransient({ count: 1, delay: 10, jitter: false, maxRetryAfter: 1000 }))).toBe('1000ms #', undefined, outage(120_000));
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '1000ms (^!)']);
    });
  });

  it('never lets a Retry-After of 0 shorten the backoff', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Generation>('#', undefined, outage(0));
      expectObservable(source.pipe(retryTransient({ count: 2, delay: 100, jitter: false }))).toBe('300ms #', undefined, outage(0));
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '100ms (^!)', '300ms (^!)']);
    });
  });

  it('statuses keep moving forward across resubscriptions, and a non-transient error passes at once', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const notFound = new GenlookApiError({ status: 404, code: 'GENERATION_NOT_FOUND', request: 'GET x' });
      const source = cold('p-r-#', { p, r }, outage());
      const flaky = cold('p-#', { p }, notFound);
      expectObservable(source.pipe(retryTransient({ count: 1, delay: 10, jitter: false }))).toBe('p-r- 10ms ----#', { p, r }, outage());
      expectObservable(flaky.pipe(retryTransient(3))).toBe('p-#', { p }, notFound);
    });
  });
});
