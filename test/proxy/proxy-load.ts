import type { IncomingMessage } from 'node:http';
import { Agent } from 'node:http';
import { createGenlook } from '../../src/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import { EventStreamParser, openStream } from '../helpers/server-sent-events.js';
import { until } from '../helpers/simulator.js';
import { startProxyProcess } from './proxy-processes.js';

/** What a load run measured. */
export interface ProxyLoadSummary {
  streams: number;
  ids: number;
  /** Ids the simulator saw polled while every stream was held (one loop each, if the proxy shares). */
  polledIds: number;
  /** The most reads of one id in flight at once, over the run. */
  maxConcurrentPerId: number;
  /** Reads of the reference loop (one direct watch at the same cadence) over the measuring window. */
  referenceReads: number;
  /** Reads of the busiest id over the same window. */
  maxReadsPerId: number;
  /** All ids' reads over the window. */
  totalReads: number;
  /** The proxy process's RSS and heap after a full GC, in MB: at start, with every stream open, after they all went. */
  memory: { startRss: number; heldRss: number; afterRss: number; startHeap: number; heldHeap: number; afterHeap: number };
  /** Ids still polled after every stream went (should be 0). */
  idsPolledAfterStorm: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * `streams` event streams on `ids` generations (PENDING throughout) through a proxy in its own process,
 * on the simulator: waits until every stream has its first event, then counts the upstream reads while
 * a reference loop (a direct watch of one more id at the same cadence) makes `windowReads` reads, then
 * drops every stream at once and checks that polling stops. Bounded: every wait names its fact and
 * gives up after `within` ms.
 */
export async function runProxyLoad(options: { streams: number; ids: number; pollInterval?: number; windowReads?: number; within?: number }): Promise<ProxyLoadSummary> {
  const { streams, ids, pollInterval = 200, windowReads = 10, within = 120_000 } = options;
  const simulator = await startSimulator({ rateLimit: false });
  const proxy = await startProxyProcess(simulator, { pollInterval });
  const reference = createGenlook({ baseUrl: simulator.baseUrl, apiKey: simulator.apiKey, pollInterval, rateLimit: false, sweeps: false });
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const responses: IncomingMessage[] = [];
  try {
    const start = await proxy.memory();
    const idList = Array.from({ length: ids }, () => simulator.script([{ at: 0, status: 'PENDING' }]));
    const referenceId = simulator.script([{ at: 0, status: 'PENDING' }]);
    let firstEvents = 0;
    for (let opened = 0; opened < streams; opened += 100) {
      const batch = Array.from({ length: Math.min(100, streams - opened) }, (_, index) => openStream(`${proxy.origin}/generations/${idList[(opened + index) % ids]}/events`, {}, agent));
      for (const response of await Promise.all(batch)) {
        responses.push(response);
        const parser = new EventStreamParser(() => firstEvents++);
        response.setEncoding('utf8').on('data', (chunk: string) => parser.push(chunk));
        response.on('error', () => {});
      }
    }
    await until(() => firstEvents >= streams, `every one of ${streams} streams got its first event`, within);
    const held = await proxy.memory();
    const watch = reference.generation$(referenceId).subscribe({ error: () => {} });
    await until(() => simulator.requestsFor(referenceId).requests >= 1, 'the reference loop started', within);
    const readsOf = () => idList.map((id) => simulator.requestsFor(id).requests);
    const before = readsOf();
    const referenceBefore = simulator.requestsFor(referenceId).requests;
    await until(() => simulator.requestsFor(referenceId).requests >= referenceBefore + windowReads, `${windowReads} reads of the reference loop`, within);
    const deltas = readsOf().map((reads, index) => reads - before[index]!);
    const referenceReads = simulator.requestsFor(referenceId).requests - referenceBefore;
    for (const response of responses) response.destroy();
    let open = streams;
    await until(() => (void proxy.connections().then((count) => (open = count)), open === 0), 'the proxy saw every stream go', within);
    await until(() => idList.every((id) => simulator.requestsFor(id).concurrent === 0), 'no read of the ids in flight', within);
    const afterStorm = readsOf();
    const referenceAfterStorm = simulator.requestsFor(referenceId).requests;
    await until(() => simulator.requestsFor(referenceId).requests >= referenceAfterStorm + 5, 'five more reads of the reference loop', within);
    watch.unsubscribe();
    const after = await proxy.memory();
    return {
      streams,
      ids,
      polledIds: deltas.filter((delta) => delta > 0).length,
      maxConcurrentPerId: Math.max(...idList.map((id) => simulator.requestsFor(id).maxConcurrent)),
      referenceReads,
      maxReadsPerId: Math.max(...deltas),
      totalReads: deltas.reduce((sum, delta) => sum + delta, 0),
      memory: { startRss: mb(start.rss), heldRss: mb(held.rss), afterRss: mb(after.rss), startHeap: mb(start.heapUsed), heldHeap: mb(held.heapUsed), afterHeap: mb(after.heapUsed) },
      idsPolledAfterStorm: readsOf().filter((reads, index) => reads !== afterStorm[index]).length,
    };
  } finally {
    for (const response of responses) response.destroy();
    agent.destroy();
    await proxy.kill();
    await reference.close();
    await simulator.close();
  }
}
