import { defer, finalize, Observable, share, switchMap, take, throwError, timeout } from 'rxjs';
import type { Generation, Genlook } from '../internal.js';
import { FairSlots, type SlotTurn } from './fair-slots.js';

/** A plain read waited past `maxWait`: answered 503 with `Retry-After`. */
export class ReadTimedOut {
  constructor(readonly retryAfterSeconds: number) {}
}

/** One upstream read of an id, and every browser request waiting for it. */
interface Flight {
  turn: SlotTurn;
  answer$: Observable<Generation>;
}

/**
 * The plain `GET /generations/{id}` reads of the proxy: concurrent reads of one id are answered by one
 * upstream request (single flight: a read that arrives while one is queued or in flight joins it; once
 * it is answered, the next read asks again, nothing is cached), upstream reads in flight are capped and
 * shared fairly between callers (`FairSlots`), and a read that waits longer than `maxWait` in all
 * (queue, budget, upstream) errors with `ReadTimedOut`. Unsubscribing leaves the wait; when the last
 * waiter of a flight leaves, its upstream request is aborted.
 */
export function singleFlightReads(genlook: Genlook, options: { concurrentReads: number; maxWait: number }): (id: string, caller: string) => Observable<Generation> {
  const slots = new FairSlots(options.concurrentReads);
  const flights = new Map<string, Flight>();
  const retryAfterSeconds = Math.max(1, Math.ceil(options.maxWait / 1000));

  const startFlight = (id: string, caller: string): Flight => {
    const turn = slots.turn(caller);
    const flight: Flight = {
      turn,
      answer$: slots.wait$(turn).pipe(
        switchMap(() => retrieve$(genlook, id)),
        take(1),
        finalize(() => {
          if (flights.get(id) === flight) flights.delete(id);
        }),
        share(),
      ),
    };
    flights.set(id, flight);
    return flight;
  };

  return (id, caller) =>
    defer(() => {
      const joined = flights.get(id);
      if (joined) slots.join(joined.turn, caller);
      return (joined ?? startFlight(id, caller)).answer$;
    }).pipe(timeout({ first: options.maxWait, with: () => throwError(() => new ReadTimedOut(retryAfterSeconds)) }));
}

/** `genlook.retrieve` as an Observable whose unsubscription aborts the request. */
function retrieve$(genlook: Genlook, id: string): Observable<Generation> {
  return new Observable<Generation>((subscriber) => {
    const controller = new AbortController();
    genlook.retrieve(id, { signal: controller.signal }).then(
      (generation) => {
        subscriber.next(generation);
        subscriber.complete();
      },
      (error: unknown) => subscriber.error(error),
    );
    return () => controller.abort();
  });
}
