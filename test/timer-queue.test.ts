import fc from 'fast-check';
import { asyncScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createTimerQueue } from '../src/scheduling/timer-queue.js';
import { testScheduler } from './helpers/marbles.js';

describe('the timer queue (every timer of a client on one scheduler action)', () => {
  it('fires each timer at its time, in scheduling order for equal times, never a cancelled one', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ delay: fc.integer({ min: 0, max: 50 }), cancelAt: fc.option(fc.integer({ min: 0, max: 60 })) }), { maxLength: 40 }), (timers) => {
        const fired: Array<[number, number]> = [];
        testScheduler().run(({ flush }) => {
          const queue = createTimerQueue(asyncScheduler);
          timers.forEach(({ delay, cancelAt }, index) => {
            const cancel = queue.schedule(() => fired.push([index, asyncScheduler.now()]), delay);
            if (cancelAt !== null) asyncScheduler.schedule(cancel, cancelAt);
          });
          flush();
        });
        const expected = timers.map((_timer, index) => ({ index }));
        // Every fired timer fired at its own delay, and the fired order is by (delay, index).
        for (const [index, at] of fired) expect(at).toBe(timers[index]!.delay);
        const sorted = [...fired].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
        expect(fired).toEqual(sorted);
        // A timer cancelled strictly before its time never fires; one never cancelled always does.
        for (const { index } of expected) {
          const { delay, cancelAt } = timers[index]!;
          if (cancelAt === null) expect(fired.some(([firedIndex]) => firedIndex === index)).toBe(true);
          else if (cancelAt < delay) expect(fired.some(([firedIndex]) => firedIndex === index)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('holds no scheduler action once every timer is cancelled or fired', () => {
    testScheduler().run(({ flush }) => {
      // Actions scheduled and neither run nor cancelled yet.
      const pending = new Set<object>();
      const scheduler = {
        now: () => asyncScheduler.now(),
        schedule: (work: () => void, delay?: number) => {
          const token = {};
          pending.add(token);
          const action = asyncScheduler.schedule(() => {
            pending.delete(token);
            work();
          }, delay);
          return { unsubscribe: () => (pending.delete(token), action.unsubscribe()), closed: false };
        },
      };
      const queue = createTimerQueue(scheduler as never);
      const cancel = queue.schedule(() => {}, 100);
      queue.schedule(() => {}, 50);
      cancel();
      flush();
      expect(pending.size).toBe(0);
      const again = queue.schedule(() => {}, 10);
      expect(pending.size).toBe(1);
      again();
      expect(pending.size).toBe(0);
    });
  });
});
