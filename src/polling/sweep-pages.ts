import { defer, EMPTY, expand, last, map, type Observable } from 'rxjs';
import type { GenerationList, GenerationListItem } from '../model/generation-list.js';
import type { FleetSweep } from './poll-coordinator.js';

/** What one sweep saw: every item of the pages it read, and how far back they reach. */
export interface SweepResult {
  items: Map<string, GenerationListItem>;
  /** The `createdAt` of the oldest item seen (epoch ms). */
  oldest: number;
  /** More pages exist past the ones read. */
  hasMore: boolean;
}

/** What a sweep saw, as a fleet publishes it. */
export const fleetSweepOf = (result: SweepResult): FleetSweep => ({ items: [...result.items.values()], hasMore: result.hasMore });

/** What a fleet's sweep saw, as this client's sweeps use it. */
export function sweepResultOf(sweep: FleetSweep): SweepResult {
  return addItems({ items: new Map(), oldest: Infinity, hasMore: sweep.hasMore }, sweep.items);
}

/** Adds a page's items to what a sweep saw. */
function addItems(result: SweepResult, items: readonly GenerationListItem[]): SweepResult {
  for (const item of items) {
    result.items.set(item.id, item);
    result.oldest = Math.min(result.oldest, Date.parse(item.createdAt));
  }
  return result;
}

/**
 * One sweep's pages, newest first: the first page, then the next by its cursor while `wantsMore(seen,
 * pages read)` says so (`expand`), and what they saw together once the last one answered.
 */
export function sweepPages$(
  readPage$: (query: { limit: number; cursor: string | undefined }) => Observable<GenerationList>,
  pageSize: number,
  wantsMore: (seen: SweepResult, pages: number) => boolean,
): Observable<SweepResult> {
  return defer(() => {
    const result: SweepResult = { items: new Map(), oldest: Infinity, hasMore: false };
    let pages = 0;
    let cursor: string | undefined;
    const page$ = () =>
      readPage$({ limit: pageSize, cursor }).pipe(
        map((page) => {
          pages++;
          addItems(result, page.items);
          cursor = page.nextCursor ?? undefined;
          result.hasMore = page.hasMore && cursor !== undefined;
          return result;
        }),
      );
    return page$().pipe(
      expand((seen) => (wantsMore(seen, pages) ? page$() : EMPTY)),
      last(),
    );
  });
}
