// The plain RxJS pipeline an RxJS user would write for one id over undici: `repeat({ delay })` paced by
// responses, `distinctUntilChanged` on status, `takeWhile` to the terminal status, `share` with a replay
// of the latest. No budget, no validation, no retries: the idiom's own cost, as a peer.
import { defer, distinctUntilChanged, repeat, ReplaySubject, share, takeWhile } from 'rxjs';
import { Agent, request } from 'undici';

const TERMINAL = new Set(['COMPLETED', 'FAILED']);
const agent = new Agent({ connections: 64, keepAliveTimeout: 10_000 });

export function plainRx(ids, { baseUrl, apiKey, interval, onEmit }) {
  const one = (id) =>
    new Promise((resolve) => {
      const url = `${baseUrl}/generations/${encodeURIComponent(id)}`;
      defer(() => request(url, { dispatcher: agent, headers: { 'x-api-key': apiKey } }).then((response) => response.body.json()))
        .pipe(
          repeat({ delay: interval }),
          distinctUntilChanged((a, b) => a.status === b.status),
          takeWhile((generation) => !TERMINAL.has(generation.status), true),
          share({ connector: () => new ReplaySubject(1) }),
        )
        .subscribe({ next: (generation) => onEmit(id, generation.status, generation.updatedAt), complete: resolve, error: resolve });
    });
  return { done: Promise.all(ids.map(one)), add: one, close: async () => {} };
}
