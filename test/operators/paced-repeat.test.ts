import { asyncScheduler, defer, of, take, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { pacedRepeat } from '../../src/operators/paced-repeat.js';
import { testScheduler } from '../helpers/marbles.js';

describe('pacedRepeat: the pacing stage', () => {
  it('subscribes again delay() ms after each cycle completes, so cycles never overlap and a slow one is waited for', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      // Each cycle answers after 3 frames; the next starts 5 frames after that answer (not 5 after the start).
      const cycle = cold('---(a|)');
      expectObservable(cycle.pipe(pacedRepeat({ delay: () => 5, scheduler: asyncScheduler })), '^ 20ms !').toBe('---a 7ms a 7ms a');
      expectSubscriptions(cycle.subscriptions).toBe(['^--!', '8ms ^--!', '16ms ^--!']);
    });
  });

  it('reads the delay at the end of each cycle: the wait can follow the answer', () => {
    testScheduler().run(({ expectObservable }) => {
      let answers = 0;
      let wait = 0;
      // The n-th answer asks for an n × 10 ms wait.
      const cycle = defer(() => of(++answers)).pipe(tap((answer) => (wait = answer * 10)));
      // take(4): bounded even if the waits were lost (a synchronous loop).
      expectObservable(cycle.pipe(pacedRepeat({ delay: () => wait, scheduler: asyncScheduler }), take(4))).toBe('a 9ms b 19ms c 29ms (d|)', { a: 1, b: 2, c: 3, d: 4 });
    });
  });

  it('ends with the first error (the retry stage is outside it)', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      let cycles = 0;
      const cycle = defer(() => (++cycles === 2 ? cold('-#', undefined, new Error('boom')) : cold('-(a|)')));
      expectObservable(cycle.pipe(pacedRepeat({ delay: () => 2, scheduler: asyncScheduler }))).toBe('-a--#', undefined, new Error('boom'));
    });
  });

  it('unsubscribing cancels the wait: no cycle after it', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const cycle = cold('-(a|)');
      expectObservable(cycle.pipe(pacedRepeat({ delay: () => 10, scheduler: asyncScheduler })), '^ 5ms !').toBe('-a');
      flush();
      expectSubscriptions(cycle.subscriptions).toBe(['^!']);
      expect(cycle.subscriptions).toHaveLength(1);
    });
  });
});
