import { Observable, Subscriber } from 'rxjs';
import { GenerationFailedError } from '../model/errors/generation-failed-error.js';
import type { Generation } from '../model/schemas.js';
import { StatusProgress } from './forward-status.js';
import { terminalOutcome } from './terminal-rule.js';

/** The one poll per id of a client. */
export interface SharedPolls {
  /**
   * The shared poll of `id`: the answers of `create()` (made when the id has none live) under the
   * distinct-status and terminal rules, multicast to every subscriber of the id.
   */
  get(id: string, create: () => Observable<Generation>): Observable<Generation>;
  /** Ends every live poll with `error` (the client is closing). */
  fail(error: unknown): void;
}

/**
 * One poll per id per client: concurrent subscribers of an id share one loop; a late subscriber gets the
 * latest generation at once; the loop stops when the last subscriber leaves, and the id is forgotten when
 * its loop ends, so that a new subscriber starts afresh and memory holds only live ids.
 */
export function sharedPolls(): SharedPolls {
  const polls = new Map<string, SharedPoll>();
  return {
    get(id, create) {
      let poll = polls.get(id);
      if (poll === undefined) polls.set(id, (poll = new SharedPoll(create(), polls, id)));
      return poll.stream;
    },
    fail(error) {
      const live = [...polls.values()];
      polls.clear();
      for (const poll of live) poll.error(error);
    },
  };
}

/** Shared by every poll without subscribers; never written to. */
const NONE: Array<Subscriber<Generation>> = Object.freeze([]) as never;

/**
 * What `answers$.pipe(forwardStatus(), endAtTerminal(), share({ connector: () => new ReplaySubject(1) }))`
 * says (with `share`'s resets on complete, on error and when the last subscriber leaves), as one
 * `Subscriber` of the answers per id (RxJS 6's operator style), applying the two rules itself. A client
 * watching 10,000 ids holds 10,000 of these for the whole watch: the three operators held 4.3 KB per id
 * (`share` 1.8, the rules' `defer`/`filter`/`tap`/`takeWhile` 2.5) and their lean `Subscriber` forms 0.9
 * KB; this holds 0.4 KB (bench/idle-heap.mjs). The id leaves the registry as the poll resets, before
 * subscribers hear the end, so that one subscribing again from its handler starts a new loop.
 */
class SharedPoll extends Subscriber<Generation> {
  readonly stream: Observable<Generation>;
  // Allocated with the first subscriber, at its size (a `[]` grown by push reserves 17 slots).
  private subscribers: Array<Subscriber<Generation>> = NONE;
  private latest: Generation | undefined = undefined;
  private readonly progress = new StatusProgress();
  private isConnected = false;

  constructor(
    private readonly answers$: Observable<Generation>,
    /** The registry this poll is in, under `id`: it leaves it when it resets. */
    private readonly registry: Map<string, SharedPoll>,
    private readonly id: string,
  ) {
    super();
    this.stream = new Observable<Generation>((subscriber) => this.join(subscriber));
  }

  /** A new subscriber gets the latest generation at once; the first one connects the answers. */
  private join(subscriber: Subscriber<Generation>): (() => void) | undefined {
    // Reset already: a subscriber still holding this stream gets a loop of its own.
    if (this.isStopped) return void subscriber.add(new SharedPoll(this.answers$, new Map(), this.id).stream.subscribe(subscriber));
    if (this.subscribers === NONE) this.subscribers = [subscriber];
    else this.subscribers.push(subscriber);
    if (this.latest !== undefined) subscriber.next(this.latest);
    if (!this.isConnected) {
      this.isConnected = true;
      this.answers$.subscribe(this);
    }
    return () => this.leave(subscriber);
  }

  private leave(subscriber: Subscriber<Generation>): void {
    const index = this.subscribers.indexOf(subscriber);
    if (index !== -1) this.subscribers.splice(index, 1);
    if (this.subscribers.length > 0 || this.isStopped) return;
    this.reset();
    this.unsubscribe();
  }

  protected override _next(generation: Generation): void {
    if (!this.progress.admits(generation.status)) return;
    const outcome = terminalOutcome(generation);
    if (outcome instanceof GenerationFailedError) return this.error(outcome);
    this.latest = generation;
    const subscribers = this.subscribers.length === 1 ? this.subscribers : this.subscribers.slice();
    for (const subscriber of subscribers) subscriber.next(generation);
    if (outcome === 'completed') this.complete();
  }

  protected override _error(error: unknown): void {
    for (const subscriber of this.reset()) subscriber.error(error);
    this.unsubscribe();
  }

  protected override _complete(): void {
    for (const subscriber of this.reset()) subscriber.complete();
    this.unsubscribe();
  }

  /** Leaves the registry and hands back the subscribers to notify. */
  private reset(): Array<Subscriber<Generation>> {
    this.isStopped = true;
    if (this.registry.get(this.id) === this) this.registry.delete(this.id);
    const subscribers = this.subscribers;
    this.subscribers = NONE;
    return subscribers;
  }
}
