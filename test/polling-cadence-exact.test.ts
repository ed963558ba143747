// Exact unit tests of src/polling/cadence.ts: the duration model's bounds, quantiles and learning, and
// the cadence's delays and priorities at their boundaries.
import { describe, expect, it } from 'vitest';
import { Cadence, DurationModel } from '../src/polling/cadence.js';
import { completed, failed, pending, processing } from '../src/testing/factories.js';

const DAY = 24 * 60 * 60 * 1000;
const at = (ms: number) => new Date(ms).toISOString();
/** The prior's quantile at a poll interval: five intervals, lognormal sigma 0.35. */
const prior = (pollInterval: number, z: number) => 5 * pollInterval * Math.exp(0.35 * z);
const EARLY_Z = -2.0537489;
/** The blend of the prior (weight 4) with `learned` over `seen` samples. */
const blend = (priorValue: number, learned: number, seen: number) => (priorValue * 4 + learned * seen) / (4 + seen);

describe('DurationModel.observe bounds', () => {
  it('ignores durations that are zero, negative, a day or more', () => {
    const model = new DurationModel();
    model.observe(0);
    model.observe(-1);
    model.observe(-5_000);
    model.observe(DAY);
    model.observe(DAY + 1);
    model.observe(Number.NaN);
    expect(model.observed).toBe(0);
    expect(model.earlyAge(2_000)).toBe(prior(2_000, EARLY_Z));
  });

  it('learns durations just inside the bounds (1 ms, a day minus 1 ms, 30 s, 2 min)', () => {
    const model = new DurationModel();
    model.observe(1);
    expect(model.observed).toBe(1);
    model.observe(DAY - 1);
    expect(model.observed).toBe(2);
    // Over 24 s (what a day computed as 24 * 60 / 60 * 1000 would be), still trusted.
    model.observe(30_000);
    model.observe(120_000);
    expect(model.observed).toBe(4);
  });
});

describe('DurationModel quantiles', () => {
  it('takes the median and p90 of the sorted samples, whatever order they came in', () => {
    const model = new DurationModel();
    // Ten samples, out of order: sorted 1000..10000; median index floor(0.5*10)=5 -> 6000, p90 index 9 -> 10000, early index 0 -> 1000.
    for (const d of [7_000, 3_000, 10_000, 1_000, 9_000, 5_000, 2_000, 8_000, 6_000, 4_000]) model.observe(d);
    expect(model.observed).toBe(10);
    const P = 1_000;
    expect(model.durations(P)).toEqual({ median: blend(prior(P, 0), 6_000, 10), p90: blend(prior(P, 1.2815516), 10_000, 10) });
    expect(model.earlyAge(P)).toBe(blend(prior(P, EARLY_Z), 1_000, 10));
  });

  it('sorts numerically, not by insertion or by a sum comparator', () => {
    const model = new DurationModel();
    // Descending insertion: an unsorted copy would put 50_000 at index 0 and 30_000 at the median.
    for (const d of [50_000, 40_000, 30_000, 20_000, 10_000]) model.observe(d);
    const P = 2_000;
    // sorted 10k..50k: early index 0 -> 10_000, median index 2 -> 30_000, p90 index 4 -> 50_000
    expect(model.earlyAge(P)).toBe(blend(prior(P, EARLY_Z), 10_000, 5));
    expect(model.durations(P).p90).toBe(blend(prior(P, 1.2815516), 50_000, 5));
    expect(model.durations(P).median).toBe(blend(prior(P, 0), 30_000, 5));
  });

  it('sorts a mix of orders (ascending start, then smaller values)', () => {
    const model = new DurationModel();
    for (const d of [3_000, 9_000, 1_000, 7_000]) model.observe(d);
    const P = 1_000;
    // sorted 1000, 3000, 7000, 9000: early 1000, median index 2 -> 7000, p90 index 3 -> 9000
    expect(model.earlyAge(P)).toBe(blend(prior(P, EARLY_Z), 1_000, 4));
    expect(model.durations(P)).toEqual({ median: blend(prior(P, 0), 7_000, 4), p90: blend(prior(P, 1.2815516), 9_000, 4) });
  });

  it('recomputes after a new duration (cache invalidated)', () => {
    const model = new DurationModel();
    model.observe(4_000);
    const P = 1_000;
    expect(model.durations(P).median).toBe(blend(prior(P, 0), 4_000, 1));
    model.observe(2_000);
    // sorted 2000, 4000: median index 1 -> 4000, early index 0 -> 2000
    expect(model.durations(P).median).toBe(blend(prior(P, 0), 4_000, 2));
    expect(model.earlyAge(P)).toBe(blend(prior(P, EARLY_Z), 2_000, 2));
  });
});

describe('DurationModel.learn', () => {
  it('learns nothing from pending answers', () => {
    const model = new DurationModel();
    model.learn(pending('g', { createdAt: at(0), updatedAt: at(5_000) }));
    model.learn(processing('g', { createdAt: at(0), updatedAt: at(5_000) }));
    expect(model.observed).toBe(0);
  });

  it('learns updatedAt - createdAt of terminal answers', () => {
    const model = new DurationModel();
    model.learn(completed('g', { createdAt: at(1_000_000), updatedAt: at(1_008_000) }));
    expect(model.observed).toBe(1);
    expect(model.durations(1_000).median).toBe(blend(prior(1_000, 0), 8_000, 1));
    model.learn(failed('h', 'X', 'x', { createdAt: at(2_000_000), updatedAt: at(2_003_000) }));
    expect(model.observed).toBe(2);
    expect(model.earlyAge(1_000)).toBe(blend(prior(1_000, EARLY_Z), 3_000, 2));
  });
});

describe('Cadence.delayAfter trust window', () => {
  const options = { pollInterval: 2_000.5, maxGap: 60_000, isAdaptive: true };
  it('an age of exactly a day gets the raw interval (untrusted), not the rounded adaptive one', () => {
    const cadence = new Cadence(new DurationModel());
    expect(cadence.delayAfter(pending('g', { createdAt: at(0) }), options, DAY)).toBe(2_000.5);
    expect(cadence.delayAfter(pending('g', { createdAt: at(0) }), options, DAY + 5)).toBe(2_000.5);
    expect(cadence.delayAfter(pending('g', { createdAt: at(10) }), options, 0)).toBe(2_000.5);
  });

  it('an age just under a day (and over 24 s) is trusted: rounded up', () => {
    const cadence = new Cadence(new DurationModel());
    expect(cadence.delayAfter(pending('g', { createdAt: at(0) }), options, DAY - 1)).toBe(2_001);
    expect(cadence.delayAfter(pending('g', { createdAt: at(0) }), options, 30_000)).toBe(2_001);
    expect(cadence.delayAfter(pending('g', { createdAt: at(0) }), options, 0)).toBe(Math.ceil(prior(2_000.5, EARLY_Z) + 0.95 * 2_000.5));
  });
});

describe('Cadence.priorityOf', () => {
  const options = { pollInterval: 2_000, maxGap: 60_000, isAdaptive: true };
  it('is 0 with no answer, and 0 when not adaptive', () => {
    const cadence = new Cadence(new DurationModel());
    expect(cadence.priorityOf(undefined, options, 10_000)).toBe(0);
    expect(cadence.priorityOf(pending('g', { createdAt: at(0) }), { ...options, isAdaptive: false }, 10_000)).toBe(0);
  });

  it('is pollInterval from exactly the early age, 0 before it', () => {
    const model = new DurationModel();
    const cadence = new Cadence(model);
    const early = model.earlyAge(2_000);
    const answer = pending('g', { createdAt: at(0) });
    expect(cadence.priorityOf(answer, options, early)).toBe(2_000);
    expect(cadence.priorityOf(answer, options, early + 1)).toBe(2_000);
    expect(cadence.priorityOf(answer, options, 10_000)).toBe(2_000);
    expect(cadence.priorityOf(answer, options, early - 0.001)).toBe(0);
    expect(cadence.priorityOf(answer, options, 0)).toBe(0);
    expect(cadence.priorityOf(answer, options, 1_000)).toBe(0);
  });

  it('uses the age relative to createdAt (a generation created late is young)', () => {
    const cadence = new Cadence(new DurationModel());
    const answer = pending('g', { createdAt: at(1_000_000) });
    expect(cadence.priorityOf(answer, options, 1_001_000)).toBe(0);
    expect(cadence.priorityOf(answer, options, 1_010_000)).toBe(2_000);
  });

  it('is 0 from an age of a day (untrusted), pollInterval just under', () => {
    const cadence = new Cadence(new DurationModel());
    const answer = pending('g', { createdAt: at(0) });
    expect(cadence.priorityOf(answer, options, DAY)).toBe(0);
    expect(cadence.priorityOf(answer, options, DAY + 1_000)).toBe(0);
    expect(cadence.priorityOf(answer, options, DAY - 1)).toBe(2_000);
    expect(cadence.priorityOf(answer, options, 30_000)).toBe(2_000);
  });
});
