import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';

/** A scheduler that delegates to `asyncScheduler` (virtual inside TestScheduler.run) and records every delay asked of it. */
export function recordingScheduler(): SchedulerLike & { delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    now: () => asyncScheduler.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
      delays.push(delay);
      return asyncScheduler.schedule(work, delay, state);
    },
  };
}
