import { describe, expect, it } from 'vitest';
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

describe('retryTransient: its settings', () => {
  it('a number is the retry count (3 retries, then the error)', () => {
    testScheduler().run(({ cold, flush }) => {
      const source = cold<Generation>('#', undefined, outage());
      const errors: unknown[] = [];
      // The default backoff has jitter (Math.random): the waits vary, the count does not.
      source.pipe(retryTransient(3)).subscribe({ error: (error: unknown) => errors.push(error) });
      flush();
      expect(errors).toEqual([outage()]);
      expect(source.subscriptions).toHaveLength(4);
    });
  });

  it('without giveUpAfter, a one-shot count alone bounds it: waits past the watches’ 120 s are still retried', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Generation>('#', undefined, outage());
      // Waits of 100 s, 200 s, 400 s: the third failure comes 300 s after the start, and is still retried.
      expectObservable(source.pipe(retryTransient({ count: 3, delay: 100_000, maxDelay: 1_000_000, jitter: false }))).toBe('700s #', undefined, outage());
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '100s (^!)', '300s (^!)', '700s (^!)']);
    });
  });

  it('giveUpAfter, when given, bounds it by the time since the last status', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Generation>('#', undefined, outage());
      // Waits of 10, 20, 40: the failure at 70 ms is past giveUpAfter 50 ms since the start, and ends it.
      expectObservable(source.pipe(retryTransient({ count: 10, delay: 10, maxDelay: 1000, jitter: false, giveUpAfter: 50 }))).toBe('70ms #', undefined, outage());
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '10ms (^!)', '30ms (^!)', '70ms (^!)']);
    });
  });

  it('refuses bad settings, naming each one', () => {
    expect(() => retryTransient({ scheduler: {} as never })).toThrow(new TypeError('Expected `retryTransient.scheduler` to be an RxJS scheduler, got an object'));
    expect(() => retryTransient({ scheduler: { schedule: () => undefined } as never })).toThrow(new TypeError('Expected `retryTransient.scheduler` to be an RxJS scheduler, got an object'));
    expect(() => retryTransient({ resetOnSuccess: 'yes' as never })).toThrow(new TypeError('Expected `retryTransient.resetOnSuccess` to be a boolean, got "yes"'));
    expect(() => retryTransient({ delay: -1 })).toThrow(new TypeError('Expected `retryTransient.delay` to be a non-negative number, got -1'));
    expect(() => retryTransient(1.5)).toThrow(new TypeError('Expected `retryTransient.count` to be a non-negative integer, got 1.5'));
  });
});
