import { asyncScheduler, takeUntil, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createMemoryBudget } from '../src/index.js';
import { createTestGenlook, pending } from '../src/testing/index.js';
import { testScheduler } from './helpers/marbles.js';

/** The most requests in any window of `width` ms. */
function maxInWindow(times: number[], width: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= width) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/** `count` ids whose server answers PENDING forever. */
function pendingIds(count: number) {
  const ids = Array.from({ length: count }, (_, index) => `g${index}`);
  return { ids, timelines: Object.fromEntries(ids.map((id) => [id, [{ at: 0, answer: pending(id) }]])) };
}

describe('the client-wide rate budget', () => {
  it('never lets more than requestsPerMinute requests go in any 60 s window, across many ids', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { ids, timelines } = pendingIds(40);
      const { genlook, requests } = createTestGenlook({ timelines });
      for (const id of ids) genlook.generation$(id).pipe(takeUntil(timer(300000))).subscribe();
      flush();
      const times = requests.map((request) => request.sentAt);
      expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(100);
      // The budget is used, not wasted: about 100 a minute over 5 minutes.
      expect(requests.length).toBeGreaterThan(450);
    });
  });

  it('shares the budget fairly: every id gets about the same number of polls', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { ids, timelines } = pendingIds(20);
      const { genlook, transport } = createTestGenlook({ timelines, rateLimit: { requestsPerMinute: 60 } });
      for (const id of ids) genlook.generation$(id).pipe(takeUntil(timer(120000))).subscribe();
      flush();
      const counts = ids.map((id) => transport.requestsFor(id).length);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      expect(maxInWindow(transport.requests.map((request) => request.sentAt), 60_000)).toBeLessThanOrEqual(60);
    });
  });

  it('spreads a crowd: no more than `burst` requests in the first instant', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { ids, timelines } = pendingIds(30);
      const { genlook, requests } = createTestGenlook({ timelines });
      for (const id of ids) genlook.generation$(id).pipe(takeUntil(timer(10000))).subscribe();
      flush();
      expect(requests.filter((request) => request.sentAt === 0)).toHaveLength(10);
      expect(requests.filter((request) => request.sentAt < 2000).length).toBeLessThan(15);
    });
  });

  it('a 429 with Retry-After pauses the whole client, not just that id', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, transport } = createTestGenlook({
        cadence: 'fixed',
        timelines: {
          g1: ({ count }) => (count === 2 ? { status: 429, body: { code: 'RATE_LIMITED', message: 'Slow down', status: 429 }, headers: { 'Retry-After': '10' } } : pending('g1')),
          g2: [{ at: 0, answer: pending('g2') }],
        },
      });
      expectObservable(genlook.generation$('g1'), '^ 20000ms !').toBe('p', { p: pending('g1') });
      expectObservable(genlook.generation$('g2'), '^ 20000ms !').toBe('q', { q: pending('g2') });
      flush();
      // g1's 429 at 2000: nothing goes between 2000 and 12000.
      const during = transport.requests.filter((request) => request.sentAt > 2000 && request.sentAt < 12000);
      expect(during).toEqual([]);
      expect(transport.requestsFor('g1').map((request) => request.sentAt)).toEqual([0, 2000, 12000, 14000, 16000, 18000, 20000]);
    });
  });

  it('a burst of 429s without Retry-After is one episode: one short pause, not one doubling per answer', () => {
    testScheduler().run(({ flush }) => {
      // Ten ids poll at once (the burst of 10): all ten get a 429 without Retry-After, then PENDING.
      const { ids } = pendingIds(10);
      const limited = { status: 429, body: { code: 'RATE_LIMITED', message: 'Slow down', status: 429 } };
      const timelines = Object.fromEntries(ids.map((id) => [id, ({ count }: { count: number }) => (count === 1 ? limited : pending(id))]));
      const { genlook, requests } = createTestGenlook({ timelines, retry: { delay: 1_000, jitter: false } });
      for (const id of ids) genlook.generation$(id).pipe(takeUntil(timer(10_000))).subscribe();
      flush();
      expect(requests.filter((request) => request.status === 429)).toHaveLength(10);
      // One episode: silence for 1 s (the first step of the backoff), then the retries go at the budget's
      // pace (its burst of 10 was spent: one every 600 ms), never a longer gap.
      const times = requests.map((request) => request.sentAt);
      expect(times.filter((at) => at > 0)[0]).toBe(1_000);
      const gaps = times.slice(1).map((at, index) => at - times[index]!);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(1_000);
      expect(new Set(requests.filter((request) => request.status === 200 && request.sentAt <= 6_000).map((request) => request.generationId)).size).toBe(10);
    });
  });

  it('429s in later episodes double the pause, and a success resets it', () => {
    testScheduler().run(({ flush }) => {
      const budget = createMemoryBudget({ requestsPerMinute: Infinity, scheduler: asyncScheduler });
      const grants: number[] = [];
      const ask = () => budget.take(() => grants.push(asyncScheduler.now()));
      budget.reportRateLimited(undefined, 0); // episode 1 at 0: paused until 1000
      budget.reportRateLimited(undefined, 0); // sent before the pause: same episode
      asyncScheduler.schedule(() => (budget.reportRateLimited(undefined, 1_000), ask()), 1_000); // episode 2: until 3000
      asyncScheduler.schedule(() => (budget.reportSuccess?.(), budget.reportRateLimited(undefined, 3_500), ask()), 3_500); // reset: 1 s again
      flush();
      expect(grants).toEqual([3_000, 4_500]);
    });
  });

  it('rateLimit: false still honours a 429 pause', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({
        rateLimit: false,
        timelines: { g1: ({ count }) => (count === 1 ? { status: 429, headers: { 'retry-after': '5' } } : pending('g1')) },
      });
      expectObservable(genlook.generation$('g1'), '^ 6000ms !').toBe('5000ms p', { p: pending('g1') });
      flush();
      expect(requests.map((request) => request.sentAt)).toEqual([0, 5000]);
    });
  });

  it('has one timer for every waiter, and none once nobody waits', () => {
    testScheduler().run(({ flush }) => {
      const budget = createMemoryBudget({ requestsPerMinute: 2, burst: 1, scheduler: asyncScheduler });
      const granted: number[] = [];
      budget.take(() => granted.push(asyncScheduler.now()));
      const withdraw = budget.take(() => granted.push(-1));
      budget.take(() => granted.push(asyncScheduler.now()));
      withdraw();
      flush();
      // 2 per minute, burst 1: one at once, the next at 30 s; the third waits for the 60 s window.
      expect(granted).toEqual([0, 30000]);
    });
  });

  it('names a bad setting by its own option name (no prefix: it is createMemoryBudget\'s own option)', () => {
    expect(() => createMemoryBudget({ requestsPerMinute: 0, scheduler: asyncScheduler })).toThrow(new TypeError('Expected `requestsPerMinute` to be a positive integer, got 0'));
    expect(() => createMemoryBudget({ requestsPerMinute: 10, burst: 1.5, scheduler: asyncScheduler })).toThrow(new TypeError('Expected `burst` to be a positive integer, got 1.5'));
  });
});
