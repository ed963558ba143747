import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';
import { MinHeap } from './min-heap.js';

/**
 * An RxJS scheduler whose every pending action sits in one binary heap of due times, served by a single
 * action on the scheduler underneath (`asyncScheduler`, or `TestScheduler`'s virtual time). `timer`,
 * `repeat({ delay })`, `retry({ delay })` and request timeouts given this scheduler cost a heap entry,
 * not a runtime timer: ten thousand watched ids hold one `setInterval`, not ten thousand. The underlying
 * action is re-armed only when an earlier entry arrives and cancelled when the heap empties, so an idle
 * client holds no timer and nothing keeps the process alive.
 */
export interface TimerHeapScheduler extends SchedulerLike {
  /** Cancels every pending action (a client's `close()`). */
  clear(): void;
  /** Actions pending now. */
  readonly size: number;
}

/** One entry of the heap: an RxJS `SchedulerAction`, like `AsyncAction` but without a timer of its own. */
class HeapAction<T> extends Subscription implements SchedulerAction<T> {
  due = 0;
  /** Ties on `due` run in scheduling order. */
  order = 0;
  /** Position in the heap, -1 when not pending: a cancelled action leaves the heap at once. */
  index = -1;
  state: T | undefined = undefined;

  constructor(
    private readonly queue: TimerHeap,
    private work: ((this: SchedulerAction<T>, state?: T) => void) | undefined,
  ) {
    super();
  }

  /** Schedules (or, from within its own work, reschedules) the action, as RxJS actions do. */
  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.state = state;
    this.queue.enqueue(this as HeapAction<unknown>, delay);
    return this;
  }

  /** Runs the work; an action that did not reschedule itself is done. */
  execute(): void {
    const work = this.work;
    if (work === undefined) return;
    try {
      work.call(this, this.state);
    } finally {
      if (this.index === -1) this.unsubscribe();
    }
  }

  override unsubscribe(): void {
    if (this.closed) return;
    this.queue.remove(this as HeapAction<unknown>);
    this.work = this.state = undefined;
    super.unsubscribe();
  }
}

/** The heap, and the one underlying action that serves it. */
class TimerHeap {
  private readonly heap = new MinHeap<HeapAction<unknown>>((a, b) => a.due < b.due || (a.due === b.due && a.order < b.order));
  private order = 0;
  private action: Subscription | undefined;
  private actionDue = Infinity;

  constructor(private readonly base: SchedulerLike) {}

  get size(): number {
    return this.heap.size;
  }

  enqueue(entry: HeapAction<unknown>, delay: number): void {
    this.heap.remove(entry);
    entry.due = this.base.now() + Math.max(0, delay);
    entry.order = this.order++;
    this.heap.push(entry);
    if (entry.due < this.actionDue) this.arm();
  }

  remove(entry: HeapAction<unknown>): void {
    this.heap.remove(entry);
    // The underlying action is kept (a spurious wake-up costs less than re-arming), unless nothing is left.
    if (this.heap.size === 0) this.arm();
  }

  clear(): void {
    for (const entry of this.heap.drain()) entry.unsubscribe();
    this.arm();
  }

  /**
   * Runs every due entry, in order; an error thrown by one is rethrown after the others ran. Entries
   * scheduled while it runs wait for the next wake-up, so an action rescheduling itself with no delay
   * cannot hold the event loop.
   */
  private readonly fire = () => {
    this.action = undefined;
    this.actionDue = Infinity;
    const now = this.base.now();
    const scheduledBefore = this.order;
    let failure: { error: unknown } | undefined;
    for (let entry = this.heap.peek(); entry !== undefined && entry.due <= now && entry.order < scheduledBefore; entry = this.heap.peek()) {
      this.heap.remove(entry);
      try {
        entry.execute();
      } catch (error) {
        failure ??= { error };
      }
    }
    this.arm();
    if (failure) throw failure.error;
  };

  /**
   * Points the underlying action at the earliest entry, or cancels it when the heap is empty or holds
   * only entries due at `Infinity` (never due: Node would turn that delay into 1 ms, a wake-up every ms).
   */
  private arm(): void {
    const first = this.heap.peek();
    if (first === undefined || first.due === Infinity) {
      this.action?.unsubscribe();
      this.action = undefined;
      this.actionDue = Infinity;
      return;
    }
    if (this.action !== undefined && this.actionDue <= first.due) return;
    this.action?.unsubscribe();
    this.actionDue = first.due;
    this.action = this.base.schedule(this.fire, Math.max(0, first.due - this.base.now()));
  }
}

/**
 * A `TimerHeapScheduler` over `base` (its clock and its one action).
 *
 * @example
 * ```ts
 * const scheduler = createTimerHeapScheduler(asyncScheduler);
 * timer(2_000, scheduler).subscribe(() => poll()); // a heap entry, not a setInterval
 * ```
 */
export function createTimerHeapScheduler(base: SchedulerLike): TimerHeapScheduler {
  const queue = new TimerHeap(base);
  return {
    now: () => base.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
      return new HeapAction<T>(queue, work).schedule(state, delay);
    },
    clear: () => queue.clear(),
    get size() {
      return queue.size;
    },
  };
}
