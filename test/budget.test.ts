import { asyncScheduler, takeUntil, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createMemoryBudget } from '../src/index.js';
import { createTestGenlook, pending } from '../src/testing/index.js';
import { testScheduler } from './helpers/marbles.js';
import { countingScheduler } from './helpers/counting-scheduler.js';

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

describe('the in-memory budget, exactly', () => {
  it('names the setting it refuses', () => {
    expect(() => createMemoryBudget({ requestsPerMinute: 0, scheduler: asyncScheduler })).toThrow('Expected `requestsPerMinute` to be a positive integer, got 0');
    expect(() => createMemoryBudget({ windowMs: 0, scheduler: asyncScheduler })).toThrow('Expected `windowMs` to be a positive number, got 0');
    expect(() => createMemoryBudget({ spent: -1, scheduler: asyncScheduler })).toThrow('Expected `spent` to be a non-negative integer, got -1');
  });

  it('counts `spent` as requests made now: used at once, the rest of the window free, none over the limit', () => {
    testScheduler().run(({ flush }) => {
      const budget = createMemoryBudget({ requestsPerMinute: 5, burst: 5, spent: 3, scheduler: asyncScheduler });
      expect(budget.snapshot!().used).toBe(3);
      const grants: number[] = [];
      for (let index = 0; index < 3; index++) budget.take(() => grants.push(asyncScheduler.now()));
      flush();
      // Two left in this window; the third waits for the spent ones to leave it (60 s plus the 500 ms margin).
      expect(grants).toEqual([0, 0, 60_500]);
      expect(createMemoryBudget({ requestsPerMinute: 5, spent: 50, scheduler: asyncScheduler }).snapshot!().used).toBe(5);
    });
  });

  it('without a limit reports an infinite one and grants every take at once', () => {
    testScheduler().run(() => {
      const budget = createMemoryBudget({ requestsPerMinute: Infinity, scheduler: asyncScheduler });
      let granted = 0;
      for (let index = 0; index < 50; index++) budget.take(() => granted++);
      expect(granted).toBe(50);
      expect(budget.snapshot!()).toEqual({ limit: Infinity, used: 0, waiting: 0, windowMs: 60_000 });
    });
  });

  it('snapshot counts the grants of the last window, up to the instant a slot frees again', () => {
    testScheduler().run(({ flush }) => {
      const budget = createMemoryBudget({ requestsPerMinute: 1, burst: 1, scheduler: asyncScheduler });
      const five = createMemoryBudget({ requestsPerMinute: 5, scheduler: asyncScheduler });
      five.take(() => {});
      expect(five.snapshot!().used).toBe(1);
      budget.take(() => {});
      const seen: Array<[number, number]> = [];
      asyncScheduler.schedule(() => seen.push([budget.snapshot!().used, 0]), 60_499);
      // At 60 500 ms (the window plus its margin) the grant of 0 is out of the window, and a take goes at once.
      asyncScheduler.schedule(() => {
        const used = budget.snapshot!().used;
        let at = -1;
        budget.take(() => (at = asyncScheduler.now()));
        seen.push([used, at]);
      }, 60_500);
      flush();
      expect(seen).toEqual([
        [1, 0],
        [0, 60_500],
      ]);
    });
  });

  it('serves waiters by priority (arrival time less priority), whatever order they came in', () => {
    testScheduler().run(({ flush }) => {
      const budget = createMemoryBudget({ requestsPerMinute: Infinity, scheduler: asyncScheduler });
      budget.reportRateLimited(1_000);
      const order: string[] = [];
      budget.take(() => order.push('low'), 0);
      budget.take(() => order.push('middle'), 50);
      budget.take(() => order.push('high'), 100);
      flush();
      expect(order).toEqual(['high', 'middle', 'low']);
    });
  });

  it('a take made inside a grant is granted after that grant returns, not inside it', () => {
    testScheduler().run(({ flush }) => {
      const budget = createMemoryBudget({ requestsPerMinute: Infinity, scheduler: asyncScheduler });
      budget.reportRateLimited(1_000);
      const events: string[] = [];
      budget.take(() => {
        events.push(`first at ${asyncScheduler.now()}`);
        budget.take(() => events.push(`second at ${asyncScheduler.now()}`));
        events.push('first returned');
      });
      flush();
      expect(events).toEqual(['first at 1000', 'first returned', 'second at 1000']);
    });
  });

  it('a take made and withdrawn inside a grant is never granted', () => {
    testScheduler().run(({ flush }) => {
      const budget = createMemoryBudget({ requestsPerMinute: Infinity, scheduler: asyncScheduler });
      budget.reportRateLimited(1_000);
      const events: string[] = [];
      budget.take(() => {
        const withdraw = budget.take(() => events.push('withdrawn one granted'));
        withdraw();
        events.push('first');
      });
      expect(() => flush()).not.toThrow();
      expect(events).toEqual(['first']);
      expect(budget.snapshot!().waiting).toBe(0);
    });
  });

  it('holds one timer however many wait, and none once the last withdraws or the budget closes', () => {
    testScheduler().run(({ flush }) => {
      const { scheduler, pending } = countingScheduler();
      const budget = createMemoryBudget({ requestsPerMinute: 2, burst: 1, scheduler });
      const granted: number[] = [];
      budget.take(() => granted.push(0));
      const second = budget.take(() => granted.push(2));
      expect(pending.size).toBe(1);
      const third = budget.take(() => granted.push(3));
      expect(pending.size).toBe(1);
      second();
      third();
      expect(pending.size).toBe(0);
      budget.take(() => granted.push(4));
      expect(pending.size).toBe(1);
      budget.close!();
      expect(pending.size).toBe(0);
      flush();
      expect(granted).toEqual([0]);
    });
  });

  it('a 429 without Retry-After pauses from when it came; a late 429 for a request sent before that pause starts no new one', () => {
    testScheduler().run(({ flush }) => {
      const budget = createMemoryBudget({ requestsPerMinute: Infinity, scheduler: asyncScheduler });
      const grants: number[] = [];
      budget.reportRateLimited(undefined); // no sentAt: a new episode, paused until 1000
      budget.take(() => grants.push(asyncScheduler.now()));
      asyncScheduler.schedule(() => {
        budget.reportRateLimited(undefined, -10); // sent before the pause began at 0: the same episode
        budget.take(() => grants.push(asyncScheduler.now()));
      }, 1_500);
      flush();
      expect(grants).toEqual([1_000, 1_500]);
    });
  });

  it('a late 429 for a request sent in the very millisecond its pause began (so before it) starts no new one either', () => {
    testScheduler().run(({ flush }) => {
      const budget = createMemoryBudget({ requestsPerMinute: Infinity, scheduler: asyncScheduler });
      const grants: number[] = [];
      asyncScheduler.schedule(() => {
        // Two requests sent at 100; the first one's 429 comes back in the same millisecond: paused until 1100.
        budget.reportRateLimited(undefined, 100);
        budget.take(() => grants.push(asyncScheduler.now()));
      }, 100);
      asyncScheduler.schedule(() => {
        budget.reportRateLimited(undefined, 100); // the second one's, after the pause: the same episode
        budget.take(() => grants.push(asyncScheduler.now()));
      }, 1_500);
      flush();
      expect(grants).toEqual([1_100, 1_500]);
    });
  });
});
