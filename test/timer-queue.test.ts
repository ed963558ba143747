import fc from 'fast-check';
import { asyncScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createTimerQueue } from '../src/scheduling/timer-queue.js';
import { testScheduler } from './helpers/marbles.js';

describe('the timer queue (every timer of a client on one scheduler action)', () => {
  it('reuses an entry the caller owns: restarted after it fired or after a cancel, it fires once per start', () => {
    // Operations at even times, odd delays: a firing and an operation never share a moment.
    const op = fc.record({ at: fc.integer({ min: 0, max: 50 }).map((n) => n * 2), kind: fc.constantFrom('start', 'cancel'), delay: fc.integer({ min: 0, max: 15 }).map((n) => n * 2 + 1) });
    fc.assert(
      fc.property(fc.uniqueArray(op, { selector: (o) => o.at, maxLength: 30 }), (ops) => {
        const sorted = [...ops].sort((a, b) => a.at - b.at);
        // The model: one pending due time at most.
        const expected: number[] = [];
        let pending: number | undefined;
        for (const { at, kind, delay } of sorted) {
          if (pending !== undefined && pending < at) (expected.push(pending), (pending = undefined));
          if (kind === 'cancel') pending = undefined;
          else pending ??= at + delay;
        }
        if (pending !== undefined) expected.push(pending);
        const fired: number[] = [];
        testScheduler().run(({ flush }) => {
          const queue = createTimerQueue(asyncScheduler);
          const entry = { due: 0, order: 0, callback: undefined as ((self: unknown) => void) | undefined, index: -1 };
          const onFire = (self: unknown) => {
            expect(self).toBe(entry);
            fired.push(asyncScheduler.now());
          };
          for (const { at, kind, delay } of sorted) {
            asyncScheduler.schedule(() => {
              if (kind === 'cancel') queue.cancel(entry);
              else if (entry.callback === undefined) queue.start(entry, onFire, delay);
            }, at);
          }
          flush();
        });
        expect(fired).toEqual(expected);
      }),
    );
  });

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
