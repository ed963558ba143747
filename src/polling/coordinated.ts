import { Observable, type Subscription } from 'rxjs';
import type { Generation } from '../model/schemas.js';
import type { CoordinatedWatch, CoordinatorMembership, PollCoordinator } from './poll-coordinator.js';

/** The membership of a watch while `join` runs (a `lead()` then only takes note). */
const JOINING: CoordinatorMembership = { publish() {}, leave() {} };

/**
 * The answers of one id in a fleet: `answers$` (this process's poll loop) runs only while the
 * coordinator says this process leads the id, and each of its answers is published to the fleet; while
 * another process leads, its generations arrive through `relay` and are emitted the same way. The rules
 * downstream (distinct status, terminal) treat both alike. Unsubscribing leaves the fleet's watch.
 */
export function coordinated$(id: string, coordinator: PollCoordinator, answers$: Observable<Generation>): Observable<Generation> {
  return new Observable<Generation>((subscriber) => {
    let membership = JOINING;
    let loop: Subscription | undefined;
    let isLeading = false;
    const startLoop = () => {
      loop = answers$.subscribe({
        next: (generation) => {
          membership.publish(generation);
          subscriber.next(generation);
        },
        error: (error: unknown) => subscriber.error(error),
      });
    };
    const watch: CoordinatedWatch = {
      lead() {
        if (isLeading || subscriber.closed) return;
        isLeading = true;
        // During `join` the membership does not exist yet: the loop starts once it does, so that a
        // synchronous first answer is published too.
        if (membership !== JOINING) startLoop();
      },
      follow() {
        isLeading = false;
        loop?.unsubscribe();
        loop = undefined;
      },
      relay(generation) {
        if (!subscriber.closed) subscriber.next(generation);
      },
    };
    const joined = coordinator.join(id, watch);
    // The coordinator may have ended the watch already (a stored outcome relayed at once).
    if (subscriber.closed) {
      joined.leave();
      return;
    }
    membership = joined;
    if (isLeading) startLoop();
    return () => {
      loop?.unsubscribe();
      membership.leave();
    };
  });
}
