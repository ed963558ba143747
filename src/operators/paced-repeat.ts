import { defer, type MonoTypeOperatorFunction, repeat, type SchedulerLike, tap, timer } from 'rxjs';

/**
 * Settings of `pacedRepeat`.
 * @internal
 */
export interface PacedRepeatConfig<T> {
  /** How long to wait after an answer before the next cycle, in ms (the cadence). */
  delayAfter: (answer: T) => number;
  /** The client's timer heap: every wait is one of its entries. */
  scheduler: SchedulerLike;
}

/**
 * The pacing stage of a poll: subscribes to the source (one cycle: a GET that answers once), and again
 * `delayAfter(answer)` ms after each cycle completes, so requests never overlap (the next starts only
 * after the answer) and a slow answer is waited for rather than cancelled. Made of
 * `repeat({ delay: () => timer(ms, scheduler) })`, with a `tap` after it that works out the wait at
 * each answer (after `repeat`, it is subscribed once, not once per cycle). An error ends it (the retry stage, outside, resubscribes).
 * @internal
 */
export function pacedRepeat<T>(config: PacedRepeatConfig<T>): MonoTypeOperatorFunction<T> {
  const { delayAfter, scheduler } = config;
  return (source) =>
    defer(() => {
      // Worked out at the answer (the cadence reads the clock then); a cycle that completed without an
      // answer (none of the client's does) waits as long as the one before it.
      let wait = 0;
      return source.pipe(
        repeat({ delay: () => timer(wait, scheduler) }),
        tap((answer) => {
          wait = delayAfter(answer);
        }),
      );
    });
}
