import { asyncScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { completed, createTestGenlook, pending } from '../src/testing/index.js';
import { testScheduler } from './helpers/marbles.js';

const at = (ms: number) => new Date(ms).toISOString();

describe('genlook.estimate(generation): when a pending try-on is likely to end', () => {
  it('before any try-on ended: the prior, five poll intervals (10 s at 2 s) as the median, its 90% quantile 15.7 s', () => {
    testScheduler().run(() => {
      const { genlook } = createTestGenlook({ timelines: {} });
      const estimate = genlook.estimate(pending('g1'));
      expect(estimate).toMatchObject({ isEstimate: true, progress: 0, basedOn: 0, endsAt: { median: 10_000 } });
      expect(estimate.endsAt.p90).toBeCloseTo(10_000 * Math.exp(0.35 * 1.2815516), 0);
      expect(estimate.duration.median).toBe(10_000);
    });
  });

  it('learns from the try-ons it saw end: eight of 4 s weigh against the prior as 8 to 4 (a median of 6 s)', () => {
    testScheduler().run(({ flush }) => {
      const ids = Array.from({ length: 8 }, (_, index) => `d${index}`);
      const timelines = Object.fromEntries(ids.map((id) => [id, [{ at: 0, answer: completed(id, { updatedAt: at(4_000) }) }]]));
      const { genlook } = createTestGenlook({ timelines });
      for (const id of ids) genlook.generation$(id).subscribe();
      flush();
      const estimate = genlook.estimate(pending('g1', { createdAt: at(0) }));
      expect(estimate.basedOn).toBe(8);
      expect(estimate.duration.median).toBe(6_000);
      expect(estimate.endsAt.median).toBe(6_000);
    });
  });

  it('moves with the clock: progress is the time since createdAt over the median, at most 0.95 while pending; never an end before now', () => {
    testScheduler().run(({ flush }) => {
      const { genlook } = createTestGenlook({ timelines: {} });
      const seen: Array<[number, number, number]> = [];
      for (const time of [2_500, 5_000, 30_000]) asyncScheduler.schedule(() => {
        const estimate = genlook.estimate(pending('g1'));
        seen.push([time, estimate.progress, estimate.endsAt.median]);
      }, time);
      flush();
      expect(seen).toEqual([[2_500, 0.25, 10_000], [5_000, 0.5, 10_000], [30_000, 0.95, 30_000]]);
    });
  });

  it('a finished generation is done: progress 1, ended when it was last updated', () => {
    testScheduler().run(() => {
      const { genlook } = createTestGenlook({ timelines: {} });
      expect(genlook.estimate(completed('g1', { updatedAt: at(7_000) }))).toMatchObject({ progress: 1, endsAt: { median: 7_000, p90: 7_000 } });
    });
  });

  it('a createdAt it cannot trust (in the future, or over a day old) counts from now', () => {
    testScheduler().run(() => {
      const { genlook } = createTestGenlook({ timelines: {} });
      expect(genlook.estimate(pending('g1', { createdAt: at(60_000) }))).toMatchObject({ progress: 0, endsAt: { median: 10_000 } });
    });
  });
});
