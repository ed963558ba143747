import { asyncScheduler, type SchedulerLike } from 'rxjs';

/**
 * A scheduler over `asyncScheduler` (virtual inside `TestScheduler.run`) that counts what is asked of it:
 * `pending`, the actions scheduled and neither run nor cancelled yet; `armed.count`, every `schedule` call.
 * (test/helpers/recording-scheduler.ts records the delays instead.)
 */
export function countingScheduler() {
  const pending = new Set<object>();
  const armed = { count: 0 };
  const scheduler: SchedulerLike = {
    now: () => asyncScheduler.now(),
    schedule: (work: () => void, delay?: number) => {
      const token = {};
      armed.count++;
      pending.add(token);
      const action = asyncScheduler.schedule(() => {
        pending.delete(token);
        work();
      }, delay);
      return Object.assign(action, { unsubscribe: ((original) => () => (pending.delete(token), original.call(action)))(action.unsubscribe) });
    },
  } as never;
  return { scheduler, pending, armed };
}
