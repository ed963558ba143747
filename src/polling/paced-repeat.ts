import { type MonoTypeOperatorFunction, Observable, type Observer, type SchedulerAction, type SchedulerLike, type Subscriber, type Subscription, type Unsubscribable } from 'rxjs';
import { retryDelay, type RetryRule } from './transient-retry.js';

/** The settings of `pacedRepeat`. */
export interface PacedRepeatConfig<T> {
  /** How long to wait after an answer before the next cycle, in ms. */
  delayAfter: (answer: T) => number;
  /** Retries of a failed cycle (`retryDelay`); without one, the first failure ends the stream. */
  retry: RetryRule | undefined;
  /** The client's timer heap. */
  scheduler: SchedulerLike;
}

/**
 * The pacing of a poll: resubscribes to a one-answer source (a GET) `delayAfter(answer)` ms after each
 * answer, and after a failure that the retry rule allows, after its backoff; any other failure ends
 * the stream. Requests never overlap (the next starts only after the answer), and a slow answer is
 * waited for. Unsubscribing cancels the cycle in flight and the timer.
 *
 * What `retry({ delay })` around `repeat({ delay: () => timer(ms, scheduler) })` says, as one lean
 * operator: a watch holds this stage for its whole life, and with 10,000 watched ids the two RxJS
 * operators (their subscribers, closures, and a `timer` per cycle) held 1.5 KB more per id while
 * waiting and cost 20 µs more CPU per poll (bench/idle-stages.mjs, bench/client-cpu.mjs).
 */
export function pacedRepeat<T>(config: PacedRepeatConfig<T>): MonoTypeOperatorFunction<T> {
  return (source) => new Observable<T>((subscriber) => new PacedRepeat(source, config, subscriber).start());
}

class PacedRepeat<T> implements Observer<T>, Unsubscribable {
  private cycle: Subscription | undefined = undefined;
  private wait: Subscription | undefined = undefined;
  private failures = 0;
  private lastGoodAt: number;
  private delay = 0;

  constructor(
    private readonly source: Observable<T>,
    private readonly config: PacedRepeatConfig<T>,
    private readonly subscriber: Subscriber<T>,
  ) {
    this.lastGoodAt = config.scheduler.now();
  }

  start(): Unsubscribable {
    this.cycle = this.source.subscribe(this);
    return this;
  }

  next(answer: T): void {
    this.failures = 0;
    this.lastGoodAt = this.config.scheduler.now();
    this.delay = this.config.delayAfter(answer);
    this.subscriber.next(answer);
  }

  error(error: unknown): void {
    this.cycle = undefined;
    const { retry, scheduler } = this.config;
    const delay = retry === undefined ? undefined : retryDelay(error, ++this.failures, scheduler.now() - this.lastGoodAt, retry);
    if (delay === undefined) this.subscriber.error(error);
    else this.again(delay);
  }

  complete(): void {
    this.cycle = undefined;
    this.again(this.delay);
  }

  unsubscribe(): void {
    this.cycle?.unsubscribe();
    this.wait?.unsubscribe();
  }

  private again(delay: number): void {
    // The downstream may have ended with the answer (a terminal status): then there is no next cycle.
    if (this.subscriber.closed) return;
    this.wait = this.config.scheduler.schedule(resume, delay, this as PacedRepeat<unknown>);
  }

  resume(): void {
    this.wait = undefined;
    this.cycle = this.source.subscribe(this);
  }
}

function resume(this: SchedulerAction<PacedRepeat<unknown>>, loop?: PacedRepeat<unknown>): void {
  loop?.resume();
}
