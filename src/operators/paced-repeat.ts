import { type MonoTypeOperatorFunction, repeat, type SchedulerLike, timer } from 'rxjs';

/**
 * Settings of `pacedRepeat`.
 * @internal
 */
export interface PacedRepeatConfig {
  /**
   * How long to wait, from the end of a cycle, before the next one, in ms: the cadence, read at each
   * cycle's end, so it can depend on the answer the cycle gave (the caller keeps it).
   */
  delay: () => number;
  /** The client's timer heap: every wait is one of its entries. */
  scheduler: SchedulerLike;
}

/**
 * The pacing stage of a poll: subscribes to the source (one cycle: a GET that answers once, then
 * completes), and again `delay()` ms after each cycle completes, so requests never overlap (the next
 * starts only after the answer) and a slow answer is waited for rather than cancelled. It is
 * `repeat({ delay: () => timer(delay(), scheduler) })`: while a watch waits, it holds only the repeat
 * and its timer (one entry of the client's timer heap). An error ends it (the retry stage, outside,
 * resubscribes).
 * @internal
 */
export function pacedRepeat<T>(config: PacedRepeatConfig): MonoTypeOperatorFunction<T> {
  const { delay, scheduler } = config;
  return repeat<T>({ delay: () => timer(delay(), scheduler) });
}
