import { classifyStatus } from '../model/generation-status.js';
import type { Generation } from '../model/schemas.js';
import type { DurationModel } from '../polling/cadence.js';

/**
 * When a generation is likely to end, from the durations this client has seen (`genlook.estimate`):
 * an estimate for a progress bar or an ETA, never a promise. Times are epoch ms on the client's clock.
 */
export interface GenerationEstimate {
  /** Always `true`: a figure from past try-ons, never a promise of this one. */
  isEstimate: true;
  /**
   * When half (`median`) and nine in ten (`p90`) of try-ons like it have ended. Never before `now` while
   * it is pending (one past the median ends "any moment now"); for a finished one, when it ended.
   */
  endsAt: { median: number; p90: number };
  /**
   * Share done, 0 to 1: the time since `createdAt` over the median duration, at most 0.95 while pending
   * (it never claims to be done), 1 once finished.
   */
  progress: number;
  /** The try-on durations it is based on (ms): the median and the 90% quantile. */
  duration: { median: number; p90: number };
  /** How many finished try-ons it learned from; 0 while it knows only its prior (five poll intervals). */
  basedOn: number;
}

/** A day: a `createdAt` older than that, or in the future, is a clock not to trust (the age counts as 0). */
const TRUSTED_AGE = 24 * 60 * 60 * 1000;
const MAX_PENDING_PROGRESS = 0.95;

/** The estimate of `generation` at `now`, from `model` at the client's `pollInterval` (its prior's scale). */
export function estimateGeneration(generation: Generation, model: DurationModel, pollInterval: number, now: number): GenerationEstimate {
  const duration = model.durations(pollInterval);
  const basedOn = model.observed;
  if (classifyStatus(generation.status) !== 'pending') {
    const ended = Date.parse(generation.updatedAt);
    const at = Number.isFinite(ended) ? ended : now;
    return { isEstimate: true, endsAt: { median: at, p90: at }, progress: 1, duration, basedOn };
  }
  const created = Date.parse(generation.createdAt);
  const age = now - created;
  const start = Number.isFinite(age) && age >= 0 && age < TRUSTED_AGE ? created : now;
  return {
    isEstimate: true,
    endsAt: { median: Math.max(now, start + duration.median), p90: Math.max(now, start + duration.p90) },
    progress: Math.min(MAX_PENDING_PROGRESS, (now - start) / duration.median),
    duration,
    basedOn,
  };
}
