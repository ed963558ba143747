import { classifyStatus } from '../model/generation-status.js';
import type { Generation } from '../model/schemas.js';

/** How a client spaces the polls of one generation. */
export interface CadenceOptions {
  /** The poll interval where an outcome is likely, in ms. */
  pollInterval: number;
  /** The longest gap between two polls: the bound on how long a status change can go unseen, in ms. */
  maxGap: number;
  /** `false`: every poll `pollInterval` after the previous answer (no model). */
  isAdaptive: boolean;
}

/**
 * Before try-ons were seen: Genlook pairs a 2 s poll with "about 10 s" try-ons, so the prior's median is
 * five poll intervals (scale-free: a time-compressed test or benchmark keeps the same shape), lognormal
 * with a sigma of 0.35, and it counts as four observations.
 */
const PRIOR_INTERVALS = 5;
const PRIOR_SIGMA = 0.35;
const PRIOR_WEIGHT = 4;
/** Durations remembered (the most recent). */
const MEMORY = 256;
/** Before this share of try-ons has ended, a poll is unlikely to find an outcome (and its standard normal quantile). */
const EARLY_QUANTILE = 0.02;
const EARLY_Z = -2.0537489;
/**
 * The first poll goes this share of `pollInterval` past the early age (an outcome after that age is
 * then seen within 0.95 of an interval); the polls after it go `pollInterval` apart, since
 * `pollInterval` is a floor (the API's recommended cadence: no id is read more often), so the cadence
 * only stretches gaps, never shortens one. docs/capacity.md has what this costs and saves.
 */
const FIRST_POLL_GAPS = 0.95;
type Quantile = 'early' | 'median' | 'p90';
const PRIOR_Z: Record<Quantile, number> = { early: EARLY_Z, median: 0, p90: 1.2815516 };

/** An answer this much older than any duration seen, or from the future, has a clock not to trust. */
const TRUSTED_AGE = 24 * 60 * 60 * 1000;

/**
 * What a client has learned of how long try-ons take: the durations of the last 256 it saw end
 * (`updatedAt - createdAt` of a terminal answer, both on the server's clock; the hold of a creation that
 * waited), blended with a prior of five poll intervals that weighs as four of them.
 */
export class DurationModel {
  private readonly samples = new Float64Array(MEMORY);
  private count = 0;
  /** Quantiles of what was seen, recomputed only after a new duration (they are read for every answer). */
  private learned: Record<Quantile, number> | undefined = undefined;

  /** Learns one duration, in ms. */
  observe(duration: number): void {
    if (!(duration > 0 && duration < TRUSTED_AGE)) return;
    this.samples[this.count % MEMORY] = duration;
    this.count++;
    this.learned = undefined;
  }

  /** The age before which an outcome is unlikely: the 2% quantile of durations, for polls every `pollInterval`. */
  earlyAge(pollInterval: number): number {
    return this.blend(pollInterval, 'early');
  }

  /** The age of a generation's first poll worth its request (see `Cadence`). */
  firstPollAge(pollInterval: number): number {
    return this.earlyAge(pollInterval) + FIRST_POLL_GAPS * pollInterval;
  }

  /** How many polls a try-on followed from its start is expected to take: the first, those to the median, the last. */
  expectedPolls(pollInterval: number): number {
    return 2 + Math.max(0, this.blend(pollInterval, 'median') - this.firstPollAge(pollInterval)) / pollInterval;
  }

  /** How long a try-on takes, as far as this client knows: the median and the 90% quantile, in ms (for estimates). */
  durations(pollInterval: number): { median: number; p90: number } {
    return { median: this.blend(pollInterval, 'median'), p90: this.blend(pollInterval, 'p90') };
  }

  /** How many finished try-ons the model has learned from (at most the 256 it remembers). */
  get observed(): number {
    return Math.min(this.count, MEMORY);
  }

  /** The prior's quantile while nothing was seen, then blended with what was, weighed by how much. */
  private blend(pollInterval: number, which: Quantile): number {
    const prior = PRIOR_INTERVALS * pollInterval * Math.exp(PRIOR_SIGMA * PRIOR_Z[which]);
    const seen = Math.min(this.count, MEMORY);
    if (seen === 0) return prior;
    if (this.learned === undefined) {
      const sorted = Array.from(this.samples.subarray(0, seen)).sort((a, b) => a - b);
      const at = (share: number) => sorted[Math.min(seen - 1, Math.floor(share * seen))]!;
      this.learned = { early: at(EARLY_QUANTILE), median: at(0.5), p90: at(0.9) };
    }
    return (prior * PRIOR_WEIGHT + this.learned[which] * seen) / (PRIOR_WEIGHT + seen);
  }

  /** Learns from an answer: a terminal one tells how long its try-on took. */
  learn(answer: Generation): void {
    if (classifyStatus(answer.status) === 'pending') return;
    this.observe(Date.parse(answer.updatedAt) - Date.parse(answer.createdAt));
  }
}

/**
 * The cadence of a client: where, in a try-on's life, a poll is worth its request. `pollInterval` is a
 * floor: every gap is at least that long. Once outcomes are likely (from the age at which 2% of try-ons
 * have ended), polls go every `pollInterval`; a generation younger than that is next polled 0.95 of an
 * interval past that age (6.8 s before any try-on was seen, at a 2 s interval), which skips the polls
 * that could not find an outcome. No gap is longer than `maxGap`, so no status change goes unseen
 * longer than `maxGap` plus a request. A generation's age comes from its `createdAt` on the client's
 * clock: one from the future or over a day old (virtual time in a test, a skewed clock) gets the fixed
 * interval.
 */
export class Cadence {
  constructor(readonly model: DurationModel) {}

  /** The wait after `answer` before the next poll, in ms; learns from terminal answers. */
  delayAfter(answer: Generation, options: CadenceOptions, now: number): number {
    if (classifyStatus(answer.status) !== 'pending') {
      this.model.learn(answer);
      return options.pollInterval;
    }
    if (!options.isAdaptive) return options.pollInterval;
    const age = now - Date.parse(answer.createdAt);
    if (!(age >= 0 && age < TRUSTED_AGE)) return options.pollInterval;
    const { pollInterval } = options;
    // Never under pollInterval (maxGap is at least it): rounded up, so a fractional interval stays a floor.
    return Math.ceil(Math.min(options.maxGap, Math.max(pollInterval, this.model.firstPollAge(pollInterval) - age)));
  }

  /**
   * A poll's priority in the budget (see `RateBudget.take`): `pollInterval` (it goes before polls that
   * asked up to one interval earlier) once the generation is old enough that an outcome is likely, else
   * 0 (the early age: 2% of try-ons have ended). Bounded, so a generation still young is delayed, never starved.
   */
  priorityOf(answer: Generation | undefined, options: CadenceOptions, now: number): number {
    if (answer === undefined || !options.isAdaptive) return 0;
    const age = now - Date.parse(answer.createdAt);
    return age >= this.model.earlyAge(options.pollInterval) && age < TRUSTED_AGE ? options.pollInterval : 0;
  }
}
