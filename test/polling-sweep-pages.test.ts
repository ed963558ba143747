// Exact unit tests of src/polling/sweep-pages.ts: the pages of one sweep, what they saw together, and
// the conversions to and from a fleet's sweep.
import { type Observable, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { GenerationList, GenerationListItem } from '../src/model/generation-list.js';
import { fleetSweepOf, type SweepResult, sweepPages$, sweepResultOf } from '../src/polling/sweep-pages.js';

const item = (id: string, createdMs: number): GenerationListItem => ({
  id,
  status: 'PENDING',
  generationTimeMs: null,
  createdAt: new Date(createdMs).toISOString(),
  updatedAt: new Date(createdMs).toISOString(),
});

/** Runs a sweep over `pages` (keyed by cursor, '' for the first), recording the queries and each `wantsMore` call. */
function run(pages: Record<string, GenerationList>, wantsMore: (seen: SweepResult, pages: number) => boolean, pageSize = 2) {
  const queries: { limit: number; cursor: string | undefined }[] = [];
  const asked: { hasMore: boolean; oldest: number; size: number; pages: number }[] = [];
  const readPage$ = (query: { limit: number; cursor: string | undefined }): Observable<GenerationList> => {
    queries.push({ ...query });
    return of(pages[query.cursor ?? '']!);
  };
  const results: SweepResult[] = [];
  sweepPages$(readPage$, pageSize, (seen, n) => {
    asked.push({ hasMore: seen.hasMore, oldest: seen.oldest, size: seen.items.size, pages: n });
    return wantsMore(seen, n);
  }).subscribe((r) => results.push(r));
  return { queries, asked, results };
}

describe('sweepPages$', () => {
  it('reads pages by cursor while wantsMore says so, and emits once what they saw together', () => {
    const pages: Record<string, GenerationList> = {
      '': { items: [item('a', 5_000), item('b', 4_000)], nextCursor: 'c1', hasMore: true },
      c1: { items: [item('c', 3_000), item('d', 2_000)], nextCursor: 'c2', hasMore: true },
      c2: { items: [item('e', 1_000)], nextCursor: null, hasMore: false },
    };
    const { queries, asked, results } = run(pages, (seen) => seen.hasMore);
    expect(queries).toEqual([
      { limit: 2, cursor: undefined },
      { limit: 2, cursor: 'c1' },
      { limit: 2, cursor: 'c2' },
    ]);
    expect(asked).toEqual([
      { hasMore: true, oldest: 4_000, size: 2, pages: 1 },
      { hasMore: true, oldest: 2_000, size: 4, pages: 2 },
      { hasMore: false, oldest: 1_000, size: 5, pages: 3 },
    ]);
    expect(results).toHaveLength(1);
    expect([...results[0]!.items.keys()]).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(results[0]!.oldest).toBe(1_000);
    expect(results[0]!.hasMore).toBe(false);
  });

  it('oldest is the minimum createdAt, even when a page is not ordered', () => {
    const pages: Record<string, GenerationList> = {
      '': { items: [item('a', 2_000), item('b', 9_000), item('c', 500)], nextCursor: 'n', hasMore: true },
    };
    const { results } = run(pages, () => false);
    expect(results[0]!.oldest).toBe(500);
    expect(results[0]!.hasMore).toBe(true);
  });

  it('hasMore is false when the page says more but gives no cursor', () => {
    const pages: Record<string, GenerationList> = {
      '': { items: [item('a', 2_000)], nextCursor: null, hasMore: true },
    };
    const { results, asked } = run(pages, () => false);
    expect(asked).toEqual([{ hasMore: false, oldest: 2_000, size: 1, pages: 1 }]);
    expect(results[0]!.hasMore).toBe(false);
  });

  it('hasMore is false when the page gives a cursor but says no more', () => {
    const pages: Record<string, GenerationList> = {
      '': { items: [item('a', 2_000)], nextCursor: 'x', hasMore: false },
    };
    const { results } = run(pages, () => false);
    expect(results[0]!.hasMore).toBe(false);
  });

  it('hasMore is false with an omitted cursor', () => {
    const pages: Record<string, GenerationList> = { '': { items: [], hasMore: true } };
    const { results } = run(pages, () => false);
    expect(results[0]!.hasMore).toBe(false);
    expect(results[0]!.oldest).toBe(Infinity);
    expect(results[0]!.items.size).toBe(0);
  });

  it('stops at the page count wantsMore allows', () => {
    const pages: Record<string, GenerationList> = {
      '': { items: [item('a', 5_000)], nextCursor: 'c1', hasMore: true },
      c1: { items: [item('b', 4_000)], nextCursor: 'c2', hasMore: true },
    };
    const { queries, results } = run(pages, (_seen, n) => n < 2, 7);
    expect(queries).toEqual([
      { limit: 7, cursor: undefined },
      { limit: 7, cursor: 'c1' },
    ]);
    expect(results[0]!.hasMore).toBe(true);
    expect(results[0]!.oldest).toBe(4_000);
  });
});

describe('fleetSweepOf / sweepResultOf', () => {
  it('fleetSweepOf lists the items and keeps hasMore', () => {
    const a = item('a', 3_000);
    const b = item('b', 1_000);
    const result: SweepResult = { items: new Map([['a', a], ['b', b]]), oldest: 1_000, hasMore: true };
    expect(fleetSweepOf(result)).toEqual({ items: [a, b], hasMore: true });
    expect(fleetSweepOf({ items: new Map(), oldest: Infinity, hasMore: false })).toEqual({ items: [], hasMore: false });
  });

  it('sweepResultOf indexes the items by id, with the oldest createdAt and hasMore', () => {
    const a = item('a', 3_000);
    const b = item('b', 1_000);
    const c = item('c', 2_000);
    const result = sweepResultOf({ items: [a, b, c], hasMore: true });
    expect([...result.items.entries()]).toEqual([['a', a], ['b', b], ['c', c]]);
    expect(result.oldest).toBe(1_000);
    expect(result.hasMore).toBe(true);
    const empty = sweepResultOf({ items: [], hasMore: false });
    expect(empty).toEqual({ items: new Map(), oldest: Infinity, hasMore: false });
  });

  it('round-trips', () => {
    const sweep = { items: [item('x', 10), item('y', 20)], hasMore: false };
    expect(fleetSweepOf(sweepResultOf(sweep))).toEqual(sweep);
  });
});
