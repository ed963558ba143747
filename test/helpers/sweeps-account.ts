// The virtual-time account of the sweeps' tests (test/sweeps.test.ts, test/polling-sweeps-exact.test.ts):
// a fake GET /generations/{id} and GET /generations, each id's loop as the client composes it, and a trace.
import { defer, EMPTY, expand, map, type Observable, Subscription, switchMap, timer } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import type { GenerationList } from '../../src/model/generation-list.js';
import type { Generation } from '../../src/model/schemas.js';
import { createSweeps, type SweepsConfig } from '../../src/polling/sweeps.js';

/** A virtual-time account: each id's status at a time, 10 ms per request, and what was asked. */
export function fakeAccount(scheduler: TestScheduler, generations: Record<string, { createdAt: number; steps: Array<[number, string]> }>, options: { hidden?: string[]; failPages?: number; pageSize?: number } = {}) {
  const asked = { pages: [] as Array<string | undefined>, reads: [] as string[] };
  const statusAt = (id: string, now: number) => {
    let status = 'PENDING';
    for (const [at, next] of generations[id]!.steps) if (now >= at) status = next;
    return status;
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  let failPages = options.failPages ?? 0;
  const readOne$ = (id: string): Observable<Generation> =>
    defer(() => {
      asked.reads.push(id);
      return timer(10, scheduler).pipe(
        map(() => {
          const status = statusAt(id, scheduler.now());
          const { createdAt } = generations[id]!;
          const generation: Record<string, unknown> = { generationId: id, status, createdAt: iso(createdAt), updatedAt: iso(scheduler.now()) };
          if (status === 'COMPLETED') generation.resultImageUrl = `https://cdn.example.test/${id}.png`;
          if (status === 'FAILED') generation.errorCode = 'PRODUCT_IMAGE_FETCH_FAILED';
          return generation as Generation;
        }),
      );
    });
  const pageSize = options.pageSize ?? 2;
  const readPage$ = ({ cursor }: { limit: number; cursor: string | undefined }): Observable<GenerationList> =>
    defer(() => {
      asked.pages.push(cursor);
      if (failPages > 0) {
        failPages--;
        return timer(10, scheduler).pipe(map(() => { throw new Error('list down'); }));
      }
      return timer(10, scheduler).pipe(
        map(() => {
          const listed = Object.entries(generations)
            .filter(([id]) => !options.hidden?.includes(id))
            .sort(([, a], [, b]) => b.createdAt - a.createdAt);
          const start = cursor === undefined ? 0 : Number(cursor);
          const items = listed.slice(start, start + pageSize).map(([id, generation]) => ({
            id,
            status: statusAt(id, scheduler.now()),
            productDescription: null,
            generationTimeMs: null,
            createdAt: iso(generation.createdAt),
            updatedAt: iso(scheduler.now()),
          }));
          const hasMore = start + pageSize < listed.length;
          return { items, hasMore, nextCursor: hasMore ? String(start + pageSize) : null, count: items.length };
        }),
      );
    });
  return { asked, readOne$, readPage$ };
}

/** The loop of one id as the client composes it: read, then again at once after a swept answer, else after the interval. */
export function loop$(sweeps: ReturnType<typeof createSweeps>, id: string, scheduler: TestScheduler, interval: number, cadence: (answer: Generation) => number = () => interval): Observable<string> {
  const read$ = defer(() => sweeps.read$(id, 0));
  const isFinal = (generation: Generation) => generation.status === 'COMPLETED' || generation.status === 'FAILED';
  return sweeps.member(
    id,
    read$.pipe(
      expand((generation) => (isFinal(generation) ? EMPTY : timer(sweeps.waitAfter(generation, cadence(generation)), scheduler).pipe(switchMap(() => read$)))),
      map((generation) => `${generation.status}${sweeps.isSwept(generation) ? '~' : ''}`),
    ),
  );
}

export const config = (account: ReturnType<typeof fakeAccount>, scheduler: TestScheduler, more: Partial<SweepsConfig> = {}): SweepsConfig => ({
  readOne$: account.readOne$,
  readPage$: account.readPage$,
  scheduler,
  interval: 100,
  ...more,
});

/** Runs the loops of `ids` (subscribed in that order at 0) until `until`, and says what each saw when. */
export function trace(scheduler: TestScheduler, sweeps: ReturnType<typeof createSweeps>, ids: string[], until: number, cadence?: (answer: Generation) => number): string[] {
  const events: string[] = [];
  const subscription = new Subscription();
  for (const id of ids) {
    subscription.add(
      loop$(sweeps, id, scheduler, 100, cadence).subscribe({
        next: (value) => events.push(`${scheduler.now()} ${id} ${value}`),
        error: (error: Error) => events.push(`${scheduler.now()} ${id} error ${error.message}`),
        complete: () => events.push(`${scheduler.now()} ${id} done`),
      }),
    );
  }
  scheduler.schedule(() => subscription.unsubscribe(), until);
  scheduler.flush();
  return events;
}

export const always = (status: string) => ({ createdAt: 0, steps: [[0, status]] as Array<[number, string]> });
