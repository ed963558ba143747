import { defer, filter, type MonoTypeOperatorFunction } from 'rxjs';
import { statusRank } from '../model/generation-status.js';
import type { Generation } from '../model/schemas.js';

/**
 * The distinct-status rule: passes a generation only when its status moves forward along PENDING ->
 * PROCESSING -> terminal. A known status earlier than one already passed is a stale read (a replica
 * behind) and is dropped without resetting anything; a repeated status is dropped; an unknown status
 * passes when it differs from the last one passed (it has no place in the order). State per
 * subscription, as `distinctUntilChanged` keeps it (which alone would let a stale PENDING through).
 */
export function forwardStatus<T extends Generation>(): MonoTypeOperatorFunction<T> {
  return (source) =>
    defer(() => {
      let last: string | undefined;
      let highest = -1;
      return source.pipe(
        filter((generation) => {
          const { status } = generation;
          const rank = statusRank(status);
          if (status === last || (rank !== undefined && rank < highest)) return false;
          last = status;
          if (rank !== undefined) highest = rank;
          return true;
        }),
      );
    });
}
