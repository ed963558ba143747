import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the account's server saw it: when it arrived (epoch ms), and the answer's status. */
export interface SeenRequest {
  at: number;
  status: number;
  /** Which proxy it came through (`via` of `startCountingProxy`). */
  via?: string;
  /** The request's path and query. */
  path?: string;
}

/**
 * A loopback HTTP proxy in front of a simulator that logs the arrival time and the answer of every
 * request, so a fleet test can count the requests of every window the server saw (the simulator only
 * keeps totals). Proxies may share one log (`seen`), each naming itself (`via`): one per process says who
 * sent what. Listens on port 0; `close()` tears it down.
 */
export async function startCountingProxy(target: string, log: { seen?: SeenRequest[]; via?: string } = {}): Promise<{ baseUrl: string; seen: SeenRequest[]; close(): Promise<void> }> {
  const upstream = new URL(target);
  const seen = log.seen ?? [];
  const server = createServer((req, res) => {
    const entry: SeenRequest = { at: Date.now(), status: 0, via: log.via, path: req.url };
    seen.push(entry);
    const forwarded = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      entry.status = answer.statusCode ?? 0;
      res.writeHead(entry.status, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${upstream.pathname}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The largest number of requests in any window of `windowMs` that ends at or after `from`: for each
 * request at `t >= from`, the requests in `(t - windowMs, t]` (those before `from` included, since they
 * still count against the limit then).
 */
export function busiestWindow(seen: readonly SeenRequest[], windowMs: number, from: number): { count: number; endsAt: number } {
  const times = seen.map((entry) => entry.at).sort((a, b) => a - b);
  let busiest = { count: 0, endsAt: from };
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while (times[first]! <= times[last]! - windowMs) first++;
    if (times[last]! >= from && last - first + 1 > busiest.count) busiest = { count: last - first + 1, endsAt: times[last]! };
  }
  return busiest;
}
