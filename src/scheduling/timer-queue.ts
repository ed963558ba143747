import type { SchedulerLike, Subscription } from 'rxjs';

/** Cancels a timer of the queue; calling it again, or after the timer fired, does nothing. */
export type CancelTimer = () => void;

/** Every timer of a client (poll delays, retry backoffs, request timeouts) on one scheduler action. */
export interface TimerQueue {
  /** Runs `callback` after `delay` ms of the scheduler's time. */
  schedule(callback: () => void, delay: number): CancelTimer;
  /**
   * The same with an entry the caller owns and reuses (a poll loop: one entry for its whole life, no
   * allocation per cycle). The entry must not be pending.
   */
  start(entry: TimerEntry, callback: (entry: TimerEntry) => void, delay: number): void;
  /** Cancels a pending entry (does nothing if it is not pending). */
  cancel(entry: TimerEntry): void;
  /** Drops every pending timer and the scheduler action. */
  clear(): void;
}

/** A timer of the queue; pending while `callback` is set (it is called with the entry). */
export interface TimerEntry {
  due: number;
  order: number;
  callback: ((entry: TimerEntry) => void) | undefined;
  /** Position in the heap (-1 once out), so a cancelled timer leaves at once instead of lingering. */
  index: number;
}

type Entry = TimerEntry;

/** A fresh, idle entry. */
function timerEntry(): TimerEntry {
  return { due: 0, order: 0, callback: undefined, index: -1 };
}

const before = (a: Entry, b: Entry) => a.due < b.due || (a.due === b.due && a.order < b.order);

/**
 * A binary heap of due times served by a single action on `scheduler`, rescheduled only when an
 * earlier timer arrives. Ten thousand watched ids cost ten thousand small heap entries instead of ten
 * thousand runtime timers; a cancelled entry leaves the heap at once. Timers due at the
 * same time run in the order they were scheduled. The action is cancelled whenever the heap empties,
 * so an idle client holds no timer.
 */
export function createTimerQueue(scheduler: SchedulerLike): TimerQueue {
  const heap: Entry[] = [];
  let order = 0;
  let live = 0;
  let action: Subscription | undefined;
  let actionDue = Infinity;

  const swap = (a: number, b: number) => {
    const first = heap[a]!;
    const second = heap[b]!;
    heap[a] = second;
    heap[b] = first;
    second.index = a;
    first.index = b;
  };
  const up = (start: number) => {
    for (let index = start; index > 0; ) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index]!, heap[parent]!)) return;
      swap(index, parent);
      index = parent;
    }
  };
  const down = (start: number) => {
    for (let index = start; ; ) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) return;
      swap(index, smallest);
      index = smallest;
    }
  };
  const push = (entry: Entry) => {
    entry.index = heap.push(entry) - 1;
    up(entry.index);
  };
  const removeAt = (index: number): Entry => {
    const entry = heap[index]!;
    const last = heap.pop()!;
    entry.index = -1;
    if (last !== entry) {
      heap[index] = last;
      last.index = index;
      up(index);
      down(last.index);
    }
    return entry;
  };
  const pop = (): Entry => removeAt(0);

  const arm = () => {
    while (heap.length > 0 && heap[0]!.callback === undefined) pop();
    if (heap.length === 0 || live === 0) {
      heap.length = 0;
      action?.unsubscribe();
      action = undefined;
      actionDue = Infinity;
      return;
    }
    const due = heap[0]!.due;
    if (action !== undefined && actionDue <= due) return;
    action?.unsubscribe();
    actionDue = due;
    action = scheduler.schedule(fire, Math.max(0, due - scheduler.now()));
  };

  function fire() {
    action = undefined;
    actionDue = Infinity;
    const now = scheduler.now();
    while (heap.length > 0 && heap[0]!.due <= now) {
      const entry = pop();
      const callback = entry.callback;
      if (callback === undefined) continue;
      entry.callback = undefined;
      live--;
      callback(entry);
    }
    arm();
  }

  const start = (entry: Entry, callback: (entry: TimerEntry) => void, delay: number) => {
    entry.due = scheduler.now() + Math.max(0, delay);
    entry.order = order++;
    entry.callback = callback;
    live++;
    push(entry);
    if (entry.due < actionDue) arm();
  };
  const cancel = (entry: Entry) => {
    if (entry.callback === undefined) return;
    entry.callback = undefined;
    live--;
    if (entry.index === 0) arm();
    else if (entry.index > 0) removeAt(entry.index);
  };

  return {
    schedule(callback, delay) {
      const entry = timerEntry();
      start(entry, callback, delay);
      return () => cancel(entry);
    },
    start,
    cancel,
    clear() {
      for (const entry of heap) {
        entry.callback = undefined;
        entry.index = -1;
      }
      heap.length = 0;
      live = 0;
      arm();
    },
  };
}
