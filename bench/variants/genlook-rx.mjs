import { createGenlook } from '../../dist/index.js';

/**
 * genlook-rx: one client, one generation$ per id. Without a budget (the scale scenario, which weighs
 * CPU and heap per request of a 2 s poller) it polls at a fixed cadence like its peers: the adaptive
 * default skips the polls that cannot find an outcome (4 requests a generation here instead of 6), which
 * would make the request rate and the CPU per request incomparable. For the same reason it reads each id
 * on its own (`sweeps: false`): sweeps replace the per-id reads the peers make by list requests.
 * docs/capacity.md measures the defaults; the budget scenario runs them too.
 */
export function watch(ids, { baseUrl, apiKey, interval, budget, onEmit }) {
  const genlook = createGenlook({ baseUrl, apiKey, pollInterval: interval, ...(budget ? { rateLimit: { requestsPerMinute: 100 } } : { rateLimit: false, cadence: 'fixed', sweeps: false }) });
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
