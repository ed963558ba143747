import fc from 'fast-check';
import { asyncScheduler, map, repeat, type SchedulerLike, take, timer, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createTimerHeapScheduler } from '../src/scheduling/timer-heap-scheduler.js';
import { testScheduler } from './helpers/marbles.js';
import { countingScheduler } from './helpers/counting-scheduler.js';

describe('the timer heap scheduler (every delay of a client on one scheduler action)', () => {
  it('fires each action at its time, in scheduling order for equal times, never a cancelled one', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ delay: fc.integer({ min: 0, max: 50 }), cancelAt: fc.option(fc.integer({ min: 0, max: 60 })) }), { maxLength: 40 }), (timers) => {
        const fired: Array<[number, number]> = [];
        testScheduler().run(({ flush }) => {
          const scheduler = createTimerHeapScheduler(asyncScheduler);
          timers.forEach(({ delay, cancelAt }, index) => {
            const action = scheduler.schedule(() => fired.push([index, asyncScheduler.now()]), delay);
            if (cancelAt !== null) asyncScheduler.schedule(() => action.unsubscribe(), cancelAt);
          });
          flush();
        });
        for (const [index, at] of fired) expect(at).toBe(timers[index]!.delay);
        expect(fired).toEqual([...fired].sort((a, b) => a[1] - b[1] || a[0] - b[0]));
        timers.forEach(({ delay, cancelAt }, index) => {
          const didFire = fired.some(([firedIndex]) => firedIndex === index);
          if (cancelAt === null) expect(didFire).toBe(true);
          else if (cancelAt < delay) expect(didFire).toBe(false);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('runs an action that reschedules itself (as `timer(0, period)` does) once per period, like asyncScheduler', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 8 }), (due, period, count) => {
        const run = (scheduler: SchedulerLike) => {
          let seen: number[] = [];
          testScheduler().run(({ flush }) => {
            timer(due, period, scheduler)
              .pipe(take(count), map(() => asyncScheduler.now()), toArray())
              .subscribe((times) => (seen = times));
            flush();
          });
          return seen;
        };
        expect(run(createTimerHeapScheduler(asyncScheduler))).toEqual(run(asyncScheduler));
      }),
    );
  });

  it('drives repeat({ delay }) and holds one underlying action for many timers, none once they are done', () => {
    testScheduler().run(({ flush }) => {
      const { scheduler: base, pending } = countingScheduler();
      const scheduler = createTimerHeapScheduler(base);
      const ticks: number[] = [];
      for (let index = 0; index < 100; index++) {
        timer(10 + index, scheduler)
          .pipe(repeat({ count: 3, delay: () => timer(5, scheduler) }))
          .subscribe(() => ticks.push(asyncScheduler.now()));
      }
      expect(scheduler.size).toBe(100);
      expect(pending.size).toBe(1);
      flush();
      expect(ticks).toHaveLength(300);
      expect(scheduler.size).toBe(0);
      expect(pending.size).toBe(0);
    });
  });

  it('cancels the underlying action once every timer is cancelled, and clear() drops everything', () => {
    testScheduler().run(() => {
      const { scheduler: base, pending } = countingScheduler();
      const scheduler = createTimerHeapScheduler(base);
      const first = scheduler.schedule(() => {}, 100);
      const second = scheduler.schedule(() => {}, 50);
      first.unsubscribe();
      second.unsubscribe();
      expect(pending.size).toBe(0);
      let fired = false;
      scheduler.schedule(() => (fired = true), 10);
      expect(pending.size).toBe(1);
      scheduler.clear();
      expect(pending.size).toBe(0);
      expect(scheduler.size).toBe(0);
      expect(fired).toBe(false);
    });
  });

  it('an action rescheduling itself with no delay waits for the next wake-up instead of holding the loop', () => {
    testScheduler().run(({ flush }) => {
      const scheduler = createTimerHeapScheduler(asyncScheduler);
      let runs = 0;
      scheduler.schedule(function (this: { schedule(state?: unknown, delay?: number): unknown }) {
        if (++runs < 5) this.schedule(undefined, 0);
      }, 0);
      flush();
      expect(runs).toBe(5);
    });
  });

  it('runs every due action even when one throws, then rethrows the first error', () => {
    testScheduler().run(({ flush }) => {
      const scheduler = createTimerHeapScheduler(asyncScheduler);
      const ran: string[] = [];
      scheduler.schedule(() => {
        ran.push('a');
        throw new Error('first');
      }, 5);
      scheduler.schedule(() => {
        ran.push('b');
        throw new Error('second');
      }, 5);
      scheduler.schedule(() => ran.push('c'), 5);
      expect(() => flush()).toThrow('first');
      expect(ran).toEqual(['a', 'b', 'c']);
    });
  });

  it('an action is closed once it ran without rescheduling, and unsubscribing closes it and runs its teardowns', () => {
    testScheduler().run(({ flush }) => {
      const scheduler = createTimerHeapScheduler(asyncScheduler);
      const done = scheduler.schedule(() => {}, 5);
      const cancelled = scheduler.schedule(() => {}, 5);
      let tornDown = false;
      cancelled.add(() => (tornDown = true));
      cancelled.unsubscribe();
      expect(cancelled.closed).toBe(true);
      expect(tornDown).toBe(true);
      flush();
      expect(done.closed).toBe(true);
    });
  });

  it('rescheduling a pending action moves it (it runs once), and rescheduling a cancelled one does nothing', () => {
    testScheduler().run(({ flush }) => {
      const scheduler = createTimerHeapScheduler(asyncScheduler);
      const fired: number[] = [];
      const action = scheduler.schedule(() => fired.push(asyncScheduler.now()), 10) as unknown as { schedule(state?: unknown, delay?: number): unknown };
      action.schedule(undefined, 20);
      expect(scheduler.size).toBe(1);
      const cancelled = scheduler.schedule(() => fired.push(-1), 5) as unknown as { schedule(state?: unknown, delay?: number): unknown; unsubscribe(): void };
      cancelled.unsubscribe();
      cancelled.schedule(undefined, 5);
      expect(scheduler.size).toBe(1);
      flush();
      expect(fired).toEqual([20]);
    });
  });

  it('clear() closes every pending action, running its teardowns', () => {
    testScheduler().run(() => {
      const scheduler = createTimerHeapScheduler(asyncScheduler);
      const action = scheduler.schedule(() => {}, 10);
      let tornDown = false;
      action.add(() => (tornDown = true));
      scheduler.clear();
      expect(action.closed).toBe(true);
      expect(tornDown).toBe(true);
    });
  });

  it('an action rescheduled with no delay lets what else is due on the underlying scheduler run first', () => {
    testScheduler().run(({ flush }) => {
      const scheduler = createTimerHeapScheduler(asyncScheduler);
      const events: string[] = [];
      let runs = 0;
      scheduler.schedule(function (this: { schedule(state?: unknown, delay?: number): unknown }) {
        events.push(`heap ${++runs}`);
        if (runs < 3) this.schedule(undefined, 0);
      }, 0);
      asyncScheduler.schedule(() => events.push('other'), 0);
      flush();
      expect(events).toEqual(['heap 1', 'other', 'heap 2', 'heap 3']);
    });
  });

  it('arms the underlying scheduler once per wake-up of a periodic timer', () => {
    testScheduler().run(({ flush }) => {
      const { scheduler: base, armed } = countingScheduler();
      const scheduler = createTimerHeapScheduler(base);
      const ticks: number[] = [];
      timer(0, 10, scheduler)
        .pipe(take(5))
        .subscribe(() => ticks.push(asyncScheduler.now()));
      flush();
      expect(ticks).toEqual([0, 10, 20, 30, 40]);
      expect(armed.count).toBe(5);
    });
  });

  it('never arms the underlying scheduler for an entry due at Infinity (Node would wake every millisecond for it)', () => {
    testScheduler().run(({ flush }) => {
      const { scheduler: base, armed } = countingScheduler();
      const scheduler = createTimerHeapScheduler(base);
      const fired: number[] = [];
      const never = scheduler.schedule(() => fired.push(Infinity), Infinity);
      expect(armed.count).toBe(0);
      scheduler.schedule(() => fired.push(asyncScheduler.now()), 10);
      flush();
      // The finite one armed once and ran; after it, nothing was armed for the one due at Infinity.
      expect(fired).toEqual([10]);
      expect(armed.count).toBe(1);
      expect(never.closed).toBe(false);
      never.unsubscribe();
    });
  });

  it('cancelling a timer deep in the heap leaves the others firing at their times', () => {
    testScheduler().run(({ flush }) => {
      const scheduler = createTimerHeapScheduler(asyncScheduler);
      const fired: Array<[number, number]> = [];
      // Found by search: removing the 16 moves the last entry (5) under a later one; it must sift up.
      const actions = [13, 16, 14, 14, 11, 8, 5].map((delay) => scheduler.schedule(() => fired.push([delay, asyncScheduler.now()]), delay));
      actions[1]!.unsubscribe();
      flush();
      expect(fired).toEqual([5, 8, 11, 13, 14, 14].map((delay) => [delay, delay]));
    });
  });
});
