// The budget scenario: generations arrive over time against the account's 100 requests a minute. Each
// variant has its own simulator (its own account) and they run side by side, so one repetition takes the
// scenario's length once.
import { seededRandom } from '../dist/simulator/index.js';
import { startClientProcess, startSimulatorProcess } from './processes.mjs';

/** `count` arrivals over `spanMs`, each lasting 6 to 15 s (seeded, the same for every variant). */
function arrivals(count, spanMs, seed) {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const duration = 6_000 + Math.round(random() * 9_000);
    return { at: Math.round(random() * spanMs), steps: [{ at: 0, status: 'PENDING' }, { at: Math.round(duration / 3), status: 'PROCESSING' }, { at: duration, status: 'COMPLETED' }] };
  }).sort((a, b) => a.at - b.at);
}

async function runOne(variant, schedule) {
  const simulator = await startSimulatorProcess({ rateLimit: { requestsPerMinute: 100 } });
  const client = startClientProcess();
  await client.next(); // ready
  const result = client.next();
  client.child.send({ variant, ids: [], baseUrl: simulator.baseUrl, apiKey: simulator.apiKey, interval: 2_000, budget: true, stream: true, heapAt: 1e9 });
  const started = Date.now();
  for (const arrival of schedule) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + arrival.at - Date.now())));
    const { ids } = await simulator.ask({ script: [arrival.steps] });
    client.child.send({ add: ids[0] });
  }
  client.child.send({ end: true });
  const measured = await result;
  const { stats } = await simulator.ask({ stats: true });
  await client.exited;
  await simulator.close();
  return { variant, generations: schedule.length, requests: stats.generationRequests, rateLimited: stats.byStatus[429] ?? 0, latency: measured.latency, seconds: measured.elapsed / 1000 };
}

export async function runBudget({ count = 60, spanMs = 120_000, seed = 7 } = {}) {
  const schedule = arrivals(count, spanMs, seed);
  return Promise.all(['genlook-rx', 'fetch loop', 'exponential backoff'].map((variant) => runOne(variant, schedule)));
}
