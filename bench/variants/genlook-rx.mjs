import { createGenlook } from '../../dist/index.js';

/** genlook-rx: one client, one generation$ per id. */
export function watch(ids, { baseUrl, apiKey, interval, budget, onEmit }) {
  const genlook = createGenlook({ baseUrl, apiKey, pollInterval: interval, rateLimit: budget ? { requestsPerMinute: 100 } : false });
  return {
    done: Promise.all(
      ids.map(
        (id) =>
          new Promise((resolve) => {
            genlook.generation$(id).subscribe({ next: (generation) => onEmit(id, generation.status, generation.updatedAt), complete: resolve, error: resolve });
          }),
      ),
    ),
    add: (id) =>
      new Promise((resolve) => {
        genlook.generation$(id).subscribe({ next: (generation) => onEmit(id, generation.status, generation.updatedAt), complete: resolve, error: resolve });
      }),
    close: () => genlook.close(),
  };
}
