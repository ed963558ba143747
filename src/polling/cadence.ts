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

/** Before enough try-ons were seen: Genlook's "about 10 s", lognormal with a sigma of 0.35. */
const PRIOR_MEDIAN = 10_000;
const PRIOR_SIGMA = 0.35;
/** The prior counts as this many observations. */
const PRIOR_WEIGHT = 8;
/** Durations remembered (the most recent). */
const MEMORY = 256;
/** Before this share of try-ons has ended, a poll is unlikely to find an outcome... */
const EARLY_QUANTILE = 0.05;
/** ...and the standard normal's quantile at that share. */
const EARLY_Z = -1.6448536;
/** An answer this much older than any duration seen, or from the future, has a clock not to trust. */
const TRUSTED_AGE = 24 * 60 * 60 * 1000;

/**
 * What a client has learned of how long try-ons take: the durations of the last 256 it saw end
 * (`updatedAt - createdAt` of a terminal answer, both on the server's clock; the hold of a creation that
 * waited), blended with a prior of about 10 s that weighs as eight of them.
 */
export class DurationModel {
  private readonly samples = new Float64Array(MEMORY);
  private count = 0;
  /** The early quantile, recomputed only after a new duration (it is read for every answer). */
  private early: number | undefined = undefined;

  /** Learns one duration, in ms. */
  observe(duration: number): void {
    if (!(duration > 0 && duration < TRUSTED_AGE)) return;
    this.samples[this.count % MEMORY] = duration;
    this.count++;
    this.early = undefined;
  }

  /** The age before which an outcome is unlikely: the 5% quantile of durations. */
  earlyAge(): number {
    return (this.early ??= this.quantile());
  }

  /** Learns from an answer: a terminal one tells how long its try-on took. */
  learn(answer: Generation): void {
    if (classifyStatus(answer.status) === 'pending') return;
    this.observe(Date.parse(answer.updatedAt) - Date.parse(answer.createdAt));
  }

  /** The early quantile of durations, in ms: the prior's while few were seen, blended after. */
  private quantile(): number {
    const seen = Math.min(this.count, MEMORY);
    const prior = PRIOR_MEDIAN * Math.exp(PRIOR_SIGMA * EARLY_Z);
    if (seen === 0) return prior;
    const sorted = Array.from(this.samples.subarray(0, seen)).sort((a, b) => a - b);
    const learned = sorted[Math.min(seen - 1, Math.floor(EARLY_QUANTILE * seen))]!;
    return (prior * PRIOR_WEIGHT + learned * seen) / (PRIOR_WEIGHT + seen);
  }
}

/**
 * The cadence of a client: where, in a try-on's life, a poll is worth its request. A poll goes
 * `pollInterval` after the previous answer, except early on: while a generation is younger than the age
 * at which 5% of try-ons have ended, the next poll waits until that age, but never longer than `maxGap`.
 * Requests are spent where an outcome is likely (an offline model of lognormal ~10 s try-ons: about 4
 * polls a generation against 6.7 at a fixed 2 s, at the same latency for the outcome), and no status
 * change goes unseen longer than `maxGap` plus a request. A generation's age comes from its `createdAt`
 * on the client's clock: one from the future or over a day old (virtual time in a test, a skewed
 * clock) gets the fixed interval.
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
    return Math.round(Math.min(options.maxGap, Math.max(options.pollInterval, this.model.earlyAge() - age)));
  }

  /**
   * A poll's priority in the budget (see `RateBudget.take`): `pollInterval` (it goes before polls that
   * asked up to one interval earlier) once the generation is old enough that an outcome is likely, else
   * 0. Bounded, so a generation still young is delayed, never starved.
   */
  priorityOf(answer: Generation | undefined, options: CadenceOptions, now: number): number {
    if (answer === undefined || !options.isAdaptive) return 0;
    const age = now - Date.parse(answer.createdAt);
    return age >= this.model.earlyAge() && age < TRUSTED_AGE ? options.pollInterval : 0;
  }
}
