import type { Subscriber } from 'rxjs';
import type { ApiRequester } from './api-requester.js';
import { GenerationFailedError } from './errors/generation-failed-error.js';
import type { ResolvedRetryPolicy } from './scheduling/backoff.js';
import { type BudgetContext, budgetedCall } from './scheduling/budgeted-call.js';
import type { TimerEntry } from './scheduling/timer-queue.js';
import type { CoordinatedWatch, CoordinatorMembership, PollCoordinator } from './poll-coordinator.js';
import type { Generation } from './schemas.js';

/** Shared by every poll without subscribers; never written to. */
const NO_SUBSCRIBERS: Array<Subscriber<Generation>> = Object.freeze([]) as never;

/** The membership of a poll while `join` runs. */
const JOINING: CoordinatorMembership = { publish() {}, leave() {} };

/** What every poll loop of one client shares. */
export interface PollContext extends BudgetContext {
  api: ApiRequester;
  /** Decides which process of a fleet polls each id (none: this client polls every id it watches). */
  coordinator?: PollCoordinator | undefined;
}

/** The settings of one loop. */
export interface PollSettings {
  pollInterval: number;
  retry: ResolvedRetryPolicy | false;
}

/**
 * The one poll loop of an id in a client, and its subscribers (DESIGN section 4). Each cycle is one
 * budgeted call (a budget slot, the request, transient retries); only after its answer does the loop wait
 * `pollInterval` before the next, so requests never overlap and a slow server is still answered. A
 * generation is emitted only when its status differs from the previous answer's; `COMPLETED` is emitted
 * and completes every subscriber; `FAILED` errors them with `GenerationFailedError`. A late subscriber
 * gets the latest generation at once. When the last subscriber leaves, the request in flight is aborted
 * and the timer cleared. Hand-rolled multicast (not `share()` + `ReplaySubject`): ten thousand ids cost
 * ten thousand small objects, with no Observable allocated per request.
 *
 * With a coordinator (a fleet), the loop runs only while the coordinator says this process leads the id;
 * while another process leads, its statuses arrive through `relay` and are emitted exactly as answers are.
 */
export class GenerationPoll implements CoordinatedWatch, TimerEntry {
  // Allocated with the first subscriber, at its size (a `[]` grown by push reserves 17 slots).
  private subscribers: Array<Subscriber<Generation>> = NO_SUBSCRIBERS;
  private last: Generation | undefined;
  private cancelCall: (() => void) | undefined;
  private membership: CoordinatorMembership | undefined;
  private isStarted = false;
  private isLeading = false;
  private isOver = false;
  // The poll is its own entry in the client's timer queue (the delay before the next cycle): no entry,
  // cancel function or closure per cycle, and none retained per id. Only the queue touches these four.
  due = 0;
  order = 0;
  index = -1;
  callback: ((entry: TimerEntry) => void) | undefined = undefined;

  /** The timer queue's callback, shared by every poll. */
  private static readonly fire = (entry: TimerEntry) => (entry as GenerationPoll).poll();

  constructor(
    readonly id: string,
    private readonly context: PollContext,
    private readonly settings: PollSettings,
    /** Called once when the loop ends (terminal status, error, or no subscribers left). */
    private readonly onEnd: (poll: GenerationPoll) => void,
  ) {}

  /** One cycle: a budgeted call; its answer schedules the next. The call's closures live for one cycle. */
  private poll(): void {
    const cancel = budgetedCall(
      this.context.api.generationAttempt(this.id),
      this.context,
      this.settings.retry,
      (generation: Generation) => this.receive(generation),
      (error: unknown) => this.end(error),
    );
    // A synchronous answer (a test transport) has already scheduled the next cycle or ended the loop.
    if (!this.isOver && this.callback === undefined) this.cancelCall = cancel;
  }

  /** Adds a subscriber (the first one starts the loop, or joins the fleet's watch); returns its teardown. */
  add(subscriber: Subscriber<Generation>): () => void {
    if (this.subscribers.length === 0) this.subscribers = [subscriber];
    else this.subscribers.push(subscriber);
    if (this.last !== undefined) subscriber.next(this.last);
    if (!this.isStarted && !this.isOver) {
      this.isStarted = true;
      const { coordinator } = this.context;
      if (coordinator === undefined) this.lead();
      else {
        // A `lead()` during `join` only takes note: the first poll waits for the membership, so that a
        // synchronous answer is published too.
        this.membership = JOINING;
        const membership = coordinator.join(this.id, this);
        // The coordinator may have ended the watch already (a stored outcome relayed at once).
        if (this.isOver) membership.leave();
        else {
          this.membership = membership;
          if (this.isLeading) this.poll();
        }
      }
    }
    return () => this.remove(subscriber);
  }

  /** Starts polling here (see `CoordinatedWatch`). */
  lead(): void {
    if (this.isOver || this.isLeading) return;
    this.isLeading = true;
    if (this.membership !== JOINING) this.poll();
  }

  /** Stops polling here; another process relays. */
  follow(): void {
    if (!this.isLeading) return;
    this.isLeading = false;
    this.context.timers.cancel(this);
    this.cancelCall?.();
    this.cancelCall = undefined;
  }

  /** A generation polled by another process of the fleet. */
  relay(generation: Generation): void {
    if (!this.isOver) this.deliver(generation);
  }

  /** Ends the loop with `error` for every subscriber (e.g. the client was closed). */
  fail(error: unknown): void {
    this.end(error);
  }

  private remove(subscriber: Subscriber<Generation>): void {
    const index = this.subscribers.indexOf(subscriber);
    if (index !== -1) this.subscribers.splice(index, 1);
    if (this.subscribers.length === 0 && !this.isOver) this.stop();
  }

  /** An answer polled here: relayed to the fleet (if any), emitted, and the next cycle scheduled. */
  private receive(generation: Generation): void {
    this.cancelCall = undefined;
    this.membership?.publish(generation);
    this.deliver(generation);
    if (!this.isOver && this.isLeading && this.subscribers.length > 0) this.context.timers.start(this, GenerationPoll.fire, this.settings.pollInterval);
  }

  /** Emits a generation whose status differs from the previous one; ends the watch on a terminal status. */
  private deliver(generation: Generation): void {
    if (generation.status === 'FAILED') return this.end(new GenerationFailedError(generation));
    if (generation.status !== this.last?.status) {
      this.last = generation;
      for (const subscriber of this.subscribers.slice()) subscriber.next(generation);
    }
    if (generation.status === 'COMPLETED') this.end(undefined);
  }

  /** Completes (no error) or errors every subscriber, once. */
  private end(error: unknown): void {
    if (this.isOver) return;
    this.stop();
    const subscribers = this.subscribers.splice(0);
    for (const subscriber of subscribers) {
      if (error === undefined) subscriber.complete();
      else subscriber.error(error);
    }
  }

  private stop(): void {
    this.isOver = true;
    this.isLeading = false;
    this.context.timers.cancel(this);
    this.cancelCall?.();
    this.cancelCall = undefined;
    this.membership?.leave();
    this.membership = undefined;
    this.onEnd(this);
  }
}
