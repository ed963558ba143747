import { describe, expect, it } from 'vitest';
import { coordinatedChannel } from '../../src/redis/coordinated-channel.js';
import type { Simulator } from '../../src/simulator/index.js';
import { sleep, until, useSimulator } from '../helpers/simulator.js';
import { busiestWindow, startCountingProxy } from './counting-proxy.js';
import { startRedisServer, useRedisServer } from './redis-server.js';
import { startWorker } from './worker.js';

// The account's window, shortened for the test on both sides: 100 requests in any 6 s.
const WINDOW_MS = 6_000;
const limited = { timeScale: 1, rateLimit: { requestsPerMinute: 100, windowMs: WINDOW_MS, retryAfter: true } };

describe('a fleet of processes on one Redis (genlook-rx/redis)', () => {
  const redis = useRedisServer();
  const sim = useSimulator();
  const steps = [{ at: 0, status: 'PENDING' }, { at: 1_500, status: 'PROCESSING' }, { at: 3_000, status: 'COMPLETED' }];
  // Redis calls may take 2 s before they count as an outage: on a loaded 2-core machine a 500 ms limit
  // sent healthy processes to their fallback (a false outage) in tests that are not about outages.
  const config = (simulator: Simulator, ids: string[], more: Record<string, unknown> = {}) => ({
    redisUrl: redis.url,
    baseUrl: simulator.baseUrl,
    apiKey: simulator.apiKey,
    ids,
    windowMs: WINDOW_MS,
    commandTimeout: 2_000,
    ...more,
  });

  it('six processes watching twenty ids each get no 429, and the simulator never sees two polls of one id at once', async () => {
    const simulator = await sim.start(limited);
    // The server's log of arrivals: every window of it is counted, not a rate over the run.
    const proxy = await startCountingProxy(simulator.baseUrl);
    const fleet = Array.from({ length: 6 }, () => Array.from({ length: 20 }, () => simulator.script(steps)));
    // The fleet keeps 98 of the simulator's 100 a window: the counting proxy between them delays each
    // request by its own latency, which on a loaded machine can move a request of a window the proxy
    // counted at exactly 100 into the simulator's next one (one 429 in a CI run on Node 24).
    const reports = await Promise.all(fleet.map((ids) => startWorker({ ...config(simulator, ids, { requestsPerMinute: 98 }), baseUrl: proxy.baseUrl }).report));
    await proxy.close();
    const stats = simulator.stats();
    const busiest = busiestWindow(proxy.seen, WINDOW_MS, 0).count;
    const warnings = reports.flatMap((report) => report.warnings);
    console.log(`budget: ${stats.generationRequests} requests, at most ${busiest} in any ${WINDOW_MS / 1000} s window (the fleet grants 98 of the simulator's 100), ${stats.byStatus[429] ?? 0} 429s, warnings [${warnings.join(', ')}]`);
    for (const report of reports) expect(report.outcomes).toEqual(Array(20).fill('completed'));
    expect(stats.byStatus[429] ?? 0).toBe(0);
    expect(stats.maxConcurrentPerId).toBe(1);
    // The fleet grants 98 a window on Redis's clock; arrivals at the proxy are shifted by each request's
    // own latency, so the proxy may count a request or two past 98 (99 once, under a mutation run's load).
    // The server's limit is what must hold, in every window of the arrival log.
    expect(busiest).toBeLessThanOrEqual(100);
  }, 90_000);

  it('when Redis stops mid-run, the budget falls back, warns once, and the streams still complete', async () => {
    const own = await startRedisServer();
    const simulator = await sim.start(limited);
    const ids = Array.from({ length: 10 }, () => simulator.script(steps));
    const { report } = startWorker(config(simulator, ids, { redisUrl: own.url, commandTimeout: 500 }));
    await until(() => simulator.stats().generationRequests >= 10, 'ten polls through the shared budget', 30_000);
    await own.stop();
    const { outcomes, warnings } = await report;
    expect(outcomes).toEqual(Array(10).fill('completed'));
    expect(warnings).toEqual(['REDIS_UNAVAILABLE']);
  }, 60_000);

  it('six processes watching the same twenty ids send one poll loop per id, and all emit the same statuses', async () => {
    const simulator = await sim.start(limited);
    const key = `fleet:${Date.now()}`;
    // The generations start once all six processes have booted (slow on two cores); each status lasts 3 s,
    // polled every 2 s (a fixed cadence: the adaptive one may skip a 3 s status, and the point here is that
    // every status is relayed).
    const workers = Array.from({ length: 6 }, () => startWorker({ ...config(simulator, []), ids: undefined, pollInterval: 2_000, cadence: 'fixed', coordinator: { leaseMs: 1_000, key } }));
    await Promise.all(workers.map((worker) => worker.ready));
    const ids = Array.from({ length: 20 }, () => simulator.script([{ at: 0, status: 'PENDING' }, { at: 3_000, status: 'PROCESSING' }, { at: 6_000, status: 'COMPLETED' }]));
    const started = Date.now();
    for (const worker of workers) worker.watch(ids);
    const reports = await Promise.all(workers.map((worker) => worker.report));
    const seconds = (Date.now() - started) / 1000;
    const stats = simulator.stats();
    for (const report of reports) expect(report.statuses).toEqual(Array(20).fill(['PENDING', 'PROCESSING', 'COMPLETED']));
    expect(stats.maxConcurrentPerId).toBe(1);
    expect(stats.byStatus[429] ?? 0).toBe(0);
    // One loop of an id over 6 s of timeline at one request per 2 s is 4 requests (5 if the first came
    // late): the first process to join polls, the five others only listen. Six loops would be 24 or more.
    const perId = ids.map((id) => simulator.requestsFor(id).requests);
    expect(Math.max(...perId)).toBeLessThanOrEqual(5);
    console.log(`coordinator: 6 processes x the same 20 ids: ${stats.generationRequests} requests in ${seconds.toFixed(1)} s (${Math.min(...perId)}-${Math.max(...perId)} per id), 0 429s`);
  }, 90_000);

  it('killing the leaseholder with SIGKILL: another process takes over within one lease period, and every subscriber reaches the outcome', async () => {
    const LEASE = 1_000;
    const simulator = await sim.start({ timeScale: 1 });
    const key = `takeover:${Date.now()}`;
    // A budget wide enough (1,000 per 6 s) that it does not pace the ten ids taken over at once.
    const settings = { ...config(simulator, [], { pollInterval: 100, requestsPerMinute: 1_000, coordinator: { leaseMs: LEASE, key } }), ids: undefined };
    const first = startWorker(settings);
    const followers = [startWorker(settings), startWorker(settings)];
    // The generations start once the three have booted (slow on a loaded machine), so every status is relayed.
    await Promise.all([first, ...followers].map((worker) => worker.ready));
    const ids = Array.from({ length: 10 }, () => simulator.script([{ at: 0, status: 'PENDING' }, { at: 3_000, status: 'PROCESSING' }, { at: 6_000, status: 'COMPLETED' }]));
    first.watch(ids);
    await first.watching;
    for (const follower of followers) follower.watch(ids);
    await Promise.all(followers.map((follower) => follower.watching));
    // Whoever holds the leases (the first process, which joined first) is killed without a chance to let go.
    const admin = redis.connect();
    const ownerOf = async (id: string) => Number((await admin.get(`${coordinatedChannel(key, id)}:lease`))?.split(':')[1]);
    const owners = await Promise.all(ids.map(ownerOf));
    expect(new Set(owners)).toEqual(new Set([first.child.pid]));
    const before = ids.map((id) => simulator.requestsFor(id).requests);
    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    const after = async (done: () => Promise<boolean> | boolean) => {
      while (!(await done())) await sleep(5);
      return Date.now() - killedAt;
    };
    // Two figures per id: when another process holds the lease, and when its first request reaches the server.
    const [leases, requests] = await Promise.all([
      Promise.all(ids.map((id) => after(async () => (await ownerOf(id)) !== first.child.pid && !Number.isNaN(await ownerOf(id))))),
      Promise.all(ids.map((id, index) => after(() => simulator.requestsFor(id).requests > before[index]!))),
    ]);
    const reports = await Promise.all(followers.map((follower) => follower.report));
    for (const report of reports) expect(report.statuses).toEqual(Array(10).fill(['PENDING', 'PROCESSING', 'COMPLETED']));
    expect(simulator.stats().maxConcurrentPerId).toBe(1);
    // Every lease went to a follower, which polled it: facts, waited for above. How long that took is a
    // figure of this machine's load (logged, and in docs/fleet.md), not an assertion.
    console.log(`takeover after SIGKILL (lease ${LEASE} ms): lease taken ${Math.min(...leases)}-${Math.max(...leases)} ms, first request ${Math.min(...requests)}-${Math.max(...requests)} ms after the kill`);
  }, 60_000);

  it('when Redis stops mid-run, coordinated processes poll locally, warn once, and still complete', async () => {
    const own = await startRedisServer();
    const simulator = await sim.start({ timeScale: 1 });
    const ids = Array.from({ length: 5 }, () => simulator.script(steps));
    const settings = config(simulator, ids, { redisUrl: own.url, commandTimeout: 500, coordinator: { leaseMs: 1_000 } });
    const workers = [startWorker(settings), startWorker(settings)];
    await Promise.all(workers.map((worker) => worker.watching));
    await own.stop();
    const reports = await Promise.all(workers.map((worker) => worker.report));
    for (const report of reports) {
      expect(report.outcomes).toEqual(Array(5).fill('completed'));
      expect(report.warnings.filter((warning) => warning.startsWith('coordinator:'))).toEqual(['coordinator:REDIS_UNAVAILABLE']);
    }
  }, 60_000);
});
