import { defer, type Observable, of, ReplaySubject, share } from 'rxjs';
import type { Generation } from '../model/schemas.js';
import { forwardStatus } from '../operators/forward-status.js';
import { untilTerminal } from '../operators/until-terminal.js';

/** The one poll per id of a client. */
export interface SharedPolls {
  /**
   * The shared poll of `id`: the answers of `create()` (made when the id has none live) under the
   * forward-status and terminal rules, multicast to every subscriber of the id.
   */
  get(id: string, create: () => Observable<Generation>): Observable<Generation>;
  /** Ends every live poll with `error` (the client is closing). */
  fail(error: unknown): void;
}

/** A live poll in the registry: its shared stream, and the subject `share` multicasts it through while connected. */
interface LivePoll {
  stream$: Observable<Generation>;
  subject: ReplaySubject<Generation> | undefined;
}

/**
 * One poll per id per client, as
 * `answers$.pipe(forwardStatus(), untilTerminal(), share({ connector: () => new ReplaySubject(1), ... }))`:
 * concurrent subscribers of an id share one loop; a late subscriber gets the latest generation at once
 * (the replay); the loop stops when the last subscriber leaves (`resetOnRefCountZero`). The id leaves
 * the registry when its loop ends (`share`'s reset notifiers, which run before subscribers hear the end), so that
 * a new subscriber, even one subscribing from a completion handler, starts afresh, and memory holds only
 * live ids. `fail` errors the subject of every live poll: its subscribers get the error, and the last one
 * leaving unsubscribes the loop.
 */
/** Emits at once: a `share` reset notifier that resets synchronously. */
const RESET_NOW = of(true);

export function sharedPolls(): SharedPolls {
  const polls = new Map<string, LivePoll>();
  return {
    get(id, create) {
      const live = polls.get(id);
      if (live !== undefined) return live.stream$;
      const poll: LivePoll = { stream$: undefined as never, subject: undefined };
      // share's reset notifier: the id leaves the registry as the poll resets (before subscribers hear
      // an end), and the reset follows at once.
      const forget = () => {
        if (polls.get(id) === poll) polls.delete(id);
        return RESET_NOW;
      };
      // `defer`: the rules' Observables are made as the poll connects, so the registry holds only `share`.
      poll.stream$ = defer(() => create().pipe(forwardStatus(), untilTerminal())).pipe(
        share({ connector: () => (poll.subject = new ReplaySubject<Generation>(1)), resetOnError: forget, resetOnComplete: forget, resetOnRefCountZero: forget }),
      );
      polls.set(id, poll);
      return poll.stream$;
    },
    fail(error) {
      const live = [...polls.values()];
      polls.clear();
      for (const poll of live) poll.subject?.error(error);
    },
  };
}
