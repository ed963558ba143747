// The RxJS patterns users write by hand: timer(0, interval) + switchMap over fetch, and rx-polling.
import { setMaxListeners } from 'node:events';
import { defer, distinctUntilChanged, from, switchMap, takeWhile, timer } from 'rxjs';

const TERMINAL = new Set(['COMPLETED', 'FAILED']);
const read = (url, apiKey) => defer(() => from(fetch(url, { headers: { 'x-api-key': apiKey } }).then((response) => response.json())));

function rxVariant(makePoll) {
  return (ids, { baseUrl, apiKey, interval, onEmit }) => {
    const one = (id) =>
      new Promise((resolve) => {
        makePoll(read(`${baseUrl}/generations/${encodeURIComponent(id)}`, apiKey), interval)
          .pipe(
            distinctUntilChanged((a, b) => a.status === b.status),
            takeWhile((generation) => !TERMINAL.has(generation.status), true),
          )
          .subscribe({ next: (generation) => onEmit(id, generation.status, generation.updatedAt), complete: resolve, error: resolve });
      });
    return { done: Promise.all(ids.map(one)), add: one, close: async () => {} };
  };
}

export const timerSwitchMap = rxVariant((request$, interval) => timer(0, interval).pipe(switchMap(() => request$)));

export async function rxPolling() {
  // rx-polling listens to document visibility: a stand-in for Node.
  if (typeof globalThis.document === 'undefined') {
    globalThis.document = Object.assign(new EventTarget(), { hidden: false });
    setMaxListeners(Number.POSITIVE_INFINITY, globalThis.document); // one listener per poll is rx-polling's design
  }
  const module = await import('rx-polling');
  const polling = module.default.default ?? module.default; // a CJS module with an exports.default
  return rxVariant((request$, interval) => polling(request$, { interval, backgroundPolling: true }));
}
