import { takeUntil, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createTestGenlook, pending } from '../src/testing/index.js';
import { testScheduler } from './helpers/marbles.js';

describe('the testing kit stops a runaway flush', () => {
  it('a poll nobody bounded ends the run after one virtual hour, with an error that says how to bound it', () => {
    let requests: readonly unknown[] = [];
    const run = () =>
      testScheduler().run(() => {
        const test = createTestGenlook({ cadence: 'fixed', timelines: { g1: [{ at: 0, answer: pending('g1') }] } });
        requests = test.requests;
        test.genlook.generation$('g1').subscribe();
        test.genlook.generation$('g1').subscribe();
      });
    expect(run).toThrow(/a poll of 'g1' went out at \d+ virtual ms, past the test horizon \(3600000 ms\).*Bound it: an unsubscription marble/);
    // One poll every 2 s (one loop for both subscribers): 1,801 from 0 to 3,600,000 ms, and the one past it.
    expect(requests.length).toBe(1_802);
  });

  it('the horizon is an option, and a bounded stream never meets it', () => {
    const run = (horizon: number) =>
      testScheduler().run(({ flush }) => {
        const { genlook, requests } = createTestGenlook({ cadence: 'fixed', horizon, timelines: { g1: [{ at: 0, answer: pending('g1') }] } });
        genlook.generation$('g1').pipe(takeUntil(timer(30_000))).subscribe();
        flush();
        return requests.length;
      });
    expect(() => run(10_000)).toThrow(/past the test horizon \(10000 ms\)/);
    expect(run(60_000)).toBe(15);
    expect(() => createTestGenlook({ horizon: 0 })).toThrow('Expected `horizon` to be a positive number of virtual ms, got 0');
  });
});
