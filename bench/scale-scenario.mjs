// One run of the scale scenario: N generations (PENDING, PROCESSING at 4 s, COMPLETED at 10 s) watched
// at a 2 s interval, budget off; the simulator and the client in their own processes.
import { startClientProcess, startSimulatorProcess } from './processes.mjs';

const STEPS = [{ at: 0, status: 'PENDING' }, { at: 4_000, status: 'PROCESSING' }, { at: 10_000, status: 'COMPLETED' }];
const INTERVAL = 2_000;
/** Polls a perfect fixed-cadence poller needs to see COMPLETED at 10 s: 0, 2, 4, 6, 8, 10 s. */
export const MINIMUM_REQUESTS = 6;

export async function runScale(variant, count) {
  const simulator = await startSimulatorProcess({ rateLimit: false });
  const client = startClientProcess();
  await client.next(); // ready: modules loaded
  // Scripted now, so every variant starts polling at the same point of the generations' timelines.
  const { ids } = await simulator.ask({ script: Array.from({ length: count }, () => STEPS) });
  // A variant that crashes (10,000 sockets can exhaust file descriptors) is recorded, not fatal.
  const result = Promise.race([client.next(), client.exited.then((code) => ({ failed: `client process exited with code ${code}` }))]);
  const started = Date.now();
  client.child.send({ variant, ids, baseUrl: simulator.baseUrl, apiKey: simulator.apiKey, interval: INTERVAL });
  // The steady-state request rate: what the server counts between 2 s and 8 s.
  const at = async (ms) => {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + ms - Date.now())));
    return (await simulator.ask({ stats: true })).stats.generationRequests;
  };
  const [early, late] = await Promise.race([Promise.all([at(2_000), at(8_000)]), result.then(() => [0, 0])]);
  const measured = await result;
  const { stats } = await simulator.ask({ stats: true });
  await client.exited;
  await simulator.close();
  if (measured.failed) return { variant, count, failed: measured.failed, requests: stats.generationRequests, latency: {}, loopDelay: {} };
  return {
    variant,
    count,
    ...measured,
    requests: stats.generationRequests,
    sockets: stats.maxOpenConnections,
    socketsOpened: stats.connections,
    cpuPerRequest: measured.cpuMicros / stats.generationRequests,
    requestsPerGeneration: stats.generationRequests / count / MINIMUM_REQUESTS,
    rateAchieved: (late - early) / 6 / (count / (INTERVAL / 1000)),
    errors: Object.entries(stats.byStatus).filter(([status]) => status !== '200').reduce((sum, [, n]) => sum + n, 0),
  };
}
