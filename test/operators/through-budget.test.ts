import { asyncScheduler, NEVER, Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createMemoryBudget, GenlookApiError, type RateBudget } from '../../src/index.js';
import { throughBudget } from '../../src/operators/through-budget.js';
import { testScheduler } from '../helpers/marbles.js';

const limited = new GenlookApiError({ status: 429, code: 'RATE_LIMITED', retryAfter: 7, request: 'GET x' });

/** A budget that grants only when `grant()` is called, reached through `take` only (no `slot$`), recording what it is told. */
function handBudget() {
  const waiting: Array<{ grant: () => void; priority: number }> = [];
  const told: string[] = [];
  const budget: RateBudget = {
    take(grant, priority = 0) {
      const entry = { grant, priority };
      waiting.push(entry);
      return () => {
        told.push('withdraw');
        waiting.splice(waiting.indexOf(entry), 1);
      };
    },
    reportRateLimited: (retryAfter, sentAt) => told.push(`429 ${retryAfter} sent at ${sentAt}`),
    reportSuccess: () => told.push('success'),
  };
  return { budget, waiting, told, grant: () => waiting.shift()?.grant() };
}

describe('throughBudget: the budget stage', () => {
  it('subscribes the request only once the budget grants a slot, then reports the success', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const hand = handBudget();
      const request$ = cold('--(a|)');
      asyncScheduler.schedule(() => hand.grant(), 5);
      expectObservable(request$.pipe(throughBudget({ budget: hand.budget, scheduler: asyncScheduler }))).toBe('7ms (a|)');
      expectSubscriptions(request$.subscriptions).toBe('5ms ^-!');
      asyncScheduler.schedule(() => expect(hand.told).toEqual(['success']), 8);
    });
  });

  it('asks with the priority worked out at each subscription', () => {
    testScheduler().run(({ cold, flush }) => {
      const hand = handBudget();
      let priority = 10;
      const read$ = cold('(a|)').pipe(throughBudget({ budget: hand.budget, scheduler: asyncScheduler, priority: () => priority }));
      read$.subscribe();
      priority = 20;
      read$.subscribe();
      flush();
      expect(hand.waiting.map((entry) => entry.priority)).toEqual([10, 20]);
    });
  });

  it('unsubscribing before the grant withdraws from the queue; the request is never sent', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const hand = handBudget();
      const request$ = cold('(a|)');
      expectObservable(request$.pipe(throughBudget({ budget: hand.budget, scheduler: asyncScheduler })), '^ 3ms !').toBe('');
      flush();
      expectSubscriptions(request$.subscriptions).toBe([]);
      expect(hand.told).toEqual(['withdraw']);
      expect(hand.waiting).toHaveLength(0);
    });
  });

  it('unsubscribing after the grant unsubscribes the request (which aborts it)', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      let aborted = false;
      const request$ = new Observable<never>(() => () => (aborted = true));
      const budget = createMemoryBudget({ scheduler: asyncScheduler });
      expectObservable(request$.pipe(throughBudget({ budget, scheduler: asyncScheduler })), '^ 3ms !').toBe('');
      flush();
      expect(aborted).toBe(true);
    });
  });

  it('reports a 429 with its Retry-After and the time the request was sent, and passes the error on', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const hand = handBudget();
      asyncScheduler.schedule(() => hand.grant(), 4);
      expectObservable(cold('--#', undefined, limited).pipe(throughBudget({ budget: hand.budget, scheduler: asyncScheduler }))).toBe('6ms #', undefined, limited);
      flush();
      expect(hand.told).toEqual(['429 7 sent at 4']);
    });
  });

  it('reaches a budget with slot$ through slot$ (the in-memory one grants at once when it has room)', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const budget = createMemoryBudget({ scheduler: asyncScheduler });
      expect(budget.slot$).toBeTypeOf('function');
      const slots: number[] = [];
      const counted: RateBudget = { ...budget, take: () => (slots.push(1), () => {}), slot$: (priority) => budget.slot$!(priority) };
      expectObservable(cold('-(a|)').pipe(throughBudget({ budget: counted, scheduler: asyncScheduler }))).toBe('-(a|)');
      expect(slots).toEqual([]);
      void NEVER;
    });
  });

  it('a budget without reportSuccess (optional) is still told nothing on success, and the answer passes', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const told: string[] = [];
      const budget: RateBudget = { take: (grant) => (grant(), () => {}), reportRateLimited: () => told.push('429') };
      expectObservable(cold('-a-(b|)').pipe(throughBudget({ budget, scheduler: asyncScheduler }))).toBe('-a-(b|)');
      asyncScheduler.schedule(() => expect(told).toEqual([]), 5);
    });
  });
});
