import { type Observable, of, ReplaySubject, share } from 'rxjs';
import type { Generation } from '../model/schemas.js';

/** The one poll per id of a client. */
export interface SharedPolls {
  /** The shared poll of `id`, made by `create` when the id has none. */
  get(id: string, create: () => Observable<Generation>): Observable<Generation>;
  /** Ends every live poll with `error` (the client is closing). */
  fail(error: unknown): void;
}

interface Entry {
  stream: Observable<Generation>;
  latest: ReplaySubject<Generation> | undefined;
}

/**
 * One poll per id per client: concurrent subscribers of an id share one loop (`share`, replaying the
 * latest generation to a late subscriber); the loop stops when the last subscriber leaves, and the id is
 * forgotten when its loop ends, so that a new subscriber starts afresh and memory holds only live ids.
 */
export function sharedPolls(): SharedPolls {
  const polls = new Map<string, Entry>();
  return {
    get(id, create) {
      let entry = polls.get(id);
      if (entry === undefined) {
        const created: Entry = { stream: undefined as never, latest: undefined };
        // Forgotten as the loop resets, before its subscribers hear the end: one of them subscribing again
        // from its handler starts a new loop rather than joining the old one.
        const forget = () => {
          if (polls.get(id) === created) polls.delete(id);
          return of(true);
        };
        created.stream = create().pipe(
          share({ connector: () => (created.latest = new ReplaySubject<Generation>(1)), resetOnError: forget, resetOnComplete: forget, resetOnRefCountZero: forget }),
        );
        polls.set(id, (entry = created));
      }
      return entry.stream;
    },
    fail(error) {
      const entries = [...polls.values()];
      polls.clear();
      for (const entry of entries) entry.latest?.error(error);
    },
  };
}
