import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSimulator } from '../helpers/simulator.js';
import { startRedisServer } from './redis-server.js';

const run = promisify(execFile);
const worker = fileURLToPath(new URL('../fixtures/fleet-worker.mjs', import.meta.url));
// The account's window, shortened for the test on both sides: 100 requests in any 6 s.
const WINDOW_MS = 6_000;

interface Report {
  outcomes: string[];
  errors: string[];
  warnings: string[];
}

describe('one account budget across a fleet, on Redis (genlook-rx/redis)', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const sim = useSimulator();

  const steps = [{ at: 0, status: 'PENDING' }, { at: 1_500, status: 'PROCESSING' }, { at: 3_000, status: 'COMPLETED' }];
  const startWorker = (simulator: { baseUrl: string; apiKey: string }, ids: string[], redisUrl = redis.url) =>
    run(process.execPath, [worker, JSON.stringify({ redisUrl, baseUrl: simulator.baseUrl, apiKey: simulator.apiKey, ids, windowMs: WINDOW_MS })], { timeout: 60_000 }).then(
      ({ stdout }) => JSON.parse(stdout.trim()) as Report,
    );

  it('six processes watching twenty ids each get no 429, and the simulator never sees two polls of one id at once', async () => {
    const simulator = await sim.start({ timeScale: 1, rateLimit: { requestsPerMinute: 100, windowMs: WINDOW_MS, retryAfter: true } });
    const fleet = Array.from({ length: 6 }, () => Array.from({ length: 20 }, () => simulator.script(steps)));
    const started = Date.now();
    const reports = await Promise.all(fleet.map((ids) => startWorker(simulator, ids)));
    const seconds = (Date.now() - started) / 1000;
    const stats = simulator.stats();
    for (const report of reports) expect(report.outcomes).toEqual(Array(20).fill('completed'));
    expect(stats.byStatus[429] ?? 0).toBe(0);
    expect(stats.maxConcurrentPerId).toBe(1);
    // The fleet's rate stays within the limit: at most 100 per window plus the first window's burst.
    expect(stats.generationRequests / (seconds * 1000 / WINDOW_MS)).toBeLessThanOrEqual(100 + 5);
    console.log(`fleet: ${stats.generationRequests} requests in ${seconds.toFixed(1)} s = ${(stats.generationRequests / seconds * 60 * (6_000 / WINDOW_MS) / 10).toFixed(0)} per ${WINDOW_MS / 1000} s window, 0 429s`);
  }, 90_000);

  it('when Redis stops mid-run, the fallback engages, warns once, and the streams still complete', async () => {
    const own = await startRedisServer();
    const simulator = await sim.start({ timeScale: 1, rateLimit: { requestsPerMinute: 100, windowMs: WINDOW_MS, retryAfter: true } });
    const ids = Array.from({ length: 10 }, () => simulator.script(steps));
    const report = startWorker(simulator, ids, own.url);
    await new Promise((resolve) => setTimeout(resolve, 800));
    await own.stop();
    const { outcomes, warnings } = await report;
    expect(outcomes).toEqual(Array(10).fill('completed'));
    expect(warnings).toEqual(['REDIS_UNAVAILABLE']);
  }, 60_000);
});
