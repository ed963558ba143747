import { describe, expect, it } from 'vitest';
import { until, useSimulator } from '../helpers/simulator.js';
import { busiestWindow, type SeenRequest, startCountingProxy } from './counting-proxy.js';
import { startRedisServer } from './redis-server.js';
import { startWorker, type Worker } from './worker.js';

// The account's limit in a short window, on the server and in every process: 40 requests in any 2 s.
const LIMIT = 40;
const WINDOW_MS = 2_000;

type Outage = 'SIGSTOP' | 'stop and restart';

/**
 * Three coordinated processes on one redis-server watch the same ten ids, polling as fast as the budget
 * lets them, against a server that allows LIMIT requests per WINDOW_MS and logs every request's arrival.
 * Redis goes away mid-run (frozen with SIGSTOP, or killed and restarted empty on its port) once the fleet
 * has spent a full window through it. Every count below is of requests the server saw.
 */
async function runThroughOutage(sim: ReturnType<typeof useSimulator>, outage: Outage) {
  const redis = await startRedisServer();
  let restarted: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  const simulator = await sim.start({ timeScale: 1, rateLimit: { requestsPerMinute: LIMIT, windowMs: WINDOW_MS, retryAfter: true } });
  // One logging proxy per process, all writing one log: the server's arrivals, each with its sender.
  const seen: SeenRequest[] = [];
  const proxies = await Promise.all([0, 1, 2].map((index) => startCountingProxy(simulator.baseUrl, { seen, via: String(index) })));
  const proxy = { seen };
  const workers: Worker[] = [];
  try {
    const key = `outage:${Date.now()}`;
    const settings = { redisUrl: redis.url, apiKey: simulator.apiKey, windowMs: WINDOW_MS, pollInterval: 50, requestsPerMinute: LIMIT, logGrants: true, coordinator: { leaseMs: 1_000, key } };
    for (const { baseUrl } of proxies) workers.push(startWorker({ ...settings, baseUrl }));
    await Promise.all(workers.map((worker) => worker.ready));
    const ids = Array.from({ length: 10 }, () => simulator.script([{ at: 0, status: 'PENDING' }, { at: 120_000, status: 'COMPLETED' }]));
    for (const worker of workers) worker.watch(ids);
    await Promise.all(workers.map((worker) => worker.watching));
    const lines = (text: string) => workers.map((worker) => worker.lines().find((line) => line.startsWith(text)));
    const after = (from: number) => proxy.seen.filter((entry) => entry.at >= from);
    // The fleet spends through Redis until every process has counted the three (the heartbeats) and
    // the window is full: the outage starts with the most the fallbacks must account for.
    const start = Date.now();
    await until(() => after(start).length >= LIMIT * 2, `${LIMIT * 2} requests through the shared budget`, 30_000);

    const stoppedAt = Date.now();
    if (outage === 'SIGSTOP') redis.freeze();
    else await redis.stop();
    await until(() => lines('budget REDIS_UNAVAILABLE').every(Boolean), 'every process on its fallback', 20_000);
    const allOnFallback = Date.now();
    const shares = lines('budget REDIS_UNAVAILABLE').map((line) => Number(line!.split(' ')[2]));
    // Two windows' worth of requests after that (the limit holds, so at least two windows pass).
    await until(() => after(allOnFallback).length >= LIMIT * 2, `${LIMIT * 2} requests on the fallbacks`, 30_000);
    const onFallback = { busiest: busiestWindow(proxy.seen, WINDOW_MS, allOnFallback), refused: after(allOnFallback).filter((entry) => entry.status === 429).length };
    const grants = workers.flatMap((worker) => worker.lines().filter((line) => line.startsWith('grant ')).map((line) => ({ at: Number(line.slice(6)), status: 0 })));
    const granted = busiestWindow(grants, WINDOW_MS + 150, allOnFallback).count;
    console.log(`busiest window of grants on the fallbacks (the budget's own span, ${WINDOW_MS + 150} ms): ${granted}`);
    if (process.env.DEBUG_OUTAGE) {
      // Per process: the k-th grant and the k-th arrival through its proxy are one request (each in order).
      const delays = workers.map((worker, index) => {
        const granted = worker.lines().filter((line) => line.startsWith('grant ')).map((line) => Number(line.slice(6)));
        const arrived = proxy.seen.filter((entry) => entry.via === String(index)).map((entry) => entry.at);
        const gaps = arrived.slice(0, granted.length).map((at, k) => at - granted[k]!).sort((a, b) => a - b);
        return `${granted.length}/${arrived.length} p50 ${gaps[Math.floor(gaps.length / 2)]} p99 ${gaps[Math.floor(gaps.length * 0.99)]} max ${gaps.at(-1)}`;
      });
      console.log('DEBUG grant-to-arrival ms', delays.join('; '));
      const end = onFallback.busiest.endsAt;
      console.log('DEBUG stop at', stoppedAt - allOnFallback, 'warned at', lines('budget REDIS_UNAVAILABLE').map((line) => Number(line!.split(' ')[3]) - allOnFallback), 'busiest window', proxy.seen.filter((entry) => entry.at > end - WINDOW_MS && entry.at <= end).map((entry) => `${entry.at - allOnFallback}:${entry.via}:${entry.status}`).join(' '));
    }

    if (outage === 'SIGSTOP') redis.thaw();
    else restarted = await startRedisServer(redis.port);
    await until(() => lines('budget REDIS_RECOVERED').every(Boolean), 'every process back on the shared budget', 20_000);
    const allBack = Date.now();
    await until(() => after(allBack).length >= LIMIT * 2, `${LIMIT * 2} requests through the shared budget again`, 30_000);
    const recovered = { busiest: busiestWindow(proxy.seen, WINDOW_MS, allBack), refused: after(allBack).filter((entry) => entry.status === 429).length };
    return { shares, onFallback, recovered, total: after(start).length, seen: proxy.seen as readonly SeenRequest[] };
  } finally {
    for (const worker of workers) worker.child.kill('SIGKILL');
    for (const each of proxies) await each.close();
    await redis.stop();
    await restarted?.stop();
  }
}

describe('a coordinated fleet through a Redis outage keeps the account limit (genlook-rx/redis)', () => {
  const sim = useSimulator();

  for (const outage of ['SIGSTOP', 'stop and restart'] as const) {
    it(`Redis ${outage === 'SIGSTOP' ? 'frozen with SIGSTOP' : 'killed, then restarted empty'}: no window over the limit and no 429 from the moment every process is on its fallback, nor after Redis returns`, async () => {
      const { shares, onFallback, recovered, total } = await runThroughOutage(sim, outage);
      console.log(`Redis ${outage}, 3 coordinated processes, limit ${LIMIT} per ${WINDOW_MS} ms: fallback shares [${shares.join(', ')}]; busiest window on the fallbacks ${onFallback.busiest.count}, 429s ${onFallback.refused}; busiest window after Redis returned ${recovered.busiest.count}, 429s ${recovered.refused}; ${total} requests`);
      // Each process takes its share of the largest fleet it saw: three processes, a third each at most.
      expect(shares).toHaveLength(3);
      for (const share of shares) expect(share).toBeLessThanOrEqual(Math.floor(LIMIT / 3));
      expect(onFallback.busiest.count).toBeLessThanOrEqual(LIMIT);
      expect(onFallback.refused).toBe(0);
      // The shared budget takes over counting what the fallbacks spent: no burst on top of them.
      expect(recovered.busiest.count).toBeLessThanOrEqual(LIMIT);
      expect(recovered.refused).toBe(0);
    }, 120_000);
  }
});
