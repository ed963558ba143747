import { BehaviorSubject, concat, distinctUntilChanged, map, type Observable, of, type SchedulerLike, switchMap, timer } from 'rxjs';
import { isTransientError } from '../model/errors/guards.js';

/**
 * Whether the API is answering, as the client's own requests found it (`genlook.health$`):
 * - `ok`: the last request had an answer (a generation, or an answer such as 404 or 429: the API is up);
 * - `retrying`: requests fail with a network error, a request timeout or a 5xx since `since` (epoch ms on
 *   the client's scheduler); `code` is the last failure's (`NETWORK_ERROR`, `REQUEST_TIMEOUT`,
 *   `SERVER_ERROR`, ...). Watches ride it out: they retry with backoff;
 * - `down`: the same, and the last answer is older than `retry.giveUpAfter` (2 minutes): watches give
 *   up from now on.
 */
export type ConnectionHealth = { status: 'ok' } | { status: 'retrying' | 'down'; since: number; code: string };

/** The client's side of its health: what each request's end tells it, and the stream of states. */
export interface HealthMonitor {
  /** One request ended: `error` when it failed, else `undefined`. Cheap when nothing changes (the common case). */
  report(error: unknown): void;
  readonly health$: Observable<ConnectionHealth>;
  close(): void;
}

const OK: ConnectionHealth = { status: 'ok' };

/** The state behind `health$`: the public health, and when a `retrying` becomes `down`. */
interface State {
  health: ConnectionHealth;
  downAt: number;
}

/**
 * Keeps the health of the client's requests. The state changes only on a request's end (no timer while
 * `ok`). `health$` turns a `retrying` state into `down` once `downAfter` ms have passed since the last
 * answer, when a watch gives up too (its `giveUpAfter` counts from its last good answer), with a timer on
 * the client's scheduler that lives only while a subscriber watches a `retrying` state.
 */
export function createHealthMonitor(scheduler: SchedulerLike, downAfter: number): HealthMonitor {
  const state = new BehaviorSubject<State>({ health: OK, downAt: Infinity });
  let lastAnswerAt = scheduler.now();
  const same = (a: ConnectionHealth, b: ConnectionHealth) => a.status === b.status && (a.status === 'ok' || (b.status !== 'ok' && a.since === b.since && a.code === b.code));
  return {
    report(error) {
      const { health, downAt } = state.value;
      // A 429 is an answer: the API is up, the budget is what waits.
      const isFailure = error !== undefined && isTransientError(error) && error.code !== 'RATE_LIMITED';
      if (!isFailure) {
        lastAnswerAt = scheduler.now();
        if (health.status !== 'ok') state.next({ health: OK, downAt: Infinity });
        return;
      }
      const { code } = error;
      if (health.status === 'ok') state.next({ health: { status: 'retrying', since: scheduler.now(), code }, downAt: lastAnswerAt + downAfter });
      else if (health.code !== code) state.next({ health: { ...health, code }, downAt });
    },
    health$: state.pipe(
      switchMap(({ health, downAt }) => {
        if (health.status === 'ok') return of(health);
        const left = downAt - scheduler.now();
        const down: ConnectionHealth = { ...health, status: 'down' };
        return left <= 0 ? of(down) : concat(of(health), timer(left, scheduler).pipe(map(() => down)));
      }),
      distinctUntilChanged(same),
    ),
    close: () => state.complete(),
  };
}
